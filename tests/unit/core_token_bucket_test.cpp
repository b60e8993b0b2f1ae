#include "core/token_bucket.h"

#include <gtest/gtest.h>

#include "../store/store_test_support.h"

namespace hop {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr RateLimit kTwoPerSecondBurstFive{.per_second = 2, .burst = 5};

TEST(TokenBucket, ABurstPassesThenTheNextRequestIsRefused) {
  TokenBucket bucket(kTwoPerSecondBurstFive, kNow);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.TryTake(kTwoPerSecondBurstFive, kNow)) << i;
  EXPECT_FALSE(bucket.TryTake(kTwoPerSecondBurstFive, kNow));
}

TEST(TokenBucket, TokensComeBackAtTheRate) {
  TokenBucket bucket(kTwoPerSecondBurstFive, kNow);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(bucket.TryTake(kTwoPerSecondBurstFive, kNow));
  EXPECT_EQ(bucket.UntilNextToken(kTwoPerSecondBurstFive, kNow), milliseconds(500));
  EXPECT_FALSE(bucket.TryTake(kTwoPerSecondBurstFive, kNow + milliseconds(499)));
  EXPECT_TRUE(bucket.TryTake(kTwoPerSecondBurstFive, kNow + milliseconds(500)));
  EXPECT_FALSE(bucket.TryTake(kTwoPerSecondBurstFive, kNow + milliseconds(500)));
}

TEST(TokenBucket, RefillStopsAtTheBurst) {
  TokenBucket bucket(kTwoPerSecondBurstFive, kNow);
  ASSERT_TRUE(bucket.TryTake(kTwoPerSecondBurstFive, kNow));
  const TimePoint later = kNow + seconds(3600);
  EXPECT_DOUBLE_EQ(bucket.Available(kTwoPerSecondBurstFive, later), 5);
  EXPECT_EQ(bucket.UntilFull(kTwoPerSecondBurstFive, later), milliseconds(0));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.TryTake(kTwoPerSecondBurstFive, later));
  EXPECT_FALSE(bucket.TryTake(kTwoPerSecondBurstFive, later));
}

TEST(TokenBucket, UntilFullCountsEveryMissingToken) {
  TokenBucket bucket(kTwoPerSecondBurstFive, kNow);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(bucket.TryTake(kTwoPerSecondBurstFive, kNow));
  EXPECT_EQ(bucket.UntilFull(kTwoPerSecondBurstFive, kNow), milliseconds(2500));
  EXPECT_EQ(bucket.UntilFull(kTwoPerSecondBurstFive, kNow + milliseconds(1000)),
            milliseconds(1500));
}

TEST(TokenBucket, AClockThatStepsBackAddsNothing) {
  TokenBucket bucket(kTwoPerSecondBurstFive, kNow);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(bucket.TryTake(kTwoPerSecondBurstFive, kNow));
  EXPECT_FALSE(bucket.TryTake(kTwoPerSecondBurstFive, kNow - seconds(60)));
  // Nor does stepping back and forth again count the same time twice.
  EXPECT_FALSE(bucket.TryTake(kTwoPerSecondBurstFive, kNow + milliseconds(499)));
}

TEST(TokenBucket, FractionalRatesWaitForWholeTokens) {
  constexpr RateLimit kOneEveryTenSeconds{.per_second = 0.1, .burst = 1};
  TokenBucket bucket(kOneEveryTenSeconds, kNow);
  ASSERT_TRUE(bucket.TryTake(kOneEveryTenSeconds, kNow));
  EXPECT_EQ(bucket.UntilNextToken(kOneEveryTenSeconds, kNow), seconds(10));
  EXPECT_FALSE(bucket.TryTake(kOneEveryTenSeconds, kNow + milliseconds(9999)));
  EXPECT_TRUE(bucket.TryTake(kOneEveryTenSeconds, kNow + seconds(10)));
}

}  // namespace
}  // namespace hop
