#include "store/unrolled_clicks.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace hop {
namespace {

using Points = std::vector<std::pair<int64_t, int64_t>>;

Points PointsOf(const std::vector<BucketCount>& series) {
  Points points;
  for (const BucketCount& c : series) points.emplace_back(c.bucket, c.clicks);
  return points;
}

TEST(UnrolledClicks, AddToTheTotalsAndToEverySpanThatHoldsThem) {
  const MinuteSpan spans[] = {{100, 199}, {150, 150}, {151, 300}, {0, 99}};
  ClickTotals totals{.total = 10, .bot_total = 1, .span_sums = {5, 0, 3, 2}};
  const MinuteClicks unrolled[] = {{7, 150, 1, 4}, {7, 151, 2, 0}, {7, 400, 8, 0}};
  AddUnrolledClicks(spans, unrolled, totals);
  EXPECT_EQ(totals.total, 10 + 11);
  EXPECT_EQ(totals.bot_total, 1 + 4);
  EXPECT_EQ(totals.span_sums, (std::vector<int64_t>{5 + 3, 1, 3 + 2, 2}));
}

TEST(UnrolledClicks, SeriesAddsToRolledBucketsAndFillsInOthersInOrder) {
  const BucketCount rolled[] = {{10, 5}, {12, 7}};
  // Hours 10, 11 and 13 have unrolled minutes; minute 660 is hour 11.
  const MinuteClicks unrolled[] = {{7, 600, 1, 0}, {7, 659, 2, 0}, {7, 660, 4, 9}, {7, 780, 8, 0}};
  EXPECT_EQ(PointsOf(AddUnrolledToSeries(rolled, unrolled, Granularity::kHour)),
            (Points{{10, 8}, {11, 4}, {12, 7}, {13, 8}}));
}

TEST(UnrolledClicks, BucketsOfBotClicksOnlyStayOutOfASeries) {
  const MinuteClicks unrolled[] = {{7, 1440, 0, 3}, {7, 2880, 1, 0}};
  EXPECT_EQ(PointsOf(AddUnrolledToSeries({}, unrolled, Granularity::kDay)), (Points{{2, 1}}));
  const BucketCount rolled[] = {{1, 2}};
  EXPECT_EQ(PointsOf(AddUnrolledToSeries(rolled, {}, Granularity::kDay)), (Points{{1, 2}}));
}

TEST(UnrolledClicks, MinutesBeforeTheEpochGoToTheBucketsBeforeIt) {
  const MinuteClicks unrolled[] = {{7, -1, 1, 0}, {7, 0, 2, 0}};
  EXPECT_EQ(PointsOf(AddUnrolledToSeries({}, unrolled, Granularity::kHour)),
            (Points{{-1, 1}, {0, 2}}));
}

}  // namespace
}  // namespace hop
