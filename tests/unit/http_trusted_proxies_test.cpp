#include "http/trusted_proxies.h"

#include <gtest/gtest.h>

#include "../store/store_test_support.h"

namespace hop {
namespace {

namespace ip = boost::asio::ip;

std::string ClientOf(const TrustedProxies& proxies, const char* peer, const char* forwarded) {
  return proxies.ClientOf(ip::make_address(peer), forwarded).ToString();
}

TEST(TrustedProxies, WithoutTrustForwardedForIsIgnored) {
  TrustedProxies none = Must(TrustedProxies::Parse({}));
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(ClientOf(none, "192.0.2.1", "203.0.113.9"), "192.0.2.1");
}

TEST(TrustedProxies, AnUntrustedPeerIsTheClientWhateverItClaims) {
  TrustedProxies proxies = Must(TrustedProxies::Parse({"10.0.0.0/8"}));
  EXPECT_EQ(ClientOf(proxies, "192.0.2.1", "203.0.113.9"), "192.0.2.1");
}

TEST(TrustedProxies, ATrustedPeerNamesTheClient) {
  TrustedProxies proxies = Must(TrustedProxies::Parse({"10.0.0.0/8"}));
  EXPECT_EQ(ClientOf(proxies, "10.1.2.3", "203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(ClientOf(proxies, "10.1.2.3", ""), "10.1.2.3");
}

TEST(TrustedProxies, TheWalkGoesRightToLeftPastTrustedHopsOnly) {
  TrustedProxies proxies = Must(TrustedProxies::Parse({"10.0.0.0/8", "fd00::/8"}));
  // The client forged "1.1.1.1"; the first proxy appended the address it really saw.
  EXPECT_EQ(ClientOf(proxies, "10.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.2"), "203.0.113.9");
  EXPECT_EQ(ClientOf(proxies, "10.0.0.1", "10.0.0.3, 10.0.0.2"), "10.0.0.3");
  EXPECT_EQ(ClientOf(proxies, "fd00::1", "2001:db8::7"), "2001:db8::7");
}

TEST(TrustedProxies, EntriesMayCarryPortsAndBrackets) {
  TrustedProxies proxies = Must(TrustedProxies::Parse({"127.0.0.1"}));
  EXPECT_EQ(ClientOf(proxies, "127.0.0.1", "203.0.113.9:5678"), "203.0.113.9");
  EXPECT_EQ(ClientOf(proxies, "127.0.0.1", "[2001:db8::9]:443"), "2001:db8::9");
  EXPECT_EQ(ClientOf(proxies, "127.0.0.1", " [2001:db8::8] "), "2001:db8::8");
}

TEST(TrustedProxies, AnEntryThatIsNotAnAddressEndsTheWalkAtTheLastTrustedHop) {
  TrustedProxies proxies = Must(TrustedProxies::Parse({"10.0.0.0/8"}));
  EXPECT_EQ(ClientOf(proxies, "10.0.0.1", "203.0.113.9, unknown, 10.0.0.2"), "10.0.0.2");
  EXPECT_EQ(ClientOf(proxies, "10.0.0.1", "garbage"), "10.0.0.1");
  EXPECT_EQ(ClientOf(proxies, "10.0.0.1", "203.0.113.9,,"), "10.0.0.1");
}

TEST(TrustedProxies, Ipv4PeersMatchIpv4NetworksInEitherForm) {
  TrustedProxies proxies = Must(TrustedProxies::Parse({"192.168.0.0/16"}));
  EXPECT_EQ(ClientOf(proxies, "::ffff:192.168.5.5", "203.0.113.9"), "203.0.113.9");
  EXPECT_EQ(ClientOf(proxies, "192.169.0.1", "203.0.113.9"), "192.169.0.1");
}

TEST(TrustedProxies, ABadNetworkIsRefusedByName) {
  for (const char* bad :
       {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "proxy.local", "10.0.0.0/8x"}) {
    Result<TrustedProxies> parsed = TrustedProxies::Parse({bad});
    ASSERT_TRUE(FailsWith(parsed, ErrorCode::kInvalidRequest)) << bad;
    EXPECT_NE(parsed.status().detail().find(bad), std::string::npos);
  }
}

}  // namespace
}  // namespace hop
