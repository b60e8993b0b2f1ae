#include "service/stats_service.h"

#include <gtest/gtest.h>

#include "core/rfc3339.h"
#include "service/click_pipeline.h"
#include "service_test_support.h"

namespace hop {
namespace {

class StatsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    id_ = Must(store_->CreateLink("hello", UrlFields("https://example.com/"), kNow)).id;
  }

  // One human click `minutes_ago` minutes before kNow.
  void ClickMinutesAgo(int64_t minutes_ago, int64_t count = 1) {
    const MinuteClicks clicks{id_, kNowMinute - minutes_ago, count, 0};
    ASSERT_TRUE(IsOk(store_->AddClicks({&clicks, 1})));
  }
  LinkStats Stats() { return Must(stats_.Stats("hello", admin_)); }

  TempSqliteStore store_;
  ManualClock clock_{kNow};
  StatsService stats_{*store_, clock_};
  Principal admin_ = TestPrincipal(*store_, "admin");
  int64_t id_ = 0;
};

TEST_F(StatsServiceTest, ClickInTheCurrentMinuteCountsInEveryWindow) {
  ClickMinutesAgo(0);
  LinkStats s = Stats();
  EXPECT_EQ(s.total, 1);
  EXPECT_EQ(s.last_24h, 1);
  EXPECT_EQ(s.last_7d, 1);
  EXPECT_EQ(s.last_30d, 1);
  EXPECT_EQ(s.as_of, kNow);
}

TEST_F(StatsServiceTest, Click1439MinutesAgoIsInLast24h) {
  ClickMinutesAgo(1439);
  EXPECT_EQ(Stats().last_24h, 1);
}

TEST_F(StatsServiceTest, ClickExactly1440MinutesAgoLeavesLast24h) {
  ClickMinutesAgo(1440);
  LinkStats s = Stats();
  EXPECT_EQ(s.last_24h, 0);
  EXPECT_EQ(s.last_7d, 1);
}

TEST_F(StatsServiceTest, SevenAndThirtyDayEdgesAreExactToTheMinute) {
  ClickMinutesAgo(kLast7dMinutes - 1);
  ClickMinutesAgo(kLast7dMinutes, 10);
  ClickMinutesAgo(kLast30dMinutes - 1, 100);
  ClickMinutesAgo(kLast30dMinutes, 1000);
  LinkStats s = Stats();
  EXPECT_EQ(s.last_7d, 1);
  EXPECT_EQ(s.last_30d, 111);
  EXPECT_EQ(s.total, 1111);
}

TEST_F(StatsServiceTest, WindowsSlideAsTheClockMoves) {
  ClickMinutesAgo(0, 5);
  clock_.Advance(std::chrono::minutes(1439));
  EXPECT_EQ(Stats().last_24h, 5);
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_EQ(Stats().last_24h, 0);
  EXPECT_EQ(Stats().last_7d, 5);
}

TEST_F(StatsServiceTest, WindowsAreNestedWhereverClicksFall) {
  for (int64_t ago : {0, 59, 60, 1439, 1440, 3000, 10079, 10080, 40000, 43199, 43200, 50000}) {
    ClickMinutesAgo(ago, ago + 1);
  }
  LinkStats s = Stats();
  EXPECT_LE(s.last_24h, s.last_7d);
  EXPECT_LE(s.last_7d, s.last_30d);
  EXPECT_LE(s.last_30d, s.total);
  EXPECT_EQ(s.last_24h, 1 + 60 + 61 + 1440);
}

