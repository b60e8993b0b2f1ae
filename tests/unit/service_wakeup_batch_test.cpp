#include "service/wakeup_batch.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hop {
namespace {

TEST(WakeupBatch, WithoutABatchTheCallerWakesItself) {
  EXPECT_FALSE(WakeupBatch::Defer([] { FAIL() << "a deferred wake-up ran without a batch"; }));
}

TEST(WakeupBatch, WakeUpsWaitForTheEndOfTheBatchAndKeepTheirOrder) {
  std::vector<int> woken;
  {
    WakeupBatch batch;
    EXPECT_TRUE(WakeupBatch::Defer([&] { woken.push_back(1); }));
    EXPECT_TRUE(WakeupBatch::Defer([&] { woken.push_back(2); }));
    EXPECT_TRUE(woken.empty());
  }
  EXPECT_EQ(woken, (std::vector<int>{1, 2}));
  EXPECT_FALSE(WakeupBatch::Defer([] {}));  // the batch is over
}

TEST(WakeupBatch, ANestedBatchLeavesTheWakeUpsToTheOuterOne) {
  std::vector<int> woken;
  {
    WakeupBatch outer;
    {
      WakeupBatch inner;
      EXPECT_TRUE(WakeupBatch::Defer([&] { woken.push_back(1); }));
    }
    EXPECT_TRUE(woken.empty());
  }
  EXPECT_EQ(woken, std::vector<int>{1});
}

TEST(WakeupBatch, ABatchHoldsOnlyItsOwnThreadsWakeUps) {
  WakeupBatch batch;
  bool deferred_elsewhere = true;
  std::thread([&] { deferred_elsewhere = WakeupBatch::Defer([] {}); }).join();
  EXPECT_FALSE(deferred_elsewhere);
}

}  // namespace
}  // namespace hop
