#include "store/host_key.h"

#include <gtest/gtest.h>

#include "core/target_url.h"

namespace hop {
namespace {

TEST(HostKey, LabelsAreReversed) {
  EXPECT_EQ(HostKeyOf("www.example.com"), "com.example.www");
  EXPECT_EQ(HostKeyOf("localhost"), "localhost");
  EXPECT_EQ(HostKeyOf("192.0.2.1"), "1.2.0.192");
}

TEST(HostKey, ARootDotIsIgnoredAndIpv6IsItsOwnKey) {
  EXPECT_EQ(HostKeyOf("example.com."), "com.example");
  EXPECT_EQ(HostKeyOf("[2001:db8::1]"), "[2001:db8::1]");
}

TEST(HostKey, TheHostOfANormalizedUrl) {
  EXPECT_EQ(HostKeyOfUrl("https://a.b.example:8443/x?y#z"), "example.b.a");
  EXPECT_EQ(HostKeyOfUrl("http://[::1]:8080/"), "[::1]");
  EXPECT_EQ(HostKeyOfUrl("not a url"), "");
}

TEST(HostKey, TheHostEndsAtAPortPathQueryOrFragment) {
  EXPECT_EQ(HostKeyOfUrl("https://example.com"), "com.example");
  EXPECT_EQ(HostKeyOfUrl("https://example.com./"), "com.example");
  EXPECT_EQ(HostKeyOfUrl("https://example.com?q=a.b"), "com.example");
  EXPECT_EQ(HostKeyOfUrl("https://example.com#x.y"), "com.example");
  EXPECT_EQ(HostKeyOfUrl("https://[2001:db8::1]/a:b"), "[2001:db8::1]");
}

TEST(HostKey, AgreesWithTheUrlParserOnEveryNormalizedUrl) {
  const TargetUrlPolicy policy{.own_host = "sho.rt", .blocked_hosts = {}};
  for (const char* raw : {"HTTPS://WWW.Example.COM:443/Path?q=1#f", "http://bücher.de:8080",
                          "http://[2001:DB8::1]:80/x", "https://192.0.2.1/", "https://a.b.c.d.e/",
                          "http://example.com.:81?x", "https://xn--bcher-kva.de#top"}) {
    const Result<std::string> url = NormalizeTargetUrl(raw, policy);
    ASSERT_TRUE(url.ok()) << raw;
    EXPECT_EQ(HostKeyOfUrl(url.value()), HostKeyOf(HostOfUrl(url.value()))) << url.value();
  }
}

TEST(HostKey, SubdomainRangeHoldsSubdomainsOnly) {
  const std::string key = HostKeyOf("example.com");
  auto in_range = [&](const std::string& host) {
    const std::string k = HostKeyOf(host);
    return k >= SubdomainKeysBegin(key) && k < SubdomainKeysEnd(key);
  };
  EXPECT_TRUE(in_range("www.example.com"));
  EXPECT_TRUE(in_range("a.b.example.com"));
  EXPECT_TRUE(in_range("-x.example.com"));
  EXPECT_FALSE(in_range("example.com"));  // the host itself is matched exactly, not by range
  EXPECT_FALSE(in_range("example-foo.com"));
  EXPECT_FALSE(in_range("notexample.com"));
  EXPECT_FALSE(in_range("example.community"));
}

}  // namespace
}  // namespace hop
