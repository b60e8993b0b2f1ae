// Clicks: the unit of counting between the redirect path, the click pipeline and the store.
#pragma once

#include <cstdint>

namespace hop {

// One redirect, as the hot path records it. Fits in 16 bytes so a worker's buffer stays compact.
struct ClickEvent {
  int64_t link_id;
  int32_t minute;  // minutes since the epoch; int32 lasts until year 6053
  bool bot;        // HEAD request or a known crawler: counted, but apart from the default numbers
};

// Clicks of one link in one minute, merged from many events. What the store adds in a flush.
struct MinuteClicks {
  int64_t link_id;
  int64_t minute;
  int64_t humans;
  int64_t bots;

  bool operator==(const MinuteClicks&) const = default;
};

}  // namespace hop
