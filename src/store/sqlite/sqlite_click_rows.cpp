// Upserting minute rows, probing the minute rows of one link, the SQL of the hour and day rows,
// and reading the rollup watermark.
#include "store/sqlite/sqlite_click_rows.h"

#include <algorithm>
#include <array>
#include <string>

namespace hop {
namespace {

// Rows per statement: past a few dozen, the per-entry cost hardly falls (hop_store_bench).
constexpr size_t kRowsPerUpsert = 64;

// Upserts of `rows` minute rows in one statement: one step of a statement of many rows costs far
// less per entry than a step per entry. The conflict is on the rowid, so an existing row is found
// by one integer seek and overwritten in place.
const std::string& MinuteUpsertSql(size_t rows) {
  static const std::array<std::string, kRowsPerUpsert + 1> sql = [] {
    std::array<std::string, kRowsPerUpsert + 1> texts;
    for (size_t n = 1; n <= kRowsPerUpsert; ++n) {
      texts[n] = "INSERT INTO minute_clicks (minute_link, clicks, bot_clicks) VALUES " +
                 RepeatedRows("(?, ?, ?)", n) +
                 " ON CONFLICT (minute_link) DO UPDATE SET clicks = clicks + excluded.clicks, "
                 "bot_clicks = bot_clicks + excluded.bot_clicks";
    }
    return texts;
  }();
  return sql[rows];
}

// REQUIRES: 1 <= entries.size() <= kRowsPerUpsert.
Status Upsert(SqliteConnection& writer, std::span<const MinuteClicks> entries) {
  Result<SqliteStatement> upsert = writer.Prepare(MinuteUpsertSql(entries.size()));
  if (!upsert.ok()) return upsert.status();
  int parameter = 1;
  for (const MinuteClicks& entry : entries) {
    upsert.value().BindBorrowed(parameter, MinuteKey(entry.minute, entry.link_id), entry.humans,
                                entry.bots);
    parameter += 3;
  }
  return upsert.value().Run();
}

}  // namespace

Status UpsertMinuteRows(SqliteConnection& writer, std::span<const MinuteClicks> entries) {
  while (!entries.empty()) {
    const size_t rows = std::min(entries.size(), kRowsPerUpsert);
    if (Status s = Upsert(writer, entries.first(rows)); !s.ok()) return s;
    entries = entries.subspan(rows);
  }
  return Status::Ok();
}

std::optional<MinuteKeyRange> KeysOfMinutes(int64_t first, int64_t last) {
  first = std::max(first, kMinKeyedMinute);
  last = std::min(last, kMaxKeyedMinute);
  if (first > last) return std::nullopt;
  return MinuteKeyRange{MinuteKey(first, 0), MinuteKey(last, kMaxKeyedLinkId)};
}

namespace {

// The table name comes from the fixed list in SqlOf, never from input.
ClickTableSql SqlOfTable(const std::string& table) {
  return {.upsert = "INSERT INTO " + table +
                    " (link_id, bucket, clicks, bot_clicks) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (link_id, bucket) DO UPDATE SET clicks = clicks + "
                    "excluded.clicks, bot_clicks = bot_clicks + excluded.bot_clicks",
          .sum = "SELECT coalesce(sum(clicks), 0) FROM " + table +
                 " WHERE link_id = ? AND bucket BETWEEN ? AND ?",
          .series = "SELECT bucket, clicks FROM " + table +
                    " WHERE link_id = ? AND bucket BETWEEN ? AND ? AND clicks > 0 ORDER BY bucket"};
}

}  // namespace

const ClickTableSql& SqlOf(Granularity granularity) {
  static const ClickTableSql hour = SqlOfTable("clicks_hour");
  static const ClickTableSql day = SqlOfTable("clicks_day");
  return granularity == Granularity::kHour ? hour : day;
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
                                                 int64_t first, int64_t last, int64_t before_key) {
  std::vector<MinuteClicks> rows;
  std::optional<MinuteKeyRange> keys = KeysOfMinutes(first, last);
  if (!keys || link_id < 1 || link_id > kMaxKeyedLinkId) return rows;
  if (before_key <= keys->first) return rows;
  keys->last = std::min(keys->last, before_key - 1);
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
    if (key > keys->last) break;
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
