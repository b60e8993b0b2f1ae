// SqliteStore: adding click counts, reading totals, span sums and series, and pruning old buckets.
//
// Clicks live in minute_clicks, keyed by minute and link packed into the rowid
// (sqlite_click_rows.h), and in clicks_hour and clicks_day, keyed (link_id, bucket), which hold
// only the minutes rolled up so far (click_watermark.h, sqlite_store_rollup.cpp). The SQL of the
// hour and day tables differs only in the table name, which comes from the fixed list below, never
// from input.
#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <span>
#include <string>

#include "store/click_span_sums.h"
#include "store/sqlite/sqlite_click_rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_transaction.h"
#include "store/unrolled_clicks.h"

namespace hop {
namespace {

using Mode = SqliteTransaction::Mode;

// The statements on clicks_hour or clicks_day.
struct ClickTableSql {
  explicit ClickTableSql(const std::string& table)
      : upsert("INSERT INTO " + table +
               " (link_id, bucket, clicks, bot_clicks) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (link_id, bucket) DO UPDATE SET clicks = clicks + excluded.clicks, "
               "bot_clicks = bot_clicks + excluded.bot_clicks"),
        sum("SELECT coalesce(sum(clicks), 0) FROM " + table +
            " WHERE link_id = ? AND bucket BETWEEN ? AND ?"),
        series("SELECT bucket, clicks FROM " + table +
               " WHERE link_id = ? AND bucket BETWEEN ? AND ? AND clicks > 0 ORDER BY bucket") {}

