#include "core/click_windows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "core/clock.h"
#include "core/rfc3339.h"

namespace hop {
namespace {

using G = Granularity;

// Click counts per bucket at the three granularities, built from per-minute counts the way the
// store keeps them.
class BucketedCounts {
 public:
  void Add(int64_t minute, int64_t count) {
    minutes_[minute] += count;
    hours_[BucketOfMinute(G::kHour, minute)] += count;
    days_[BucketOfMinute(G::kDay, minute)] += count;
  }

  // The answer the stats path gives: only the buckets named by CoverMinutes.
  int64_t SumThroughRuns(int64_t first, int64_t last) const {
    int64_t total = 0;
    for (const BucketRun& run : CoverMinutes(first, last)) {
      const auto& buckets = run.granularity == G::kMinute ? minutes_
                            : run.granularity == G::kHour ? hours_
                                                          : days_;
      total += Sum(buckets, run.first, run.last);
    }
    return total;
  }

 private:
  static int64_t Sum(const std::map<int64_t, int64_t>& m, int64_t first, int64_t last) {
    int64_t total = 0;
    for (auto it = m.lower_bound(first); it != m.end() && it->first <= last; ++it) {
      total += it->second;
    }
    return total;
  }

  std::map<int64_t, int64_t> minutes_, hours_, days_;
};

int64_t Minute(const char* rfc3339) { return MinuteOf(*ParseRfc3339(rfc3339)); }

TEST(ClickWindows, EmptyWhenFirstIsAfterLast) { EXPECT_TRUE(CoverMinutes(10, 9).empty()); }

TEST(ClickWindows, SingleMinuteIsOneMinuteRun) {
  EXPECT_EQ(CoverMinutes(61, 61), (std::vector<BucketRun>{{G::kMinute, 61, 61}}));
}

TEST(ClickWindows, SpanInsideOneHourIsOneMinuteRun) {
  EXPECT_EQ(CoverMinutes(65, 118), (std::vector<BucketRun>{{G::kMinute, 65, 118}}));
}

TEST(ClickWindows, SpanShorterThanAnHourAcrossAHourBoundaryStaysInMinutes) {
  EXPECT_EQ(CoverMinutes(110, 130), (std::vector<BucketRun>{{G::kMinute, 110, 130}}));
}

TEST(ClickWindows, SpanOfAlmostTwoHoursWithoutAWholeHourStaysInMinutes) {
  EXPECT_EQ(CoverMinutes(61, 178), (std::vector<BucketRun>{{G::kMinute, 61, 178}}));
}

TEST(ClickWindows, ExactHourIsOneHourBucket) {
  EXPECT_EQ(CoverMinutes(120, 179), (std::vector<BucketRun>{{G::kHour, 2, 2}}));
}

TEST(ClickWindows, ExactDayIsOneDayBucket) {
  EXPECT_EQ(CoverMinutes(1440, 2879), (std::vector<BucketRun>{{G::kDay, 1, 1}}));
}

TEST(ClickWindows, SpanStartingOnAnHourBoundaryHasNoLeadingMinutes) {
  EXPECT_EQ(CoverMinutes(60, 150),
            (std::vector<BucketRun>{{G::kHour, 1, 1}, {G::kMinute, 120, 150}}));
}

TEST(ClickWindows, SpanEndingOnAnHourBoundaryHasNoTrailingMinutes) {
  EXPECT_EQ(CoverMinutes(30, 179),
            (std::vector<BucketRun>{{G::kMinute, 30, 59}, {G::kHour, 1, 2}}));
}

TEST(ClickWindows, HoursShorterThanADayStayInHours) {
  // 01:00 on day 0 to 00:59 on day 1: 24 hours, but no whole day.
  EXPECT_EQ(CoverMinutes(60, 1499), (std::vector<BucketRun>{{G::kHour, 1, 24}}));
}

TEST(ClickWindows, LongSpanUsesAllFiveRunsInTimeOrder) {
  int64_t first = Minute("2026-03-01T22:17:00Z");
  int64_t last = Minute("2026-03-04T05:42:00Z");
  int64_t day1 = BucketOfMinute(G::kDay, Minute("2026-03-02T00:00:00Z"));
  int64_t hour22 = BucketOfMinute(G::kHour, Minute("2026-03-01T22:00:00Z"));
  int64_t hour_day3 = BucketOfMinute(G::kHour, Minute("2026-03-04T00:00:00Z"));
  EXPECT_EQ(CoverMinutes(first, last), (std::vector<BucketRun>{
                                           {G::kMinute, first, first + 42},
                                           {G::kHour, hour22 + 1, hour22 + 1},
                                           {G::kDay, day1, day1 + 1},
                                           {G::kHour, hour_day3, hour_day3 + 4},
                                           {G::kMinute, Minute("2026-03-04T05:00:00Z"), last},
                                       }));
}

TEST(ClickWindows, DayAlignedSpanIsOnlyDays) {
  int64_t first = Minute("2026-03-01T00:00:00Z");
  int64_t last = Minute("2026-03-30T23:59:00Z");
  ASSERT_EQ(CoverMinutes(first, last).size(), 1u);
  EXPECT_EQ(CoverMinutes(first, last)[0],
            (BucketRun{G::kDay, first / kMinutesPerDay, last / kMinutesPerDay}));
}

TEST(ClickWindows, NegativeMinutesUseFloorDivision) {
  EXPECT_EQ(BucketOfMinute(G::kHour, -1), -1);
  EXPECT_EQ(BucketOfMinute(G::kHour, -60), -1);
  EXPECT_EQ(BucketOfMinute(G::kHour, -61), -2);
  EXPECT_EQ(BucketOfMinute(G::kDay, -1), -1);
  EXPECT_EQ(BucketOfMinute(G::kDay, -1441), -2);
  EXPECT_EQ(BucketOfMinute(G::kMinute, -7), -7);
  EXPECT_EQ(CoverMinutes(-90, -1),
            (std::vector<BucketRun>{{G::kMinute, -90, -61}, {G::kHour, -1, -1}}));
  EXPECT_EQ(CoverMinutes(-1440, -1), (std::vector<BucketRun>{{G::kDay, -1, -1}}));
}

TEST(ClickWindows, BucketOfMinuteAndFirstMinuteOfBucketAgree) {
  for (int64_t minute : {-3000, -1441, -1440, -61, -1, 0, 1, 59, 60, 1439, 1440, 29'000'000}) {
    for (G g : {G::kMinute, G::kHour, G::kDay}) {
      int64_t bucket = BucketOfMinute(g, minute);
      EXPECT_LE(FirstMinuteOfBucket(g, bucket), minute);
      EXPECT_GT(FirstMinuteOfBucket(g, bucket + 1), minute);
    }
  }
  EXPECT_EQ(FirstMinuteOfBucket(G::kHour, 2), 120);
  EXPECT_EQ(FirstMinuteOfBucket(G::kDay, -1), -1440);
}

TEST(ClickWindows, StatsWindowsNeedAtMostFiveRuns) {
  int64_t now = Minute("2026-05-17T13:29:00Z");
  for (int64_t window : {kLast24hMinutes, kLast7dMinutes, kLast30dMinutes}) {
    MinuteSpan span = WindowEndingAt(now, window);
    EXPECT_EQ(span.last - span.first + 1, window);
    EXPECT_LE(CoverMinutes(span.first, span.last).size(), 5u);
  }
}

// Checks that `runs` tile [first, last] in order, and that no run could be replaced by coarser
// buckets: a minute run contains no whole aligned hour, an hour run no whole aligned day.
void ExpectExactCoarsestCover(const std::vector<BucketRun>& runs, int64_t first, int64_t last) {
  ASSERT_FALSE(runs.empty());
  ASSERT_LE(runs.size(), 5u);
  int64_t next = first;
  for (const BucketRun& run : runs) {
    ASSERT_LE(run.first, run.last);
    ASSERT_EQ(FirstMinuteOfBucket(run.granularity, run.first), next);
    next = FirstMinuteOfBucket(run.granularity, run.last + 1);
    if (run.granularity != G::kDay) {
      G coarser = run.granularity == G::kMinute ? G::kHour : G::kDay;
      int64_t start = FirstMinuteOfBucket(run.granularity, run.first);
      int64_t whole_coarser_buckets =
          BucketOfMinute(coarser, next) - (BucketOfMinute(coarser, start - 1) + 1);
      EXPECT_LE(whole_coarser_buckets, 0) << "run " << run.first << ".." << run.last;
    }
  }
  EXPECT_EQ(next, last + 1);
}

TEST(ClickWindows, RandomSpansSumTheSameThroughRunsAsMinuteByMinute) {
  std::mt19937_64 rng(20260517);
  const int64_t origin = Minute("2026-01-01T00:00:00Z");
  const int64_t range = 45 * kMinutesPerDay;
  std::uniform_int_distribution<int64_t> any_minute(0, range - 1);

  // The same clicks twice: per minute in a plain array (the reference), and in buckets.
  std::vector<int64_t> per_minute(range);
  BucketedCounts counts;
  std::uniform_int_distribution<int64_t> clicks(1, 5);
  for (int i = 0; i < 50'000; ++i) {
    int64_t minute = any_minute(rng);
    int64_t n = clicks(rng);
    per_minute[minute] += n;
    counts.Add(origin + minute, n);
  }

  // Half the spans get endpoints snapped to an hour or day boundary (or one minute off it), where
  // off-by-one mistakes live.
  auto snap = [&](int64_t m) {
    int64_t unit = (rng() % 2) ? kMinutesPerHour : kMinutesPerDay;
    int64_t offset = static_cast<int64_t>(rng() % 3) - 1;
    return (m / unit) * unit + offset;
  };
  for (int i = 0; i < 5'000; ++i) {
    int64_t a = any_minute(rng);
    int64_t b = (i % 3 == 0) ? a + static_cast<int64_t>(rng() % 200) : any_minute(rng);
    if (i % 2 == 0) {
      a = snap(a);
      b = snap(b);
    }
    a = std::clamp<int64_t>(a, 0, range - 1);
    b = std::clamp<int64_t>(b, 0, range - 1);
    int64_t first = origin + std::min(a, b);
    int64_t last = origin + std::max(a, b);
    SCOPED_TRACE(testing::Message() << "span " << first << ".." << last);
    ExpectExactCoarsestCover(CoverMinutes(first, last), first, last);
    int64_t minute_by_minute = 0;
    for (int64_t m = first; m <= last; ++m) minute_by_minute += per_minute[m - origin];
    EXPECT_EQ(counts.SumThroughRuns(first, last), minute_by_minute);
  }
}

// The stats windows' edges, driven by a clock the way the service reads them.
class ClickWindowEdges : public testing::Test {
 protected:
  ManualClock clock_{*ParseRfc3339("2026-05-17T13:29:41.250Z")};
  BucketedCounts counts_;

