// Reading click rows in SQLite: the rollup watermark, one link's minute rows, and the packed key
// that minute rows are stored under.
//
// A minute row's key is one integer, the rowid: minute << 32 | link_id (schema version 4,
// store/minute_key.h). Its order is that of (minute, link_id), so a flush appends near the newest
// minute instead of writing a random page per click, and every comparison in the B-tree is one of
// two integers (a two-column key takes SQLite's general record comparison, which cost most of a
// flush). The rows of one link are spread over every minute, and a range of minutes holds every
// link's rows: they are found by probing the key, one seek per minute that has any clicks, never
// by scanning a range of minutes.
//
// Shared by the SQLite click files; not thread-safe, like the connection it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/click.h"
#include "core/status.h"
#include "store/click_watermark.h"
#include "store/minute_key.h"
#include "store/sqlite/sqlite_connection.h"

namespace hop {

// The keys of every row of the minutes first..last (inclusive), clamped to the minutes a key
// holds, as an inclusive range; nullopt when no key lies in it.
struct MinuteKeyRange {
  int64_t first;
  int64_t last;
};
std::optional<MinuteKeyRange> KeysOfMinutes(int64_t first, int64_t last);

Result<ClickWatermark> ReadClickWatermark(SqliteConnection& connection);

// The minute rows of `link_id` with buckets first..last (inclusive), ascending. The cost is one
// seek per minute in that range that has clicks of any link, however many links have them, and
// ends with the newest minute present: a range reaching into the future costs nothing more.
Result<std::vector<MinuteClicks>> ReadMinuteRows(SqliteConnection& connection, int64_t link_id,
                                                 int64_t first, int64_t last);

}  // namespace hop