  const std::string upsert;
  const std::string sum;
  const std::string series;
};

// REQUIRES: granularity is kHour or kDay.
const ClickTableSql& SqlOf(Granularity granularity) {
  static const ClickTableSql hour("clicks_hour");
  static const ClickTableSql day("clicks_day");
  return granularity == Granularity::kHour ? hour : day;
}

// Rows per statement: past a few dozen, the per-entry cost hardly falls (hop_store_bench).
constexpr size_t kRowsPerUpsert = 64;

// Upserts of minute rows, `rows` entries per statement: one step of a statement of many rows costs
// far less per entry than a step per entry. No check that the link exists: its id is never reused,
// so the rows of a link deleted meanwhile are read by nothing, left out of the rollup and pruned
// with their minute (store.h). Checking would cost a random read of links per entry. The conflict
// is on the rowid, so an existing row is found by one integer seek and overwritten in place.
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

// REQUIRES: 1 <= entries.size() <= kRowsPerUpsert; every entry's minute and link id fit a key
// (MinuteFits, LinkFits).
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

bool MinuteFits(const MinuteClicks& entry) {
  return entry.minute >= kMinKeyedMinute && entry.minute <= kMaxKeyedMinute;
}

// A link id no key holds is no link's: SQLite refuses to create links past kMaxKeyedLinkId.
bool LinkFits(const MinuteClicks& entry) {
  return entry.link_id >= 1 && entry.link_id <= kMaxKeyedLinkId;
}

// The minute rows of `entries`, kRowsPerUpsert to a statement.
Status AddToMinutes(SqliteConnection& writer, std::span<const MinuteClicks> entries) {
  while (!entries.empty()) {
    const size_t rows = std::min(entries.size(), kRowsPerUpsert);
    if (Status s = Upsert(writer, entries.first(rows)); !s.ok()) return s;
    entries = entries.subspan(rows);
  }
  return Status::Ok();
}

// A minute rolled up already: the clicks go to everything the rollup would have added them to.
// The update of the link's totals doubles as the check that it still exists.
Status AddLate(SqliteConnection& writer, const MinuteClicks& entry) {
  Result<SqliteStatement> update = writer.Prepare(
      "UPDATE links SET total_clicks = total_clicks + ?, bot_clicks = bot_clicks + ? WHERE id = ?");
  if (!update.ok()) return update.status();
  if (Status s = update.value().Bind(entry.humans, entry.bots, entry.link_id).Run(); !s.ok()) {
    return s;
  }
  if (writer.changes() != 1) return Status::Ok();
  if (Status s = AddToMinutes(writer, {&entry, 1}); !s.ok()) return s;
  for (Granularity granularity : {Granularity::kHour, Granularity::kDay}) {
    Result<SqliteStatement> upsert = writer.Prepare(SqlOf(granularity).upsert);
    if (!upsert.ok()) return upsert.status();
    int64_t bucket = BucketOfMinute(granularity, entry.minute);
    Status s = upsert.value().Bind(entry.link_id, bucket, entry.humans, entry.bots).Run();
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// The clicks of `run` counted in its bucket rows: hour and day rows hold only minutes before
// `folded_before`, and so, here, do minute runs; the rest is added from the unrolled rows.
Result<int64_t> SumRolledRun(SqliteConnection& reader, int64_t link_id, const BucketRun& run,
                             int64_t folded_before) {
  if (run.granularity == Granularity::kMinute) {
    Result<std::vector<MinuteClicks>> rows =
        ReadMinuteRows(reader, link_id, run.first, std::min(run.last, folded_before - 1));
    if (!rows.ok()) return rows.status();
    int64_t sum = 0;
    for (const MinuteClicks& row : rows.value()) sum += row.humans;
    return sum;
  }
  Result<SqliteStatement> sum = reader.Prepare(SqlOf(run.granularity).sum);
  if (!sum.ok()) return sum.status();
  Result<bool> row = sum.value().Bind(link_id, run.first, run.last).Step();
  if (!row.ok()) return row.status();
  return sum.value().Int(0);
}

// The clicks the link's row counts (those rolled up so far), or nothing when no link has the id.
Result<std::optional<ClickTotals>> ReadRolledTotals(SqliteConnection& reader, int64_t link_id) {
  Result<SqliteStatement> link =
      reader.Prepare("SELECT total_clicks, bot_clicks FROM links WHERE id = ?");
  if (!link.ok()) return link.status();
  Result<bool> row = link.value().Bind(link_id).Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return std::optional<ClickTotals>();
  ClickTotals totals;
  totals.total = link.value().Int(0);
  totals.bot_total = link.value().Int(1);
  return std::optional<ClickTotals>(std::move(totals));
}

Result<bool> LinkExists(SqliteConnection& reader, int64_t link_id) {
  Result<SqliteStatement> link = reader.Prepare("SELECT 1 FROM links WHERE id = ?");
  if (!link.ok()) return link.status();
  return link.value().Bind(link_id).Step();
}

// The non-zero buckets of an hour or day series: the rolled-up rows plus the unrolled minutes.
Result<std::vector<BucketCount>> ReadBucketSeries(SqliteConnection& reader, int64_t link_id,
                                                  Granularity granularity, int64_t first,
                                                  int64_t last) {
  Result<SqliteStatement> series = reader.Prepare(SqlOf(granularity).series);
  if (!series.ok()) return series.status();
  series.value().Bind(link_id, first, last);
  std::vector<BucketCount> rolled;
  for (;;) {
    Result<bool> row = series.value().Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    rolled.push_back({series.value().Int(0), series.value().Int(1)});
  }
  Result<ClickWatermark> watermark = ReadClickWatermark(reader);
  if (!watermark.ok()) return watermark.status();
  Result<std::vector<MinuteClicks>> unrolled = ReadMinuteRows(
      reader, link_id,
      std::max(watermark.value().FoldedBefore(link_id), FirstMinuteOfBucket(granularity, first)),
      FirstMinuteOfBucket(granularity, last + 1) - 1);
  if (!unrolled.ok()) return unrolled.status();
  return AddUnrolledToSeries(rolled, unrolled.value(), granularity);
}

}  // namespace

Status SqliteStore::AddClicks(std::span<const MinuteClicks> clicks) {
  // Refused before anything is written, so that a flush is all or nothing; Click's int32 minute
  // never gets here.
  for (const MinuteClicks& entry : clicks) {
    if (!MinuteFits(entry)) {
      return Status::Error(ErrorCode::kInvalidRequest,
                           "the minute " + std::to_string(entry.minute) + " is out of range");
    }
  }
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  Result<ClickWatermark> watermark = ReadClickWatermark(*writer);
  if (!watermark.ok()) return watermark.status();
  // Entries go to their minute rows in runs, between the rare ones that need more: late ones (an
  // outage's backlog), empty ones, and those of ids no link can have.
  size_t run = 0;
  for (size_t i = 0; i < clicks.size(); ++i) {
    const MinuteClicks& entry = clicks[i];
    const bool empty = entry.humans == 0 && entry.bots == 0;
    const bool late = entry.minute < watermark.value().FoldedBefore(entry.link_id);
    if (!empty && !late && LinkFits(entry)) continue;
    if (Status s = AddToMinutes(*writer, clicks.subspan(run, i - run)); !s.ok()) return s;
    if (!empty && LinkFits(entry)) {
      if (Status s = AddLate(*writer, entry); !s.ok()) return s;
    }
    run = i + 1;
  }
  if (Status s = AddToMinutes(*writer, clicks.subspan(run)); !s.ok()) return s;
  return transaction.Commit();
}

Result<ClickTotals> SqliteStore::ReadClickTotals(int64_t link_id,
                                                 std::span<const MinuteSpan> spans) {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  SqliteConnection& connection = *reader.value();
  // One snapshot for the totals, the watermark and every span: a flush or a rollup committing in
  // between could otherwise make last_24h exceed last_7d, or a span exceed the total.
  SqliteTransaction transaction(connection);
  if (Status s = transaction.Begin(Mode::kRead); !s.ok()) return s;
  Result<std::optional<ClickTotals>> rolled = ReadRolledTotals(connection, link_id);
  if (!rolled.ok()) return rolled.status();
  if (!rolled.value()) {
    return Status::Error(ErrorCode::kNotFound, "no link has the id " + std::to_string(link_id));
  }
  ClickTotals totals = *rolled.value();
  Result<ClickWatermark> watermark = ReadClickWatermark(connection);
  if (!watermark.ok()) return watermark.status();
  const int64_t folded_before = watermark.value().FoldedBefore(link_id);
  Result<std::vector<int64_t>> sums = SumClickSpans(spans, [&](const BucketRun& run) {
    return SumRolledRun(connection, link_id, run, folded_before);
  });
  if (!sums.ok()) return sums.status();
  totals.span_sums = std::move(sums).value();
  Result<std::vector<MinuteClicks>> unrolled =
      ReadMinuteRows(connection, link_id, folded_before, std::numeric_limits<int64_t>::max());
  if (!unrolled.ok()) return unrolled.status();
  AddUnrolledClicks(spans, unrolled.value(), totals);
  if (Status s = transaction.Commit(); !s.ok()) return s;
  return totals;
}

Result<std::vector<ClickTotals>> SqliteStore::ReadAllTimeClicks(std::span<const int64_t> link_ids) {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  SqliteConnection& connection = *reader.value();
  SqliteTransaction transaction(connection);
  if (Status s = transaction.Begin(Mode::kRead); !s.ok()) return s;
  Result<ClickWatermark> watermark = ReadClickWatermark(connection);
  if (!watermark.ok()) return watermark.status();
  std::vector<ClickTotals> all;
  all.reserve(link_ids.size());
  for (int64_t link_id : link_ids) {
    ClickTotals& totals = all.emplace_back();
    Result<std::optional<ClickTotals>> rolled = ReadRolledTotals(connection, link_id);
    if (!rolled.ok()) return rolled.status();
    if (!rolled.value()) continue;  // minute rows outlive their link: they count for nothing
    totals = *rolled.value();
    Result<std::vector<MinuteClicks>> unrolled =
        ReadMinuteRows(connection, link_id, watermark.value().FoldedBefore(link_id),
                       std::numeric_limits<int64_t>::max());
    if (!unrolled.ok()) return unrolled.status();
    AddUnrolledClicks({}, unrolled.value(), totals);
  }
  if (Status s = transaction.Commit(); !s.ok()) return s;
  return all;
}

Result<std::vector<BucketCount>> SqliteStore::ReadClickSeries(int64_t link_id,
                                                              Granularity granularity,
                                                              int64_t first, int64_t last) {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  SqliteConnection& connection = *reader.value();
  SqliteTransaction transaction(connection);
  if (Status s = transaction.Begin(Mode::kRead); !s.ok()) return s;
  // Minute rows outlive their link until they are pruned.
  Result<bool> exists = LinkExists(connection, link_id);
  if (!exists.ok()) return exists.status();
  std::vector<BucketCount> counts;
  if (!exists.value()) return counts;
  if (granularity == Granularity::kMinute) {
    Result<std::vector<MinuteClicks>> rows = ReadMinuteRows(connection, link_id, first, last);
    if (!rows.ok()) return rows.status();
    for (const MinuteClicks& row : rows.value()) {
      if (row.humans > 0) counts.push_back({row.minute, row.humans});
    }
  } else {
    Result<std::vector<BucketCount>> buckets =
        ReadBucketSeries(connection, link_id, granularity, first, last);
    if (!buckets.ok()) return buckets.status();
    counts = std::move(buckets).value();
  }
  if (Status s = transaction.Commit(); !s.ok()) return s;
  return counts;
}

// Both cutoffs are bucket numbers of their own table: `minute_before` counts minutes and
// `hour_before` hours since the epoch. Minutes not rolled up yet are kept, since nothing else
// counts them; old minutes are a range at the front of the key. Day buckets are kept forever.
Status SqliteStore::PruneClickBuckets(int64_t minute_before, int64_t hour_before) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  Result<ClickWatermark> watermark = ReadClickWatermark(*writer);
  if (!watermark.ok()) return watermark.status();
  const int64_t keep_from = std::min(minute_before, watermark.value().rolled_before);
  if (const std::optional<MinuteKeyRange> old = KeysOfMinutes(kMinKeyedMinute, keep_from - 1)) {
    Result<SqliteStatement> minutes =
        writer->Prepare("DELETE FROM minute_clicks WHERE minute_link <= ?");
    if (!minutes.ok()) return minutes.status();
    if (Status s = minutes.value().Bind(old->last).Run(); !s.ok()) return s;
  }
  Result<SqliteStatement> hours = writer->Prepare("DELETE FROM clicks_hour WHERE bucket < ?");
  if (!hours.ok()) return hours.status();
  if (Status s = hours.value().Bind(hour_before).Run(); !s.ok()) return s;
  return transaction.Commit();
}

}  // namespace hop
