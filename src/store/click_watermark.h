// Click watermark: how far the per-minute click counts have been rolled up into the hour and day
// buckets and the links' totals.
//
// A click write adds to its minute row only. RollUpClicks later folds finished minutes into the
// hour, day and link rows, one pass at a time: a pass folds the minutes [rolled_before,
// rolling_before), one range of link ids per step, each step a short transaction of its own, so
// that no step holds the database for long however many links had clicks. Where one link stands is
// FoldedBefore(link_id): every minute before it is counted in the link's hour, day and total rows,
// every minute from it on in its minute rows only. Readers add those later minute rows to the
// rolled-up ones; a write for a minute before it (clicks that waited out an outage) goes to all of
// them at once. This file holds that bookkeeping, which does not depend on the database, so that
// both stores keep it the same way.
#pragma once

#include <cstdint>
#include <optional>

namespace hop {

struct ClickWatermark {
  int64_t rolled_before = 0;         // minutes before this are folded for every link
  int64_t rolling_before = 0;        // where the pass in progress ends; rolled_before when none is
  int64_t rolling_through_link = 0;  // the pass has folded the links with ids up to this one

  int64_t FoldedBefore(int64_t link_id) const {
    return link_id <= rolling_through_link ? rolling_before : rolled_before;
  }
  bool operator==(const ClickWatermark&) const = default;
};

// One step of a pass: fold the minutes [first_minute, end_minute) of the links with ids in
// (after_link, through_link] and store `next`, in one transaction.
struct RollUpStep {
  int64_t first_minute;
  int64_t end_minute;
  int64_t after_link;
  int64_t through_link;  // INT64_MAX in the last step of a pass: every link after after_link
  ClickWatermark next;
};

// The end of the pass that a rollup toward `before_minute` works on: the pass in progress, wherever
// it ends, or else a new one ending at `before_minute`; nullopt when every minute before
// `before_minute` is folded already.
std::optional<int64_t> RollUpPassEnd(const ClickWatermark& now, int64_t before_minute);

// The next step of the pass ending at `pass_end` (from RollUpPassEnd): the next `links_per_step`
// link ids, or all the remaining ones when they reach `newest_link` (the largest id of a link) or
// when the pass has no minute rows at all (`pass_has_minutes` false). REQUIRES: links_per_step
// >= 1.
RollUpStep NextRollUpStep(const ClickWatermark& now, int64_t pass_end, int64_t links_per_step,
                          int64_t newest_link, bool pass_has_minutes);

}  // namespace hop
