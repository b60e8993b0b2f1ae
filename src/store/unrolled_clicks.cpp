// Adding unrolled minute rows to totals, span sums and series.
#include "store/unrolled_clicks.h"

namespace hop {

void AddUnrolledClicks(std::span<const MinuteSpan> spans, std::span<const MinuteClicks> unrolled,
                       ClickTotals& totals) {
  for (const MinuteClicks& minute : unrolled) {
    totals.total += minute.humans;
    totals.bot_total += minute.bots;
    for (size_t i = 0; i < spans.size(); ++i) {
      if (minute.minute >= spans[i].first && minute.minute <= spans[i].last)
        totals.span_sums[i] += minute.humans;
    }
  }
}

std::vector<BucketCount> AddUnrolledToSeries(std::span<const BucketCount> rolled,
                                             std::span<const MinuteClicks> unrolled,
                                             Granularity granularity) {
  std::vector<BucketCount> unrolled_buckets;
  for (const MinuteClicks& minute : unrolled) {
    const int64_t bucket = BucketOfMinute(granularity, minute.minute);
    if (unrolled_buckets.empty() || unrolled_buckets.back().bucket != bucket)
      unrolled_buckets.push_back({bucket, 0});
    unrolled_buckets.back().clicks += minute.humans;
  }
  // Both are ascending: merge them, adding where a bucket is in both.
  std::vector<BucketCount> series;
  series.reserve(rolled.size() + unrolled_buckets.size());
  auto r = rolled.begin();
  auto u = unrolled_buckets.begin();
  while (r != rolled.end() || u != unrolled_buckets.end()) {
    BucketCount next;
    if (u == unrolled_buckets.end() || (r != rolled.end() && r->bucket < u->bucket)) {
      next = *r++;
    } else if (r == rolled.end() || u->bucket < r->bucket) {
      next = *u++;
    } else {
      next = {r->bucket, r->clicks + u->clicks};
      ++r;
      ++u;
    }
    if (next.clicks > 0) series.push_back(next);  // a bucket of bot clicks only is not in a series
  }
  return series;
}

}  // namespace hop
