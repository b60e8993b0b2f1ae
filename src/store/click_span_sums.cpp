// Click span sums through CoverMinutes.
#include "store/click_span_sums.h"

namespace hop {

Result<std::vector<int64_t>> SumClickSpans(std::span<const MinuteSpan> spans,
                                           const SumBucketRun& sum_run) {
  std::vector<int64_t> sums;
  sums.reserve(spans.size());
  for (const MinuteSpan& span : spans) {
    int64_t sum = 0;
    for (const BucketRun& run : CoverMinutes(span.first, span.last)) {
      Result<int64_t> run_sum = sum_run(run);
      if (!run_sum.ok()) return run_sum.status();
      sum += run_sum.value();
    }
    sums.push_back(sum);
  }
  return sums;
}

}  // namespace hop
