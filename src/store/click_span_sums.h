// Click span sums: how a store answers "human clicks in minutes [first, last]" from its buckets.
//
// A span is covered by at most five runs of minute, hour and day buckets (core/click_windows.h);
// the store only has to sum one run with one indexed range query. This file holds the part that
// does not depend on the database, so both stores cover spans the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/click_windows.h"
#include "core/status.h"

namespace hop {

// Sums the human clicks of one run of buckets.
using SumBucketRun = std::function<Result<int64_t>(const BucketRun& run)>;

// One sum per span, in order; the first failure of `sum_run` stops and is returned.
Result<std::vector<int64_t>> SumClickSpans(std::span<const MinuteSpan> spans,
                                           const SumBucketRun& sum_run);

}  // namespace hop
