// Store contract: disabling the links to blocked hosts and their subdomains.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

using std::chrono::hours;
using Codes = std::vector<std::string>;

// Creates one link per (code, url) and returns nothing; the tests name links by code.
void CreateLinks(Store& store, const std::vector<std::pair<std::string, std::string>>& links) {
  for (const auto& [code, url] : links) Must(store.CreateLink(code, UrlFields(url), kNow));
}

Codes Sorted(Codes codes) {
  std::sort(codes.begin(), codes.end());
  return codes;
}

Codes Disable(Store& store, Codes hosts, TimePoint now = kNow + hours(1)) {
  return Sorted(Must(store.DisableLinksToHosts(hosts, now)));
}

bool IsDisabled(Store& store, const std::string& code) {
  return Must(store.FindLink(code)).disabled;
}

TEST_P(StoreContract, DisablingAHostDisablesItAndItsSubdomainsOnly) {
  CreateLinks(store(), {{"exact", "https://evil.example/login"},
                        {"sub", "http://www.evil.example/"},
                        {"deeper", "https://a.b.evil.example:8443/x?y#z"},
                        {"rootdot", "https://mail.evil.example./"},
                        {"prefix", "https://notevil.example/"},
                        {"dashed", "https://evil-example.com/"},
                        {"suffix", "https://evil.example.com/"},
                        {"inpath", "https://good.example/evil.example/"},
                        {"inquery", "https://good.example/?u=https://evil.example/"}});
  EXPECT_EQ(Disable(store(), {"evil.example"}), (Codes{"deeper", "exact", "rootdot", "sub"}));
  for (const char* code : {"exact", "sub", "deeper", "rootdot"}) {
    EXPECT_TRUE(IsDisabled(store(), code)) << code;
  }
  for (const char* code : {"prefix", "dashed", "suffix", "inpath", "inquery"}) {
    EXPECT_FALSE(IsDisabled(store(), code)) << code;
  }
}

TEST_P(StoreContract, DisablingSeveralHostsAtOnce) {
  CreateLinks(store(), {{"one", "https://one.example/"},
                        {"two", "https://x.two.example/"},
                        {"three", "https://three.example/"}});
  EXPECT_EQ(Disable(store(), {"one.example", "two.example"}), (Codes{"one", "two"}));
  EXPECT_FALSE(IsDisabled(store(), "three"));
}

TEST_P(StoreContract, DisablingSetsUpdatedAtOnlyOnLinksItChanges) {
  CreateLinks(store(), {{"on", "https://evil.example/a"}, {"off", "https://evil.example/b"}});
  LinkPatch patch;
  patch.disabled = true;
  Must(store().UpdateLink("off", patch, kNow, std::nullopt));
  // Links that were disabled already are answered too, so that every instance can forget them.
  EXPECT_EQ(Disable(store(), {"evil.example"}, kNow + hours(5)), (Codes{"off", "on"}));
  EXPECT_EQ(Must(store().FindLink("on")).updated_at, kNow + hours(5));
  EXPECT_EQ(Must(store().FindLink("off")).updated_at, kNow);
}

TEST_P(StoreContract, ALinkIsMatchedByTheHostOfItsCurrentUrl) {
  CreateLinks(store(),
              {{"moved-in", "https://fine.example/"}, {"moved-out", "https://evil.example/"}});
  LinkPatch patch;
  patch.url = "https://login.evil.example/";
  Must(store().UpdateLink("moved-in", patch, kNow, std::nullopt));
  patch.url = "https://fine.example/";
  Must(store().UpdateLink("moved-out", patch, kNow, std::nullopt));
  EXPECT_EQ(Disable(store(), {"evil.example"}), (Codes{"moved-in"}));
  EXPECT_FALSE(IsDisabled(store(), "moved-out"));
}

TEST_P(StoreContract, AddressesAndPunycodeHostsAreBlockedLikeNames) {
  CreateLinks(store(), {{"v4", "http://192.0.2.7:8080/"},
                        {"v6", "http://[2001:db8::1]/"},
                        {"other-v6", "http://[2001:db8::2]/"},
                        {"idn", "https://www.xn--bcher-kva.example/"}});
  EXPECT_EQ(Disable(store(), {"192.0.2.7", "[2001:db8::1]", "xn--bcher-kva.example"}),
            (Codes{"idn", "v4", "v6"}));
  EXPECT_FALSE(IsDisabled(store(), "other-v6"));
}

TEST_P(StoreContract, DisablingUnknownOrNoHostsChangesNothing) {
  CreateLinks(store(), {{"kept", "https://kept.example/"}});
  EXPECT_TRUE(Disable(store(), {}).empty());
  EXPECT_TRUE(Disable(store(), {"absent.example"}).empty());
  EXPECT_FALSE(IsDisabled(store(), "kept"));
}

}  // namespace
}  // namespace hop
