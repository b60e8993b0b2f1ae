// Reading click rows in SQLite: the rollup watermark and one link's minute rows.
//
// Minute rows are keyed (bucket, link_id), so that a flush appends near the newest minute instead
// of writing a random page per click. The rows of one link are then spread over every minute, and a
// range of buckets holds every link's rows: they are found by probing the key, one seek per minute
// that has any clicks, never by scanning a range of minutes.
//
// Shared by the SQLite click files; not thread-safe, like the connection it is given.
#pragma once

#include <cstdint>
#include <vector>

#include "core/click.h"
#include "core/status.h"
#include "store/click_watermark.h"
#include "store/sqlite/sqlite_connection.h"

namespace hop {

Result<ClickWatermark> ReadClickWatermark(SqliteConnection& connection);

// The minute rows of `link_id` with buckets first..last (inclusive), ascending. The cost is one
// seek per minute in that range that has clicks of any link, however many links have them, and
// ends with the newest minute present: a range reaching into the future costs nothing more.
Result<std::vector<MinuteClicks>> ReadMinuteRows(SqliteConnection& connection, int64_t link_id,
                                                 int64_t first, int64_t last);

}  // namespace hop
