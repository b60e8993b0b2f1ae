#include "store/host_key.h"

#include <gtest/gtest.h>

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
