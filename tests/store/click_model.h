// A model of the clicks a test wrote to a store, and a check of every click answer the store gives
// against it: totals, many spans, and series at every granularity. Whatever the store has rolled up
// or not, its answers must be the model's.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "store_test_support.h"

namespace hop {

class ClickModel {
 public:
  void Add(std::span<const MinuteClicks> clicks) {
    for (const MinuteClicks& c : clicks) {
      auto& [humans, bots] = links_[c.link_id][c.minute];
      humans += c.humans;
      bots += c.bots;
    }
  }
  void Forget(int64_t link_id) { links_.erase(link_id); }

  // Adds `clicks` to the store and to the model.
  ::testing::AssertionResult Write(Store& store, std::span<const MinuteClicks> clicks) {
    Status added = store.AddClicks(clicks);
    if (!added.ok()) return IsOk(added);
    Add(clicks);
    return ::testing::AssertionSuccess();
  }

  ClickTotals Totals(int64_t link_id, std::span<const MinuteSpan> spans) const {
    ClickTotals totals;
    totals.span_sums.assign(spans.size(), 0);
    for (const auto& [minute, counts] : MinutesOf(link_id)) {
      totals.total += counts.first;
      totals.bot_total += counts.second;
      for (size_t i = 0; i < spans.size(); ++i) {
        if (minute >= spans[i].first && minute <= spans[i].last)
          totals.span_sums[i] += counts.first;
      }
    }
    return totals;
  }

  std::vector<std::pair<int64_t, int64_t>> Series(int64_t link_id, Granularity g, int64_t first,
                                                  int64_t last) const {
    std::map<int64_t, int64_t> buckets;
    for (const auto& [minute, counts] : MinutesOf(link_id)) {
      const int64_t bucket = BucketOfMinute(g, minute);
      if (bucket >= first && bucket <= last) buckets[bucket] += counts.first;
    }
    std::vector<std::pair<int64_t, int64_t>> series;
    for (const auto& [bucket, clicks] : buckets) {
      if (clicks > 0) series.emplace_back(bucket, clicks);
    }
    return series;
  }

  // Spans around the link's clicks: the three windows ending at kNowMinute, and spans between
  // pairs of minutes that have clicks, one minute either side of each, so that every edge of a run
  // of buckets is crossed somewhere.
  std::vector<MinuteSpan> SpansAround(int64_t link_id) const {
    std::vector<MinuteSpan> spans = {WindowEndingAt(kNowMinute, kLast24hMinutes),
                                     WindowEndingAt(kNowMinute, kLast7dMinutes),
                                     WindowEndingAt(kNowMinute, kLast30dMinutes)};
    std::vector<int64_t> minutes;
    for (const auto& [minute, counts] : MinutesOf(link_id)) minutes.push_back(minute);
    const size_t step = std::max<size_t>(1, minutes.size() / 12);
    for (size_t i = 0; i < minutes.size(); i += step) {
      for (size_t j = i; j < minutes.size(); j += step) {
        for (int64_t d : {-1, 0, 1}) spans.push_back({minutes[i] + d, minutes[j] - d});
      }
    }
    return spans;
  }

 private:
  using Minutes = std::map<int64_t, std::pair<int64_t, int64_t>>;  // minute -> (humans, bots)

  const Minutes& MinutesOf(int64_t link_id) const {
    static const Minutes kNone;
    auto it = links_.find(link_id);
    return it == links_.end() ? kNone : it->second;
  }

  std::map<int64_t, Minutes> links_;
};

// Clicks of `link_id` at random minutes of the 40 days up to kNowMinute, a few of them bots only.
inline std::vector<MinuteClicks> RandomClicks(int64_t link_id, unsigned seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int64_t> age(0, 40 * kMinutesPerDay);
  std::map<int64_t, MinuteClicks> by_minute;
  for (int i = 0; i < 150; ++i) {
    const int64_t minute = kNowMinute - age(random);
    MinuteClicks& entry =
        by_minute.try_emplace(minute, MinuteClicks{link_id, minute, 0, 0}).first->second;
    if (i % 7 == 0) {
      entry.bots += 1;
    } else {
      entry.humans += 1 + i % 3;
    }
  }
  std::vector<MinuteClicks> clicks;
  for (const auto& [minute, entry] : by_minute) clicks.push_back(entry);
  return clicks;
}

// Every click answer of `store` about `link_id` against `model`: the totals with the spans around
// the link's clicks, the all-time totals, and the series of each granularity from a day before the
// link's first click to a day after its last (or around kNowMinute for a link without clicks).
inline ::testing::AssertionResult AnswersMatch(Store& store, const ClickModel& model,
                                               int64_t link_id) {
  const std::vector<MinuteSpan> spans = model.SpansAround(link_id);
  Result<ClickTotals> totals = store.ReadClickTotals(link_id, spans);
  if (!totals.ok()) return IsOk(totals);
  const ClickTotals expected = model.Totals(link_id, spans);
  if (totals.value().total != expected.total || totals.value().bot_total != expected.bot_total) {
    return ::testing::AssertionFailure()
           << "link " << link_id << ": totals " << totals.value().total << "/"
           << totals.value().bot_total << ", expected " << expected.total << "/"
           << expected.bot_total;
  }
  for (size_t i = 0; i < spans.size(); ++i) {
    if (totals.value().span_sums[i] != expected.span_sums[i]) {
      return ::testing::AssertionFailure()
             << "link " << link_id << ": span [" << spans[i].first << ", " << spans[i].last
             << "] sums " << totals.value().span_sums[i] << ", expected " << expected.span_sums[i];
    }
  }
  const int64_t ids[] = {link_id};
  Result<std::vector<ClickTotals>> all_time = store.ReadAllTimeClicks(ids);
  if (!all_time.ok()) return IsOk(all_time);
  if (all_time.value().size() != 1 || all_time.value()[0].total != expected.total ||
      all_time.value()[0].bot_total != expected.bot_total) {
    return ::testing::AssertionFailure() << "link " << link_id << ": all-time clicks differ";
  }
  int64_t first_minute = kNowMinute;
  int64_t last_minute = kNowMinute;
  for (const MinuteSpan& span : spans) {
    first_minute = std::min(first_minute, span.first);
    last_minute = std::max(last_minute, span.last);
  }
  for (Granularity g : {Granularity::kMinute, Granularity::kHour, Granularity::kDay}) {
    const int64_t first = BucketOfMinute(g, first_minute - kMinutesPerDay);
    const int64_t last = BucketOfMinute(g, last_minute + kMinutesPerDay);
    Result<std::vector<BucketCount>> series = store.ReadClickSeries(link_id, g, first, last);
    if (!series.ok()) return IsOk(series);
    std::vector<std::pair<int64_t, int64_t>> points;
    for (const BucketCount& c : series.value()) points.emplace_back(c.bucket, c.clicks);
    if (points != model.Series(link_id, g, first, last)) {
      return ::testing::AssertionFailure() << "link " << link_id << ": the series of granularity "
                                           << static_cast<int>(g) << " differs from the model";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace hop
