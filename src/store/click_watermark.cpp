// The steps of a rollup pass.
#include "store/click_watermark.h"

#include <limits>

namespace hop {

std::optional<int64_t> RollUpPassEnd(const ClickWatermark& now, int64_t before_minute) {
  // A pass in progress has folded some links further than others; only finishing it brings every
  // link to one watermark again.
  if (now.rolling_before > now.rolled_before) return now.rolling_before;
  if (now.rolled_before >= before_minute) return std::nullopt;
  return before_minute;
}

RollUpStep NextRollUpStep(const ClickWatermark& now, int64_t pass_end, int64_t links_per_step,
                          int64_t newest_link, bool pass_has_minutes) {
  // Link ids are positive (AUTOINCREMENT, identity), so a new pass starts after id 0.
  const int64_t after = now.rolling_before == pass_end ? now.rolling_through_link : 0;
  if (!pass_has_minutes || newest_link - after <= links_per_step) {
    return {
        .first_minute = now.rolled_before,
        .end_minute = pass_end,
        .after_link = after,
        .through_link = std::numeric_limits<int64_t>::max(),
        .next = {.rolled_before = pass_end, .rolling_before = pass_end, .rolling_through_link = 0}};
  }
  const int64_t through = after + links_per_step;
  return {.first_minute = now.rolled_before,
          .end_minute = pass_end,
          .after_link = after,
          .through_link = through,
          .next = {.rolled_before = now.rolled_before,
                   .rolling_before = pass_end,
                   .rolling_through_link = through}};
}

}  // namespace hop
