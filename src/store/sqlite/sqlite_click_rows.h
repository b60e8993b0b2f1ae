// Click rows in SQLite: the rollup watermark, writing minute rows, and reading one link's.
//
// A minute row's key is one integer, the rowid: minute << 32 | link_id (schema version 4,
// store/minute_key.h). Its order is that of (minute, link_id), so the rows of a minute are written
// next to each other instead of on a random page per click (since schema version 5, a closed
// minute's rows are appended in key order, sqlite_click_journal.h), and every comparison in the
// B-tree is one of two integers (a two-column key takes SQLite's general record comparison, which
// cost most of a flush). The rows of one link are spread over every minute, and a range of minutes
// holds every link's rows: they are found by probing the key, one seek per minute that has any
// clicks, never by scanning a range of minutes.
//
// Shared by the SQLite click files; not thread-safe, like the connection it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/click.h"
#include "core/click_windows.h"
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

// The statements on clicks_hour or clicks_day, whose SQL differs only in the table name.
struct ClickTableSql {
  std::string upsert;  // ?1 link_id, ?2 bucket, ?3 clicks, ?4 bot_clicks: added to the row
  std::string sum;     // ?1 link_id, ?2 and ?3 the first and last bucket: the human clicks
  std::string series;  // the same parameters: (bucket, clicks) of the non-zero rows, ascending
};
// REQUIRES: granularity is kHour or kDay.
const ClickTableSql& SqlOf(Granularity granularity);

// Adds each entry's counts to its minute row, creating it when missing, many rows to a statement.
// No check that the link exists: its id is never reused, so the rows of a link deleted meanwhile
// are read by nothing, left out of the rollup and pruned with their minute (store.h). Checking
// would cost a random read of links per entry. REQUIRES: every entry's minute and link id fit a
// key (store/minute_key.h).
Status UpsertMinuteRows(SqliteConnection& writer, std::span<const MinuteClicks> entries);

// The minute rows of `link_id` with buckets first..last (inclusive) and keys below `before_key`,
// ascending: a reader passes the click journal's applied-before key, since the rows from it on are
// counted from the journal's overlay (sqlite_click_journal.h). The cost is one seek per minute in
// that range that has clicks of any link, however many links have them, and ends with the newest
// minute present: a range reaching into the future costs nothing more.
Result<std::vector<MinuteClicks>> ReadMinuteRows(SqliteConnection& connection, int64_t link_id,
                                                 int64_t first, int64_t last, int64_t before_key);

}  // namespace hop
