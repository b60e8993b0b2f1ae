// Unrolled clicks: how a store adds the minute rows it has not rolled up yet (click_watermark.h) to
// what its hour, day and link rows say.
//
// In one snapshot, a store reads the rolled-up part of an answer (the link's totals; the runs of
// buckets covering each span, where minute runs count only the minutes before the link's watermark,
// since hour and day rows hold nothing later; the hour or day rows of a series) and the link's
// minute rows from its watermark on. The functions here add the second to the first; they do not
// depend on the database, so both stores answer alike.
#pragma once

#include <span>
#include <vector>

#include "core/click.h"
#include "core/click_windows.h"
#include "store/store.h"

namespace hop {

// Adds the unrolled minutes to the totals and to the sum of every span that holds them.
// REQUIRES: totals.span_sums has one sum per span.
void AddUnrolledClicks(std::span<const MinuteSpan> spans, std::span<const MinuteClicks> unrolled,
                       ClickTotals& totals);

// The series of `granularity` buckets with the human clicks of the unrolled minutes added to their
// buckets. `rolled` holds non-zero buckets in ascending order, and so does the result; `unrolled`
// is ascending by minute and holds only minutes of the series' buckets.
std::vector<BucketCount> AddUnrolledToSeries(std::span<const BucketCount> rolled,
                                             std::span<const MinuteClicks> unrolled,
                                             Granularity granularity);

}  // namespace hop
