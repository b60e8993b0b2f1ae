// SqliteStore: adding click counts, reading totals, span sums and series, and pruning old buckets.
//
// Clicks live in three tables of the same shape, clicks_minute, clicks_hour and clicks_day. Their
// SQL differs only in the table name, which comes from the fixed list below, never from input.
#include <string>

#include "store/click_span_sums.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_transaction.h"

namespace hop {
namespace {

using Mode = SqliteTransaction::Mode;

constexpr Granularity kGranularities[] = {Granularity::kMinute, Granularity::kHour,
                                          Granularity::kDay};

// The statements on one click table.
struct ClickTableSql {
  explicit ClickTableSql(const std::string& table)
      : upsert("INSERT INTO " + table +
               " (link_id, bucket, clicks, bot_clicks) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (link_id, bucket) DO UPDATE SET clicks = clicks + excluded.clicks, "
               "bot_clicks = bot_clicks + excluded.bot_clicks"),
        sum("SELECT coalesce(sum(clicks), 0) FROM " + table +
            " WHERE link_id = ? AND bucket BETWEEN ? AND ?"),
        series("SELECT bucket, clicks FROM " + table +
               " WHERE link_id = ? AND bucket BETWEEN ? AND ? AND clicks > 0 ORDER BY bucket"),
        prune("DELETE FROM " + table + " WHERE bucket < ?") {}

  const std::string upsert;
  const std::string sum;
  const std::string series;
  const std::string prune;
};

const ClickTableSql& SqlOf(Granularity granularity) {
  static const ClickTableSql minute("clicks_minute");
  static const ClickTableSql hour("clicks_hour");
  static const ClickTableSql day("clicks_day");
  switch (granularity) {
    case Granularity::kMinute:
      return minute;
    case Granularity::kHour:
      return hour;
    case Granularity::kDay:
      return day;
  }
  return day;  // unreachable for valid enum values; -Wswitch guards new ones
}

// Adds one entry to its link's totals; false when the link no longer exists.
Result<bool> AddToLinkTotals(SqliteConnection& writer, const MinuteClicks& entry) {
  Result<SqliteStatement> update = writer.Prepare(
      "UPDATE links SET total_clicks = total_clicks + ?, bot_clicks = bot_clicks + ? WHERE id = ?");
  if (!update.ok()) return update.status();
  if (Status s = update.value().Bind(entry.humans, entry.bots, entry.link_id).Run(); !s.ok()) {
    return s;
  }
  return writer.changes() == 1;
}

Status AddToBuckets(SqliteConnection& writer, const MinuteClicks& entry) {
  for (Granularity granularity : kGranularities) {
    Result<SqliteStatement> upsert = writer.Prepare(SqlOf(granularity).upsert);
    if (!upsert.ok()) return upsert.status();
    int64_t bucket = BucketOfMinute(granularity, entry.minute);
    Status s = upsert.value().Bind(entry.link_id, bucket, entry.humans, entry.bots).Run();
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Result<int64_t> SumRun(SqliteConnection& reader, int64_t link_id, const BucketRun& run) {
  Result<SqliteStatement> sum = reader.Prepare(SqlOf(run.granularity).sum);
  if (!sum.ok()) return sum.status();
  Result<bool> row = sum.value().Bind(link_id, run.first, run.last).Step();
  if (!row.ok()) return row.status();
  return sum.value().Int(0);
}

}  // namespace

Status SqliteStore::AddClicks(std::span<const MinuteClicks> clicks) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  for (const MinuteClicks& entry : clicks) {
    if (entry.humans == 0 && entry.bots == 0) continue;
    // The link may have been deleted since its clicks were counted; its buckets must not come back
    // (the foreign keys would refuse them anyway), so the update of its totals doubles as the
    // check.
    Result<bool> exists = AddToLinkTotals(*writer, entry);
    if (!exists.ok()) return exists.status();
    if (!exists.value()) continue;
    if (Status s = AddToBuckets(*writer, entry); !s.ok()) return s;
  }
  return transaction.Commit();
}

Result<ClickTotals> SqliteStore::ReadClickTotals(int64_t link_id,
                                                 std::span<const MinuteSpan> spans) {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  SqliteConnection& connection = *reader.value();
  // One snapshot for the totals and every span: a flush committing in between could otherwise make
  // last_24h exceed last_7d, or a span exceed the total.
  SqliteTransaction transaction(connection);
  if (Status s = transaction.Begin(Mode::kRead); !s.ok()) return s;
  ClickTotals totals;
  {
    Result<SqliteStatement> link =
        connection.Prepare("SELECT total_clicks, bot_clicks FROM links WHERE id = ?");
    if (!link.ok()) return link.status();
    Result<bool> row = link.value().Bind(link_id).Step();
    if (!row.ok()) return row.status();
    if (!row.value()) {
      return Status::Error(ErrorCode::kNotFound, "no link has the id " + std::to_string(link_id));
    }
    totals.total = link.value().Int(0);
    totals.bot_total = link.value().Int(1);
  }
  Result<std::vector<int64_t>> sums =
      SumClickSpans(spans, [&](const BucketRun& run) { return SumRun(connection, link_id, run); });
  if (!sums.ok()) return sums.status();
  totals.span_sums = std::move(sums).value();
  if (Status s = transaction.Commit(); !s.ok()) return s;
  return totals;
}

Result<std::vector<BucketCount>> SqliteStore::ReadClickSeries(int64_t link_id,
                                                              Granularity granularity,
                                                              int64_t first, int64_t last) {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  Result<SqliteStatement> series = reader.value()->Prepare(SqlOf(granularity).series);
  if (!series.ok()) return series.status();
  series.value().Bind(link_id, first, last);
  std::vector<BucketCount> counts;
  for (;;) {
    Result<bool> row = series.value().Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return counts;
    counts.push_back({series.value().Int(0), series.value().Int(1)});
  }
}

// Both cutoffs are bucket numbers of their own table: `minute_before` counts minutes and
// `hour_before` hours since the epoch. Day buckets are kept forever.
Status SqliteStore::PruneClickBuckets(int64_t minute_before, int64_t hour_before) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  const std::pair<Granularity, int64_t> cutoffs[] = {{Granularity::kMinute, minute_before},
                                                     {Granularity::kHour, hour_before}};
  for (const auto& [granularity, before] : cutoffs) {
    Result<SqliteStatement> prune = writer->Prepare(SqlOf(granularity).prune);
    if (!prune.ok()) return prune.status();
    if (Status s = prune.value().Bind(before).Run(); !s.ok()) return s;
  }
  return transaction.Commit();
}

}  // namespace hop
