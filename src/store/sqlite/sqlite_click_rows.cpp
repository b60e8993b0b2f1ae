// Probing the minute rows of one link, and reading the rollup watermark.
#include "store/sqlite/sqlite_click_rows.h"

#include <algorithm>

namespace hop {

std::optional<MinuteKeyRange> KeysOfMinutes(int64_t first, int64_t last) {
  first = std::max(first, kMinKeyedMinute);
  last = std::min(last, kMaxKeyedMinute);
  if (first > last) return std::nullopt;
  return MinuteKeyRange{MinuteKey(first, 0), MinuteKey(last, kMaxKeyedLinkId)};
}

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
  const std::optional<MinuteKeyRange> keys = KeysOfMinutes(first, last);
  if (!keys || link_id < 1 || link_id > kMaxKeyedLinkId) return rows;
  for (int64_t minute = MinuteOfKey(keys->first); minute <= MinuteOfKey(keys->last);) {
    Result<SqliteStatement> probe = connection.Prepare(
        "SELECT minute_link, clicks, bot_clicks FROM minute_clicks WHERE minute_link >= ? "
        "ORDER BY minute_link LIMIT 1");
    if (!probe.ok()) return probe.status();
    Result<bool> row = probe.value().Bind(MinuteKey(minute, link_id)).Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;  // past the newest row
    const int64_t key = probe.value().Int(0);
    const int64_t bucket = MinuteOfKey(key);
    const int64_t found_link = LinkOfKey(key);
    if (bucket > MinuteOfKey(keys->last)) break;
    if (found_link == link_id) {
      rows.push_back({link_id, bucket, probe.value().Int(1), probe.value().Int(2)});
    }
    // The probe lands on the link's row of `minute`, or past where it would be: on a later link's
    // row of the same minute (the link has none there), or on the first row of a later minute with
    // any clicks, whose row of the link the next probe looks for.
    minute = found_link >= link_id ? bucket + 1 : bucket;
  }
  return rows;
}

}  // namespace hop