  void ClickNow() { counts_.Add(MinuteOf(clock_.Now()), 1); }
  int64_t ClicksInLast(int64_t window) const {
    MinuteSpan span = WindowEndingAt(MinuteOf(clock_.Now()), window);
    return counts_.SumThroughRuns(span.first, span.last);
  }
};

TEST_F(ClickWindowEdges, ClickInTheCurrentMinuteIsInLast24h) {
  ClickNow();
  clock_.Advance(std::chrono::seconds(18));  // still 13:29
  EXPECT_EQ(ClicksInLast(kLast24hMinutes), 1);
}

TEST_F(ClickWindowEdges, Click1439MinutesAgoIsInLast24h) {
  ClickNow();
  clock_.Advance(std::chrono::minutes(1439));
  EXPECT_EQ(ClicksInLast(kLast24hMinutes), 1);
}

TEST_F(ClickWindowEdges, ClickExactly1440MinutesAgoLeavesLast24h) {
  ClickNow();
  clock_.Advance(std::chrono::minutes(1440));
  EXPECT_EQ(ClicksInLast(kLast24hMinutes), 0);
  EXPECT_EQ(ClicksInLast(kLast7dMinutes), 1);
}

TEST_F(ClickWindowEdges, Click10079MinutesAgoIsInLast7d) {
  ClickNow();
  clock_.Advance(std::chrono::minutes(10079));
  EXPECT_EQ(ClicksInLast(kLast7dMinutes), 1);
}

TEST_F(ClickWindowEdges, ClickExactly7DaysAgoLeavesLast7d) {
  ClickNow();
  clock_.Advance(std::chrono::minutes(10080));
  EXPECT_EQ(ClicksInLast(kLast7dMinutes), 0);
  EXPECT_EQ(ClicksInLast(kLast30dMinutes), 1);
}

TEST_F(ClickWindowEdges, Click43199MinutesAgoIsInLast30d) {
  ClickNow();
  clock_.Advance(std::chrono::minutes(43199));
  EXPECT_EQ(ClicksInLast(kLast30dMinutes), 1);
}

TEST_F(ClickWindowEdges, ClickExactly30DaysAgoLeavesLast30d) {
  ClickNow();
  clock_.Advance(std::chrono::minutes(43200));
  EXPECT_EQ(ClicksInLast(kLast30dMinutes), 0);
}

TEST_F(ClickWindowEdges, WindowsNestAsTheContractRequires) {
  for (int i = 0; i < 40 * 24; ++i) {
    ClickNow();
    clock_.Advance(std::chrono::minutes(61));
  }
  int64_t day = ClicksInLast(kLast24hMinutes);
  int64_t week = ClicksInLast(kLast7dMinutes);
  int64_t month = ClicksInLast(kLast30dMinutes);
  EXPECT_GT(day, 0);
  EXPECT_LE(day, week);
  EXPECT_LE(week, month);
  EXPECT_LT(month, 40 * 24);
}

}  // namespace
}  // namespace hop
