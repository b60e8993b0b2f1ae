#include "store/click_watermark.h"

#include <gtest/gtest.h>

#include <limits>

namespace hop {
namespace {

constexpr int64_t kAll = std::numeric_limits<int64_t>::max();

TEST(ClickWatermark, LinksThePassHasReachedAreFoldedToItsEnd) {
  const ClickWatermark mid_pass{
      .rolled_before = 600, .rolling_before = 660, .rolling_through_link = 20};
  EXPECT_EQ(mid_pass.FoldedBefore(1), 660);
  EXPECT_EQ(mid_pass.FoldedBefore(20), 660);
  EXPECT_EQ(mid_pass.FoldedBefore(21), 600);
  const ClickWatermark idle{.rolled_before = 600, .rolling_before = 600, .rolling_through_link = 0};
  EXPECT_EQ(idle.FoldedBefore(1), 600);
}

TEST(ClickWatermark, NothingToDoWhenEverythingBeforeTheTargetIsFolded) {
  const ClickWatermark idle{.rolled_before = 600, .rolling_before = 600, .rolling_through_link = 0};
  EXPECT_EQ(RollUpPassEnd(idle, 600), std::nullopt);
  EXPECT_EQ(RollUpPassEnd(idle, 540), std::nullopt);
  EXPECT_EQ(RollUpPassEnd(idle, 660), 660);
}

TEST(ClickWatermark, APassUnderWayIsFinishedFirstWhereverItEnds) {
  const ClickWatermark mid_pass{
      .rolled_before = 600, .rolling_before = 660, .rolling_through_link = 20};
  EXPECT_EQ(RollUpPassEnd(mid_pass, 720), 660);
  EXPECT_EQ(RollUpPassEnd(mid_pass, 600), 660);
}

TEST(ClickWatermark, StepsTakeRangesOfLinkIdsThenEveryLinkLeft) {
  ClickWatermark watermark{.rolled_before = 600, .rolling_before = 600, .rolling_through_link = 0};
  RollUpStep first = NextRollUpStep(watermark, 720, 10, 25, true);
  EXPECT_EQ(first.first_minute, 600);
  EXPECT_EQ(first.end_minute, 720);
  EXPECT_EQ(first.after_link, 0);
  EXPECT_EQ(first.through_link, 10);
  EXPECT_EQ(first.next, (ClickWatermark{600, 720, 10}));

  RollUpStep second = NextRollUpStep(first.next, 720, 10, 25, true);
  EXPECT_EQ(second.after_link, 10);
  EXPECT_EQ(second.through_link, 20);
  EXPECT_EQ(second.next, (ClickWatermark{600, 720, 20}));

  // The last step also takes the links created since the pass began.
  RollUpStep last = NextRollUpStep(second.next, 720, 10, 25, true);
  EXPECT_EQ(last.first_minute, 600);
  EXPECT_EQ(last.after_link, 20);
  EXPECT_EQ(last.through_link, kAll);
  EXPECT_EQ(last.next, (ClickWatermark{720, 720, 0}));
}

TEST(ClickWatermark, APassWithoutMinuteRowsIsOneStep) {
  const ClickWatermark idle{.rolled_before = 600, .rolling_before = 600, .rolling_through_link = 0};
  RollUpStep step = NextRollUpStep(idle, 720, 10, 1'000'000, false);
  EXPECT_EQ(step.through_link, kAll);
  EXPECT_EQ(step.next, (ClickWatermark{720, 720, 0}));
}

TEST(ClickWatermark, FewLinksAreOneStep) {
  const ClickWatermark idle{.rolled_before = 0, .rolling_before = 0, .rolling_through_link = 0};
  EXPECT_EQ(NextRollUpStep(idle, 720, 10, 10, true).through_link, kAll);
  EXPECT_EQ(NextRollUpStep(idle, 720, 10, 11, true).through_link, 10);
}

}  // namespace
}  // namespace hop
