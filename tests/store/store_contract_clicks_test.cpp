// Store contract: click totals, window sums at their edges, series, pruning, and clicks of deleted
// links.
#include <map>
#include <random>
#include <vector>

#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

const MinuteSpan kWindows[] = {WindowEndingAt(kNowMinute, kLast24hMinutes),
                               WindowEndingAt(kNowMinute, kLast7dMinutes),
                               WindowEndingAt(kNowMinute, kLast30dMinutes)};

TEST_P(StoreContract, AddClicksRaisesTheTotalsAndTheRollupTheLinks) {
  int64_t id = Must(store().CreateLink("c", UrlFields("https://example.com/"), kNow)).id;
  MinuteClicks batch[] = {{id, kNowMinute, 3, 1}, {id, kNowMinute - 1, 4, 0}};
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));
  ClickTotals totals = Must(store().ReadClickTotals(id, kWindows));
  EXPECT_EQ(totals.total, 14);
  EXPECT_EQ(totals.bot_total, 2);
  EXPECT_EQ(totals.span_sums, (std::vector<int64_t>{14, 14, 14}));
  // A link as the store returns it counts the clicks rolled up so far.
  EXPECT_EQ(Must(store().FindLink("c")).total_clicks, 0);
  ASSERT_TRUE(Must(store().RollUpClicks(kNowMinute + 1, 1000)));
  Link link = Must(store().FindLink("c"));
  EXPECT_EQ(link.total_clicks, 14);
  EXPECT_EQ(link.bot_clicks, 2);
}

TEST_P(StoreContract, AddClicksOfAnEmptyBatchIsOk) { EXPECT_TRUE(IsOk(store().AddClicks({}))); }

TEST_P(StoreContract, NewLinkHasZeroTotals) {
  int64_t id = Must(store().CreateLink("z", UrlFields("https://example.com/"), kNow)).id;
  ClickTotals totals = Must(store().ReadClickTotals(id, kWindows));
  EXPECT_EQ(totals.total, 0);
  EXPECT_EQ(totals.bot_total, 0);
  EXPECT_EQ(totals.span_sums, (std::vector<int64_t>{0, 0, 0}));
}

TEST_P(StoreContract, WindowsIncludeTheirOldestMinuteAndNotTheOneBefore) {
  int64_t id = Must(store().CreateLink("edges", UrlFields("https://example.com/"), kNow)).id;
  // Powers of two, so every sum says exactly which clicks it holds.
  MinuteClicks batch[] = {
      Humans(id, kNowMinute, 1),
      Humans(id, kNowMinute - (kLast24hMinutes - 1), 2),
      Humans(id, kNowMinute - kLast24hMinutes, 4),
      Humans(id, kNowMinute - (kLast7dMinutes - 1), 8),
      Humans(id, kNowMinute - kLast7dMinutes, 16),
      Humans(id, kNowMinute - (kLast30dMinutes - 1), 32),
      Humans(id, kNowMinute - kLast30dMinutes, 64),
  };
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));
  ClickTotals totals = Must(store().ReadClickTotals(id, kWindows));
  EXPECT_EQ(totals.span_sums,
            (std::vector<int64_t>{1 + 2, 1 + 2 + 4 + 8, 1 + 2 + 4 + 8 + 16 + 32}));
  EXPECT_EQ(totals.total, 127);
}

TEST_P(StoreContract, SpanSumsMatchACountOfEveryClick) {
  int64_t id = Must(store().CreateLink("random", UrlFields("https://example.com/"), kNow)).id;
  std::mt19937_64 random(42);
  std::uniform_int_distribution<int64_t> age(0, 40 * kMinutesPerDay);
  std::map<int64_t, int64_t> by_minute;
  for (int i = 0; i < 400; ++i) by_minute[kNowMinute - age(random)] += 1 + i % 3;
  std::vector<MinuteClicks> batch;
  for (const auto& [minute, humans] : by_minute) batch.push_back(Humans(id, minute, humans));
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));

  std::vector<MinuteSpan> spans;
  for (int i = 0; i < 40; ++i) {
    int64_t a = kNowMinute - age(random);
    int64_t b = kNowMinute - age(random);
    spans.push_back({std::min(a, b), std::max(a, b)});
  }
  spans.push_back({kNowMinute, kNowMinute - 1});  // empty
  std::vector<int64_t> expected;
  for (const MinuteSpan& span : spans) {
    int64_t sum = 0;
    for (const auto& [minute, humans] : by_minute) {
      if (minute >= span.first && minute <= span.last) sum += humans;
    }
    expected.push_back(sum);
  }
  EXPECT_EQ(Must(store().ReadClickTotals(id, spans)).span_sums, expected);
}

