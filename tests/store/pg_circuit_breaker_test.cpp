// PgCircuitBreaker: when a store may try to connect again, with time driven by the test.
#include "store/postgres/pg_circuit_breaker.h"

#include <gtest/gtest.h>

#include "store_test_support.h"

namespace hop {
namespace {

using std::chrono::milliseconds;
using Clock = PgCircuitBreaker::Clock;

const Status kRefused = Status::Error(ErrorCode::kStoreUnavailable, "connection refused");

class PgCircuitBreakerTest : public ::testing::Test {
 protected:
  // Fails an attempt at `t0_ + at`.
  void FailAt(milliseconds at) {
    ASSERT_TRUE(IsOk(breaker_.BeforeConnect(t0_ + at)));
    breaker_.AfterConnect(kRefused, t0_ + at);
  }
  bool MayConnectAt(milliseconds at) { return breaker_.BeforeConnect(t0_ + at).ok(); }

  PgCircuitBreaker breaker_{milliseconds(100), milliseconds(400)};
  const Clock::time_point t0_ = Clock::now();
};

TEST_F(PgCircuitBreakerTest, ClosedBreakerLetsEveryoneConnectAtOnce) {
  EXPECT_TRUE(MayConnectAt(milliseconds(0)));
  EXPECT_TRUE(MayConnectAt(milliseconds(0)));
}

TEST_F(PgCircuitBreakerTest, AfterAFailureCallsFailAtOnceWithTheLastErrorUntilTheRetryTime) {
  FailAt(milliseconds(0));
  Status refused = breaker_.BeforeConnect(t0_ + milliseconds(99));
  EXPECT_TRUE(FailsWith(refused, ErrorCode::kStoreUnavailable));
  EXPECT_NE(refused.detail().find("connection refused"), std::string::npos) << refused.detail();
  EXPECT_NE(refused.detail().find("in 1 ms"), std::string::npos) << refused.detail();
  EXPECT_TRUE(MayConnectAt(milliseconds(100)));
}

TEST_F(PgCircuitBreakerTest, OnlyOneCallerProbesWhileTheOthersKeepFailingFast) {
  FailAt(milliseconds(0));
  ASSERT_TRUE(MayConnectAt(milliseconds(150)));
  EXPECT_FALSE(MayConnectAt(milliseconds(150)));
  EXPECT_FALSE(MayConnectAt(milliseconds(5000)));
}

TEST_F(PgCircuitBreakerTest, EachFailedProbeDoublesTheWaitUpToTheMaximum) {
  FailAt(milliseconds(0));    // next at 100
  FailAt(milliseconds(100));  // waits 200: next at 300
  EXPECT_FALSE(MayConnectAt(milliseconds(299)));
  FailAt(milliseconds(300));  // waits 400: next at 700
  EXPECT_FALSE(MayConnectAt(milliseconds(699)));
  FailAt(milliseconds(700));  // still 400, the maximum: next at 1100
  EXPECT_FALSE(MayConnectAt(milliseconds(1099)));
  EXPECT_TRUE(MayConnectAt(milliseconds(1100)));
}

TEST_F(PgCircuitBreakerTest, AttemptsThatFailTogetherCountAsOneFailure) {
  // Every pooled connection notices the server is gone at about the same time.
  ASSERT_TRUE(MayConnectAt(milliseconds(0)));
  ASSERT_TRUE(MayConnectAt(milliseconds(0)));
  breaker_.AfterConnect(kRefused, t0_);
  breaker_.AfterConnect(kRefused, t0_ + milliseconds(1));
  EXPECT_TRUE(MayConnectAt(milliseconds(101)));
}

TEST_F(PgCircuitBreakerTest, ASuccessfulProbeClosesTheBreakerAndResetsTheWait) {
  FailAt(milliseconds(0));
  FailAt(milliseconds(100));
  ASSERT_TRUE(MayConnectAt(milliseconds(300)));
  breaker_.AfterConnect(Status::Ok(), t0_ + milliseconds(300));
  EXPECT_TRUE(MayConnectAt(milliseconds(300)));
  EXPECT_TRUE(MayConnectAt(milliseconds(300)));
  FailAt(milliseconds(400));
  EXPECT_TRUE(MayConnectAt(milliseconds(500)));  // the first wait again, not a doubled one
}

}  // namespace
}  // namespace hop
