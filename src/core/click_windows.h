// Click windows: how "clicks in the last N minutes" is answered without scanning clicks.
//
// Clicks are stored as counts per link per bucket at three granularities (minute, hour, day, all UTC).
// A sliding window of whole minutes [first, last] is covered exactly by at most five runs of buckets:
// minutes up to the first hour boundary, hours up to the first day boundary, whole days, hours, then the
// trailing minutes. Summing those runs reads at most 59+23+D+23+59 rows for a window of D days, whatever
// the number of clicks: this is what keeps stats O(1) in clicks. It also fixes how long each granularity
// must be kept: minute buckets as long as the longest window (30 days) plus an hour, hour buckets as long
// as that window plus a day.
#pragma once

#include <cstdint>
#include <vector>

namespace hop {

enum class Granularity { kMinute, kHour, kDay };

inline constexpr int64_t kMinutesPerHour = 60;
inline constexpr int64_t kMinutesPerDay = 1440;

// The windows the stats endpoint reports, in minutes; each includes the current minute.
inline constexpr int64_t kLast24hMinutes = 1440;
inline constexpr int64_t kLast7dMinutes = 7 * kMinutesPerDay;
inline constexpr int64_t kLast30dMinutes = 30 * kMinutesPerDay;

// How long buckets are kept, in minutes; older ones are pruned. Series reach back as far.
inline constexpr int64_t kMinuteRetentionMinutes = 32 * kMinutesPerDay;
inline constexpr int64_t kHourRetentionMinutes = 100 * kMinutesPerDay;

// Buckets `first`..`last` inclusive, numbered from the epoch in the granularity's unit (minute 0 is
// 1970-01-01T00:00Z, hour 1 is 01:00Z, ...).
struct BucketRun {
  Granularity granularity;
  int64_t first;
  int64_t last;

  bool operator==(const BucketRun&) const = default;
};

// The runs that cover minutes [first_minute, last_minute] exactly with the fewest buckets (the
// coarsest granularity that fits at each point; at most five runs), in time order.
// Empty when first_minute > last_minute.
std::vector<BucketRun> CoverMinutes(int64_t first_minute, int64_t last_minute);

// The minutes [now - window + 1, now] of a window that ends with (and includes) minute `now`.
struct MinuteSpan {
  int64_t first;
  int64_t last;
};
inline MinuteSpan WindowEndingAt(int64_t now_minute, int64_t window_minutes) {
  return {now_minute - window_minutes + 1, now_minute};
}

// Bucket index of a minute at a granularity (floor division, correct for negative minutes too).
int64_t BucketOfMinute(Granularity g, int64_t minute);
// First minute of a bucket.
int64_t FirstMinuteOfBucket(Granularity g, int64_t bucket);

}  // namespace hop