TEST_P(StoreContract, ReadClickTotalsWithoutSpansReturnsOnlyTotals) {
  int64_t id = Must(store().CreateLink("bare", UrlFields("https://example.com/"), kNow)).id;
  MinuteClicks batch[] = {{id, kNowMinute, 2, 3}};
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));
  ClickTotals totals = Must(store().ReadClickTotals(id, {}));
  EXPECT_EQ(totals.total, 2);
  EXPECT_EQ(totals.bot_total, 3);
  EXPECT_TRUE(totals.span_sums.empty());
}

TEST_P(StoreContract, BotClicksAreCountedApartFromHumans) {
  int64_t id = Must(store().CreateLink("bots", UrlFields("https://example.com/"), kNow)).id;
  MinuteClicks batch[] = {{id, kNowMinute, 0, 7}, {id, kNowMinute - 1, 2, 5}};
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));
  ClickTotals totals = Must(store().ReadClickTotals(id, kWindows));
  EXPECT_EQ(totals.total, 2);
  EXPECT_EQ(totals.bot_total, 12);
  EXPECT_EQ(totals.span_sums, (std::vector<int64_t>{2, 2, 2}));
  std::vector<BucketCount> series =
      Must(store().ReadClickSeries(id, Granularity::kMinute, kNowMinute - 5, kNowMinute));
  ASSERT_EQ(series.size(), 1u);  // the minute with only bots is not in the series
  EXPECT_EQ(series[0].bucket, kNowMinute - 1);
  EXPECT_EQ(series[0].clicks, 2);
}

TEST_P(StoreContract, ReadClickTotalsOfMissingLinkIsNotFound) {
  int64_t id = Must(store().CreateLink("short", UrlFields("https://example.com/"), kNow)).id;
  ASSERT_TRUE(IsOk(store().DeleteLink("short", std::nullopt)));
  EXPECT_TRUE(FailsWith(store().ReadClickTotals(id, kWindows), ErrorCode::kNotFound));
}

// The pipeline may hold clicks of a link while it is deleted and write them after: they must count
// nowhere, neither for the link (gone) nor for any other, nor for one created later.
TEST_P(StoreContract, ClicksWrittenAfterTheirLinkIsDeletedCountNowhere) {
  int64_t kept = Must(store().CreateLink("kept", UrlFields("https://example.com/"), kNow)).id;
  int64_t gone = Must(store().CreateLink("gone", UrlFields("https://example.com/"), kNow)).id;
  ASSERT_TRUE(IsOk(store().DeleteLink("gone", std::nullopt)));
  MinuteClicks batch[] = {
      {gone, kNowMinute - 1, 4, 2}, Humans(kept, kNowMinute - 1, 3), Humans(gone, kNowMinute, 5)};
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));
  EXPECT_TRUE(FailsWith(store().ReadClickTotals(gone, kWindows), ErrorCode::kNotFound));
  for (Granularity g : {Granularity::kMinute, Granularity::kHour, Granularity::kDay}) {
    EXPECT_TRUE(Must(store().ReadClickSeries(gone, g, 0, kNowMinute)).empty());
  }
  const int64_t both[] = {gone, kept};
  std::vector<ClickTotals> all_time = Must(store().ReadAllTimeClicks(both));
  EXPECT_EQ(all_time[0].total + all_time[0].bot_total, 0);
  EXPECT_EQ(all_time[1].total, 3);
  EXPECT_EQ(Must(store().ReadClickTotals(kept, kWindows)).span_sums,
            (std::vector<int64_t>{3, 3, 3}));

  // A step per link id: the deleted link, the newest, is in the last step, which has no end.
  while (!Must(store().RollUpClicks(kNowMinute + 1, 1))) {
  }
  EXPECT_EQ(Must(store().FindLink("kept")).total_clicks, 3);
  EXPECT_EQ(Must(store().ReadAllTimeClicks(both))[0].total, 0);
  Link reborn = Must(store().CreateLink("gone", UrlFields("https://example.com/"), kNow));
  EXPECT_NE(reborn.id, gone);
  ClickTotals fresh = Must(store().ReadClickTotals(reborn.id, kWindows));
  EXPECT_EQ(fresh.total + fresh.bot_total, 0);
  EXPECT_EQ(fresh.span_sums, (std::vector<int64_t>{0, 0, 0}));
}

TEST_P(StoreContract, DeleteRemovesStatsSoTheSameCodeStartsAtZero) {
  int64_t old_id = Must(store().CreateLink("reborn", UrlFields("https://example.com/"), kNow)).id;
  MinuteClicks batch[] = {{old_id, kNowMinute, 9, 4}, {old_id, kNowMinute - 3000, 6, 0}};
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));
  ASSERT_TRUE(IsOk(store().DeleteLink("reborn", std::nullopt)));
  for (Granularity g : {Granularity::kMinute, Granularity::kHour, Granularity::kDay}) {
    EXPECT_TRUE(Must(store().ReadClickSeries(old_id, g, 0, kNowMinute)).empty());
  }
  Link fresh = Must(store().CreateLink("reborn", UrlFields("https://example.com/"), kNow));
  EXPECT_EQ(fresh.total_clicks, 0);
  ClickTotals totals = Must(store().ReadClickTotals(fresh.id, kWindows));
  EXPECT_EQ(totals.total, 0);
  EXPECT_EQ(totals.bot_total, 0);
  EXPECT_EQ(totals.span_sums, (std::vector<int64_t>{0, 0, 0}));
}

