#include "service/rate_limiter.h"

#include <gtest/gtest.h>

#include "../store/store_test_support.h"
#include "service/rate_limits.h"

namespace hop {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

ClientAddress V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return ClientAddress::FromV4({a, b, c, d});
}

ClientAddress V6(uint16_t first_group, uint16_t last_group) {
  std::array<uint8_t, 16> bytes{};
  bytes[0] = static_cast<uint8_t>(first_group >> 8);
  bytes[1] = static_cast<uint8_t>(first_group);
  bytes[14] = static_cast<uint8_t>(last_group >> 8);
  bytes[15] = static_cast<uint8_t>(last_group);
  return ClientAddress::FromV6(bytes);
}

constexpr RateLimit kThreeAtOnceOnePerSecond{.per_second = 1, .burst = 3};

TEST(RateLimiter, EachSubjectHasItsOwnBucket) {
  RateLimiter limiter(kThreeAtOnceOnePerSecond, 1000);
  const LimitSubject a = LimitSubject::Address(V4(192, 0, 2, 1));
  const LimitSubject b = LimitSubject::Address(V4(192, 0, 2, 2));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.Take(a, kNow).allowed);
  EXPECT_FALSE(limiter.Take(a, kNow).allowed);
  EXPECT_TRUE(limiter.Take(b, kNow).allowed);
  EXPECT_TRUE(limiter.Take(LimitSubject::Key(7), kNow).allowed);
}

TEST(RateLimiter, DecisionsDescribeTheBucketForTheHeaders) {
  RateLimiter limiter(kThreeAtOnceOnePerSecond, 1000);
  const LimitSubject key = LimitSubject::Key(1);
  LimitDecision first = limiter.Take(key, kNow);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.limit, 3);
  EXPECT_EQ(first.remaining, 2);
  EXPECT_EQ(first.reset_seconds, 1);
  EXPECT_EQ(first.retry_after_seconds, 0);
  limiter.Take(key, kNow);
  limiter.Take(key, kNow);
  LimitDecision refused = limiter.Take(key, kNow + milliseconds(200));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_EQ(refused.reset_seconds, 3);
  EXPECT_TRUE(limiter.Take(key, kNow + seconds(1)).allowed);
}

TEST(RateLimiter, ADisabledLimitAllowsEverythingAndKeepsNothing) {
  RateLimiter limiter(RateLimit{}, 1000);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.Take(LimitSubject::Key(1), kNow).allowed);
  EXPECT_EQ(limiter.Take(LimitSubject::Key(1), kNow).limit, 0);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, AnIpv6ClientIsLimitedByItsSlash64) {
  RateLimiter limiter(kThreeAtOnceOnePerSecond, 1000);
  // Three addresses of one /64: one bucket.
  for (uint16_t host = 1; host <= 3; ++host) {
    ASSERT_TRUE(limiter.Take(LimitSubject::Address(V6(0x2001, host)), kNow).allowed);
  }
  EXPECT_FALSE(limiter.Take(LimitSubject::Address(V6(0x2001, 4)), kNow).allowed);
  EXPECT_TRUE(limiter.Take(LimitSubject::Address(V6(0x2002, 4)), kNow).allowed);
}

TEST(RateLimiter, MemoryStaysBoundedWhateverTheNumberOfClients) {
  RateLimiter limiter(kThreeAtOnceOnePerSecond, 160);
  for (int i = 0; i < 10'000; ++i) {
    limiter.Take(
        LimitSubject::Address(V4(10, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i), 1)),
        kNow);
  }
  EXPECT_LE(limiter.size(), 160u);
}

