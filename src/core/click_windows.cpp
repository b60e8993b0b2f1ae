// Covering a minute span with minute, hour and day buckets.
//
// The cover is greedy from the coarsest granularity down: whole days inside the span, then whole
// hours inside what is left, then minutes. Because the buckets nest (a day is 24 aligned hours, an
// hour 60 aligned minutes), that greedy choice uses the fewest buckets, and what is left at each
// level is at most one partial run before the coarser run and one after it.
#include "core/click_windows.h"

namespace hop {
namespace {

// Division rounding toward negative infinity; C++'s `/` truncates toward zero, which would put
// minute -1 in hour 0 instead of hour -1.
int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

int64_t UnitMinutes(Granularity g) {
  switch (g) {
    case Granularity::kMinute:
      return 1;
    case Granularity::kHour:
      return kMinutesPerHour;
    case Granularity::kDay:
      return kMinutesPerDay;
  }
  return 1;  // unreachable for valid enum values; -Wswitch guards new ones
}

// Appends the runs that cover buckets [first, last] (non-empty) of granularity `g`: whole buckets
// of the next coarser granularity where they fit, and `g`'s own buckets before and after them.
void AppendCover(Granularity g, int64_t first, int64_t last, std::vector<BucketRun>* runs) {
  if (g == Granularity::kDay) {
    runs->push_back({g, first, last});
    return;
  }
  Granularity coarse = g == Granularity::kMinute ? Granularity::kHour : Granularity::kDay;
  int64_t ratio = UnitMinutes(coarse) / UnitMinutes(g);
  int64_t coarse_first = CeilDiv(first, ratio);
  int64_t coarse_end = FloorDiv(last + 1, ratio);  // one past the last whole coarse bucket
  if (coarse_first >= coarse_end) {
    runs->push_back({g, first, last});
    return;
  }
  if (first < coarse_first * ratio) runs->push_back({g, first, coarse_first * ratio - 1});
  AppendCover(coarse, coarse_first, coarse_end - 1, runs);
  if (coarse_end * ratio <= last) runs->push_back({g, coarse_end * ratio, last});
}

}  // namespace

std::vector<BucketRun> CoverMinutes(int64_t first_minute, int64_t last_minute) {
  std::vector<BucketRun> runs;
  if (first_minute <= last_minute)
    AppendCover(Granularity::kMinute, first_minute, last_minute, &runs);
  return runs;
}

int64_t BucketOfMinute(Granularity g, int64_t minute) { return FloorDiv(minute, UnitMinutes(g)); }

int64_t FirstMinuteOfBucket(Granularity g, int64_t bucket) { return bucket * UnitMinutes(g); }

}  // namespace hop
