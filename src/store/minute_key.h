// Minute keys: one (minute, link) pair packed into one integer, minute << 32 | link_id, whose order
// is that of (minute, link_id).
//
// SQLite keys its minute rows by it (the rowid of minute_clicks, store/sqlite/sqlite_click_rows.h
// says why), and its click journal says how far those rows reach with one: every (minute, link)
// whose key is below the journal's applied-before key is in minute_clicks, every one from it on in
// the journal and its in-memory overlay (store/click_overlay.h). Pure arithmetic, usable anywhere.
#pragma once

#include <cstdint>
#include <limits>

namespace hop {

// Link ids a minute key holds: 1 up to 2^32 - 1. SQLite never hands out more (a trigger of schema
// version 4 refuses to create the link), so an entry beyond it is of no link. Minutes are those of
// an int32, as in Click: every minute until the year 6053.
constexpr int64_t kMaxKeyedLinkId = (int64_t{1} << 32) - 1;
constexpr int64_t kMinKeyedMinute = std::numeric_limits<int32_t>::min();
constexpr int64_t kMaxKeyedMinute = std::numeric_limits<int32_t>::max();

// REQUIRES: minute within [kMinKeyedMinute, kMaxKeyedMinute], link_id within [0, kMaxKeyedLinkId].
constexpr int64_t MinuteKey(int64_t minute, int64_t link_id) {
  return static_cast<int64_t>(static_cast<uint64_t>(minute) << 32) | link_id;
}
constexpr int64_t MinuteOfKey(int64_t key) { return key >> 32; }
constexpr int64_t LinkOfKey(int64_t key) { return key & kMaxKeyedLinkId; }

// The first key of `minute`, for any minute: the smallest key for one before every minute a key
// holds, the largest for one after them.
constexpr int64_t FirstKeyOfMinute(int64_t minute) {
  if (minute < kMinKeyedMinute) return std::numeric_limits<int64_t>::min();
  if (minute > kMaxKeyedMinute) return std::numeric_limits<int64_t>::max();
  return MinuteKey(minute, 0);
}

}  // namespace hop
