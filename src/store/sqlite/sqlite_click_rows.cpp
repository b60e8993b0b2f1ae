// Probing the minute rows of one link, and reading the rollup watermark.
#include "store/sqlite/sqlite_click_rows.h"

namespace hop {

Result<ClickWatermark> ReadClickWatermark(SqliteConnection& connection) {
  Result<SqliteStatement> read = connection.Prepare(
      "SELECT rolled_before_minute, rolling_before_minute, rolling_through_link FROM click_rollup");
  if (!read.ok()) return read.status();
  Result<bool> row = read.value().Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return Status::Error(ErrorCode::kInternal, "the click_rollup row is missing");
  return ClickWatermark{.rolled_before = read.value().Int(0),
                        .rolling_before = read.value().Int(1),
                        .rolling_through_link = read.value().Int(2)};
}

Result<std::vector<MinuteClicks>> ReadMinuteRows(SqliteConnection& connection, int64_t link_id,
                                                 int64_t first, int64_t last) {
  std::vector<MinuteClicks> rows;
  for (int64_t minute = first; minute <= last;) {
    Result<SqliteStatement> probe = connection.Prepare(
        "SELECT bucket, link_id, clicks, bot_clicks FROM minute_clicks "
        "WHERE (bucket, link_id) >= (?, ?) ORDER BY bucket, link_id LIMIT 1");
    if (!probe.ok()) return probe.status();
    Result<bool> row = probe.value().Bind(minute, link_id).Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;  // past the newest row
    const int64_t bucket = probe.value().Int(0);
    const int64_t found_link = probe.value().Int(1);
    if (bucket > last) break;
    if (found_link == link_id) {
      rows.push_back({link_id, bucket, probe.value().Int(2), probe.value().Int(3)});
    }
    // The probe lands on the link's row of `minute`, or past where it would be: on a later link's
    // row of the same minute (the link has none there), or on the first row of a later minute with
    // any clicks, whose row of the link the next probe looks for.
    minute = found_link >= link_id ? bucket + 1 : bucket;
  }
  return rows;
}

}  // namespace hop
