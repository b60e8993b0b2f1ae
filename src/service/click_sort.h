// SortClicks: puts a flush's drained click events in (minute, link_id) order, the order in which
// ClickPipeline sums them and the store writes them.
//
// A least-significant-digit radix sort, a byte a pass, over only the bytes in which the events
// differ. A flush holds tens of thousands of events whose minutes are nearly all one and whose
// link ids differ in their low three bytes only, so it sorts in three or four sequential passes.
// std::sort through a comparison function cost about 370 instructions per click, a quarter of the
// flusher's (docs/BENCHMARKS.md, "Flusher, session 5").
#pragma once

#include <vector>

#include "core/click.h"

namespace hop {

// Sorts `events` by (minute, link_id), both as signed numbers; events of one (minute, link_id)
// keep no particular order. `scratch` is room the sort reuses between calls; its content is
// unspecified afterwards.
void SortClicks(std::vector<ClickEvent>& events, std::vector<ClickEvent>& scratch);

}  // namespace hop