TEST(RateLimiter, AFullLimiterForgetsRefilledBucketsNotSpentOnes) {
  // 1,600 buckets (100 per shard). 1,500 clients came by ten seconds ago: their buckets are full
  // again, as good as absent. Then one client spends its token, and 1,000 newcomers arrive: the
  // refilled buckets must make room, so the spender's empty bucket, and its refusal, stay.
  constexpr RateLimit kOnePerSecond{.per_second = 1, .burst = 1};
  RateLimiter limiter(kOnePerSecond, 1600);
  for (int64_t key = 0; key < 1500; ++key) {
    limiter.Take(LimitSubject::Key(10'000 + key), kNow - seconds(10));
  }
  const LimitSubject spender = LimitSubject::Key(1);
  ASSERT_TRUE(limiter.Take(spender, kNow).allowed);
  for (int64_t key = 0; key < 1000; ++key) limiter.Take(LimitSubject::Key(20'000 + key), kNow);
  EXPECT_LE(limiter.size(), 1600u);
  EXPECT_FALSE(limiter.Take(spender, kNow + milliseconds(500)).allowed);
}

TEST(RateLimits, CreatesTakeFromTheCreateAndTheApiBuckets) {
  RateLimits limits(RateLimitOptions{.api = {.per_second = 1, .burst = 5},
                                     .create = {.per_second = 1, .burst = 2},
                                     .scan = {},
                                     .capacity = 1000});
  const ClientAddress client = V4(198, 51, 100, 7);
  EXPECT_TRUE(limits.TakeForAddress(client, /*creates=*/true, kNow).allowed);
  LimitDecision second = limits.TakeForAddress(client, true, kNow);
  EXPECT_TRUE(second.allowed);
  EXPECT_EQ(second.limit, 2) << "the stricter bucket describes the request";
  EXPECT_EQ(second.remaining, 0);
  EXPECT_FALSE(limits.TakeForAddress(client, true, kNow).allowed);
  // Reads still pass: the refused create took nothing from the API bucket, which has 3 left.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limits.TakeForAddress(client, false, kNow).allowed) << i;
  EXPECT_FALSE(limits.TakeForAddress(client, false, kNow).allowed);
}

TEST(RateLimits, KeysAndAddressesAreCountedApart) {
  RateLimits limits(RateLimitOptions{
      .api = {.per_second = 1, .burst = 1}, .create = {}, .scan = {}, .capacity = 1000});
  EXPECT_TRUE(limits.TakeForAddress(V4(192, 0, 2, 9), false, kNow).allowed);
  EXPECT_TRUE(limits.TakeForKey(9, false, kNow).allowed);
  EXPECT_FALSE(limits.TakeForKey(9, false, kNow).allowed);
  EXPECT_TRUE(limits.TakeForKey(10, false, kNow).allowed);
}

TEST(RateLimits, MissesTakeFromTheScanBucketOnly) {
  RateLimits limits(RateLimitOptions{.api = {.per_second = 1, .burst = 1},
                                     .create = {},
                                     .scan = {.per_second = 1, .burst = 2},
                                     .capacity = 1000});
  const ClientAddress scanner = V4(203, 0, 113, 5);
  EXPECT_TRUE(limits.TakeForMiss(scanner, kNow).allowed);
  EXPECT_TRUE(limits.TakeForMiss(scanner, kNow).allowed);
  LimitDecision refused = limits.TakeForMiss(scanner, kNow);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_TRUE(limits.TakeForAddress(scanner, false, kNow).allowed);
}

TEST(RateLimits, StricterPrefersARefusalThenTheFewestTokens) {
  LimitDecision none;
  LimitDecision roomy{.allowed = true, .limit = 100, .remaining = 50, .reset_seconds = 3};
  LimitDecision tight{.allowed = true, .limit = 5, .remaining = 1, .reset_seconds = 4};
  LimitDecision refused{
      .allowed = false, .limit = 5, .remaining = 0, .reset_seconds = 5, .retry_after_seconds = 1};
  EXPECT_EQ(RateLimits::Stricter(none, roomy).limit, 100);
  EXPECT_EQ(RateLimits::Stricter(roomy, none).limit, 100);
  EXPECT_EQ(RateLimits::Stricter(roomy, tight).limit, 5);
  EXPECT_FALSE(RateLimits::Stricter(roomy, refused).allowed);
  EXPECT_FALSE(RateLimits::Stricter(refused, tight).allowed);
}

}  // namespace
}  // namespace hop