TEST_F(StatsServiceTest, EveryAnswerIsTheSameBeforeAndAfterThePipelineRollsUp) {
  // Clicks on both sides of the last hour and day boundaries before kNow, as the pipeline counts
  // them.
  const int64_t hour_start =
      FirstMinuteOfBucket(Granularity::kHour, BucketOfMinute(Granularity::kHour, kNowMinute));
  const int64_t day_start =
      FirstMinuteOfBucket(Granularity::kDay, BucketOfMinute(Granularity::kDay, kNowMinute));
  ClickPipeline pipeline(*store_, clock_, 1, {});
  int clicks = 0;
  for (int64_t minute :
       {day_start - 1, day_start, hour_start - 61, hour_start - 1, hour_start, kNowMinute}) {
    for (int i = 0; i < 1 + minute % 3; ++i, ++clicks)
      pipeline.recorder(0).Record({id_, static_cast<int32_t>(minute), false});
  }
  ASSERT_TRUE(IsOk(pipeline.Flush()));

  auto answers = [&] {
    std::vector<int64_t> all;
    LinkStats s = Stats();
    all.insert(all.end(), {s.total, s.last_24h, s.last_7d, s.last_30d});
    for (Granularity g : {Granularity::kMinute, Granularity::kHour, Granularity::kDay}) {
      for (const SeriesPoint& p :
           Must(stats_.ReadSeries("hello", {.step = g, .from = {}, .to = kNow}, admin_)).points)
        all.push_back(p.count);
    }
    return all;
  };
  const std::vector<int64_t> before = answers();
  EXPECT_EQ(before[0], clicks);
  clock_.Advance(std::chrono::minutes(kMinutesPerHour));  // kNow's hour has ended
  ASSERT_TRUE(IsOk(pipeline.RollUp()));
  clock_.Set(kNow);
  EXPECT_EQ(answers(), before);
  EXPECT_EQ(Must(store_->FindLink("hello")).total_clicks, clicks);  // all of them rolled up
}

TEST_F(StatsServiceTest, UnknownCodeIsNotFound) {
  EXPECT_TRUE(FailsWith(stats_.Stats("nope", admin_), ErrorCode::kNotFound));
}

TEST_F(StatsServiceTest, MinuteSeriesIsZeroFilledFromTheBucketOfFromToTheBucketOfTo) {
  ClickMinutesAgo(3, 7);
  SeriesRequest request{
      .step = Granularity::kMinute, .from = kNow - std::chrono::minutes(10), .to = kNow};
  Series series = Must(stats_.ReadSeries("hello", request, admin_));
  ASSERT_EQ(series.points.size(), 11u);
  int64_t sum = 0;
  for (const SeriesPoint& p : series.points) sum += p.count;
  EXPECT_EQ(sum, 7);
  EXPECT_EQ(series.points[7].count, 7);
  EXPECT_EQ(MinuteOf(series.points[7].t), kNowMinute - 3);
}

TEST_F(StatsServiceTest, DaySeriesSumsEveryClickOfEachDay) {
  ClickMinutesAgo(0, 2);
  ClickMinutesAgo(kMinutesPerDay * 3, 5);
  Series series =
      Must(stats_.ReadSeries("hello", {.step = Granularity::kDay, .from = {}, .to = {}}, admin_));
  ASSERT_EQ(series.points.size(), 31u);
  EXPECT_EQ(series.points.back().count, 2);
  int64_t sum = 0;
  for (const SeriesPoint& p : series.points) sum += p.count;
  EXPECT_EQ(sum, 7);
}

TEST_F(StatsServiceTest, SeriesRefusesFromAfterTo) {
  SeriesRequest request{.step = Granularity::kHour, .from = kNow, .to = kNow - Millis(1)};
  EXPECT_TRUE(FailsWith(stats_.ReadSeries("hello", request, admin_), ErrorCode::kInvalidRequest));
}

TEST_F(StatsServiceTest, SeriesRefusesTooManyPoints) {
  SeriesRequest request{.step = Granularity::kMinute,
                        .from = kNow - std::chrono::minutes(kMaxSeriesPoints),
                        .to = kNow};
  EXPECT_TRUE(FailsWith(stats_.ReadSeries("hello", request, admin_), ErrorCode::kInvalidRequest));
}

TEST_F(StatsServiceTest, MinuteSeriesRefusesToReachPastMinuteRetention) {
  SeriesRequest request{.step = Granularity::kMinute,
                        .from = kNow - std::chrono::minutes(kMinuteRetentionMinutes + 1),
                        .to = kNow - std::chrono::minutes(kMinuteRetentionMinutes - 100)};
  EXPECT_TRUE(FailsWith(stats_.ReadSeries("hello", request, admin_), ErrorCode::kInvalidRequest));
}

}  // namespace
}  // namespace hop