TEST_P(StoreContract, SeriesAreSparseAscendingAndSummedPerGranularity) {
  int64_t id = Must(store().CreateLink("series", UrlFields("https://example.com/"), kNow)).id;
  int64_t hour = BucketOfMinute(Granularity::kHour, kNowMinute);
  int64_t day = BucketOfMinute(Granularity::kDay, kNowMinute);
  int64_t hour_start = FirstMinuteOfBucket(Granularity::kHour, hour);
  int64_t day_start = FirstMinuteOfBucket(Granularity::kDay, day);
  MinuteClicks batch[] = {
      Humans(id, hour_start, 1),      // this hour, first minute
      Humans(id, hour_start + 2, 2),  // this hour
      Humans(id, hour_start - 1, 4),  // the hour before, last minute
      Humans(id, day_start - 1, 8),   // the day before, last minute
      Humans(id, day_start - 2 * kMinutesPerDay, 16),
  };
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));

  auto series = [&](Granularity g, int64_t first, int64_t last) {
    std::vector<std::pair<int64_t, int64_t>> points;
    for (const BucketCount& c : Must(store().ReadClickSeries(id, g, first, last))) {
      points.emplace_back(c.bucket, c.clicks);
    }
    return points;
  };
  using Points = std::vector<std::pair<int64_t, int64_t>>;
  EXPECT_EQ(series(Granularity::kMinute, hour_start - 1, hour_start + 59),
            (Points{{hour_start - 1, 4}, {hour_start, 1}, {hour_start + 2, 2}}));
  // Bounds are inclusive at both ends.
  EXPECT_EQ(series(Granularity::kMinute, hour_start, hour_start), (Points{{hour_start, 1}}));
  EXPECT_EQ(series(Granularity::kMinute, hour_start + 3, kNowMinute), Points{});
  EXPECT_EQ(
      series(Granularity::kHour, hour - 30, hour),
      (Points{{BucketOfMinute(Granularity::kHour, day_start - 1), 8}, {hour - 1, 4}, {hour, 3}}));
  EXPECT_EQ(series(Granularity::kDay, day - 10, day),
            (Points{{day - 2, 16}, {day - 1, 8}, {day, 7}}));
  EXPECT_EQ(series(Granularity::kDay, day - 1, day - 1), (Points{{day - 1, 8}}));
}

TEST_P(StoreContract, PruneDropsOldMinuteAndHourBucketsOnly) {
  int64_t id = Must(store().CreateLink("prune", UrlFields("https://example.com/"), kNow)).id;
  int64_t old_minute = kNowMinute - kMinuteRetentionMinutes - 10;
  int64_t older_minute = kNowMinute - kHourRetentionMinutes - 2 * kMinutesPerDay;
  MinuteClicks batch[] = {Humans(id, kNowMinute, 1), Humans(id, old_minute, 2),
                          Humans(id, older_minute, 4)};
  ASSERT_TRUE(IsOk(store().AddClicks(batch)));
  ASSERT_TRUE(Must(store().RollUpClicks(kNowMinute, 1000)));  // prune keeps unrolled minutes
  int64_t minute_before = kNowMinute - kMinuteRetentionMinutes;
  int64_t hour_before = BucketOfMinute(Granularity::kHour, kNowMinute - kHourRetentionMinutes);
  ASSERT_TRUE(IsOk(store().PruneClickBuckets(minute_before, hour_before)));

  std::vector<BucketCount> minutes =
      Must(store().ReadClickSeries(id, Granularity::kMinute, 0, kNowMinute));
  ASSERT_EQ(minutes.size(), 1u);
  EXPECT_EQ(minutes[0].bucket, kNowMinute);
  std::vector<BucketCount> hours = Must(store().ReadClickSeries(
      id, Granularity::kHour, 0, BucketOfMinute(Granularity::kHour, kNowMinute)));
  ASSERT_EQ(hours.size(), 2u);
  EXPECT_EQ(hours[0].bucket, BucketOfMinute(Granularity::kHour, old_minute));
  std::vector<BucketCount> days = Must(store().ReadClickSeries(
      id, Granularity::kDay, 0, BucketOfMinute(Granularity::kDay, kNowMinute)));
  EXPECT_EQ(days.size(), 3u);
  // Totals and windows do not depend on pruned buckets.
  ClickTotals totals = Must(store().ReadClickTotals(id, kWindows));
  EXPECT_EQ(totals.total, 7);
  EXPECT_EQ(totals.span_sums, (std::vector<int64_t>{1, 1, 1}));
}

}  // namespace
}  // namespace hop
