#include "core/client_address.h"

#include <gtest/gtest.h>

namespace hop {
namespace {

TEST(ClientAddress, Ipv4IsKeptInItsMappedFormAndPrintsPlainly) {
  ClientAddress v4 = ClientAddress::FromV4({192, 0, 2, 33});
  EXPECT_TRUE(v4.IsV4());
  EXPECT_EQ(v4.ToString(), "192.0.2.33");
  EXPECT_EQ(v4.LimitPrefix(), v4);
}

TEST(ClientAddress, Ipv6LimitPrefixIsItsSlash64) {
  std::array<uint8_t, 16> bytes{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0xaa, 0xbb, 0, 0, 0, 0, 0, 7};
  ClientAddress v6 = ClientAddress::FromV6(bytes);
  EXPECT_FALSE(v6.IsV4());
  EXPECT_EQ(v6.ToString(), "2001:db8:0:1:aabb::7");
  EXPECT_EQ(v6.LimitPrefix().ToString(), "2001:db8:0:1::");
}

TEST(ClientAddress, TheDefaultIsTheUnspecifiedAddress) {
  EXPECT_EQ(ClientAddress{}.ToString(), "::");
}

}  // namespace
}  // namespace hop
