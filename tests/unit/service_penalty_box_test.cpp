#include "service/penalty_box.h"

#include <gtest/gtest.h>

#include "../store/store_test_support.h"

namespace hop {
namespace {

using std::chrono::seconds;

ClientAddress V4(uint8_t last) { return ClientAddress::FromV4({192, 0, 2, last}); }

TEST(PenaltyBox, HoldsAnAddressUntilItsTime) {
  PenaltyBox box(100);
  EXPECT_TRUE(box.empty());
  box.Hold(V4(1), kNow + seconds(5));
  EXPECT_FALSE(box.empty());
  EXPECT_EQ(box.HeldUntil(V4(1), kNow), kNow + seconds(5));
  EXPECT_EQ(box.HeldUntil(V4(2), kNow), std::nullopt);
  EXPECT_EQ(box.HeldUntil(V4(1), kNow + seconds(5)), std::nullopt);
}

TEST(PenaltyBox, ALaterHoldExtendsAnEarlierOneNeverShortens) {
  PenaltyBox box(100);
  box.Hold(V4(1), kNow + seconds(5));
  box.Hold(V4(1), kNow + seconds(2));
  EXPECT_EQ(box.HeldUntil(V4(1), kNow), kNow + seconds(5));
  box.Hold(V4(1), kNow + seconds(9));
  EXPECT_EQ(box.HeldUntil(V4(1), kNow), kNow + seconds(9));
}

TEST(PenaltyBox, EmptiesItselfOnceHoldsAreOverSoRedirectsStopLooking) {
  PenaltyBox box(100);
  for (uint8_t i = 1; i <= 10; ++i) box.Hold(V4(i), kNow + seconds(1));
  EXPECT_EQ(box.HeldUntil(V4(200), kNow + seconds(2)), std::nullopt);
  EXPECT_TRUE(box.empty());
}

TEST(PenaltyBox, WhenFullTheHoldThatEndsFirstMakesRoom) {
  PenaltyBox box(2);
  box.Hold(V4(1), kNow + seconds(10));
  box.Hold(V4(2), kNow + seconds(3));
  box.Hold(V4(3), kNow + seconds(7));
  EXPECT_EQ(box.size(), 2u);
  EXPECT_TRUE(box.HeldUntil(V4(1), kNow).has_value());
  EXPECT_FALSE(box.HeldUntil(V4(2), kNow).has_value());
  EXPECT_TRUE(box.HeldUntil(V4(3), kNow).has_value());
}

TEST(PenaltyBox, AnIpv6AddressIsHeldWithItsWholeSlash64) {
  PenaltyBox box(10);
  std::array<uint8_t, 16> one{0x20, 0x01, 0x0d, 0xb8};
  std::array<uint8_t, 16> neighbour = one;
  one[15] = 1;
  neighbour[15] = 2;
  box.Hold(ClientAddress::FromV6(one), kNow + seconds(5));
  EXPECT_TRUE(box.HeldUntil(ClientAddress::FromV6(neighbour), kNow).has_value());
}

}  // namespace
}  // namespace hop
