// SqliteStore: reading click totals, span sums and series.
//
// An answer adds up three parts: the rolled-up rows (the link's totals, its hour and day rows, up
// to the link's rollup watermark, click_watermark.h), the minute rows of minute_clicks, and the
// counts of the click journal's overlay. BeginClickRead copies the overlay's counts of the link
// with the applied key K, and starts the read transaction, in the same state; minute rows are taken
// below K and overlay counts from it on, so that each (minute, link) counts once however the writer
// moves K (sqlite_click_journal.h). All of it is one state, so nested windows never disagree.
#include <algorithm>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "store/click_span_sums.h"
#include "store/sqlite/sqlite_click_rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_transaction.h"
#include "store/unrolled_clicks.h"

namespace hop {
namespace {

using Mode = SqliteTransaction::Mode;

constexpr int64_t kLastMinute = std::numeric_limits<int64_t>::max();

// How many times a read copies the overlay and starts its snapshot before it gives up: the second
// attempt holds the writer lease, so only another process's writes can make it fail.
constexpr int kReadAttempts = 3;

// The counts of `link_id` in the minutes first..last, ascending: minute rows below
// `applied_before`, then the overlay's counts (`journaled`, all from it on). A minute that the
// rollup folded is applied already (a rollup applies first), so it is in minute_clicks alone.
Result<std::vector<MinuteClicks>> ReadMinutes(SqliteConnection& reader, int64_t link_id,
                                              int64_t first, int64_t last, int64_t applied_before,
                                              std::span<const MinuteClicks> journaled) {
  Result<std::vector<MinuteClicks>> rows =
      ReadMinuteRows(reader, link_id, first, last, applied_before);
  if (!rows.ok()) return rows.status();
  for (const MinuteClicks& entry : journaled) {
    if (entry.minute >= first && entry.minute <= last) rows.value().push_back(entry);
  }
  return rows;
}

// The clicks of `run` counted in its bucket rows: hour and day rows hold only minutes before
// `folded_before`, and so, here, do minute runs; the rest is added from the unrolled minutes.
Result<int64_t> SumRolledRun(SqliteConnection& reader, int64_t link_id, const BucketRun& run,
                             int64_t folded_before, int64_t applied_before) {
  if (run.granularity == Granularity::kMinute) {
    Result<std::vector<MinuteClicks>> rows = ReadMinuteRows(
        reader, link_id, run.first, std::min(run.last, folded_before - 1), applied_before);
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
                                                  int64_t last, int64_t applied_before,
                                                  std::span<const MinuteClicks> journaled) {
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
  const int64_t folded_before = watermark.value().FoldedBefore(link_id);
  Result<std::vector<MinuteClicks>> unrolled =
      ReadMinutes(reader, link_id, std::max(folded_before, FirstMinuteOfBucket(granularity, first)),
                  FirstMinuteOfBucket(granularity, last + 1) - 1, applied_before, journaled);
  if (!unrolled.ok()) return unrolled.status();
  return AddUnrolledToSeries(rolled, unrolled.value(), granularity);
}

}  // namespace

Status SqliteStore::SyncClickJournal(SqliteConnection& writer) {
  SqliteTransaction transaction(writer);
  if (Status s = transaction.Begin(Mode::kRead); !s.ok()) return s;
  if (Status s = journal_.Sync(writer); !s.ok()) return s;
  return transaction.Commit();
}

Result<ClickOverlay::LinkCounts> SqliteStore::BeginClickRead(std::span<const int64_t> link_ids,
                                                             SqliteConnection& reader,
                                                             SqliteTransaction& transaction) {
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    std::optional<SqliteConnectionPool::WriterLease> writer;
    if (attempt > 0 || !journal_.loaded()) {
      writer.emplace(pool_->Writer());
      if (Status s = SyncClickJournal(**writer); !s.ok()) return s;
    }
    ClickOverlay::LinkCounts copy = journal_.CopyLinks(link_ids);
    if (Status s = transaction.Begin(Mode::kRead); !s.ok()) return s;
    Result<int64_t> version = ReadClickJournalVersion(reader);  // the snapshot starts here
    if (!version.ok()) return version.status();
    if (version.value() == copy.version) return copy;
    if (Status s = transaction.Commit(); !s.ok()) return s;
  }
  return Status::Error(ErrorCode::kStoreUnavailable,
                       "another process kept writing clicks during the read; try again");
}

Result<ClickTotals> SqliteStore::ReadClickTotals(int64_t link_id,
                                                 std::span<const MinuteSpan> spans) {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  SqliteConnection& connection = *reader.value();
  // One state for the totals, the watermark, every span and the journal's counts: a flush or a
  // rollup committing in between could otherwise make last_24h exceed last_7d, or a span exceed
  // the total.
  SqliteTransaction transaction(connection);
  Result<ClickOverlay::LinkCounts> journaled =
      BeginClickRead({&link_id, 1}, connection, transaction);
  if (!journaled.ok()) return journaled.status();
  const int64_t applied_before = journaled.value().applied_before;
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
    return SumRolledRun(connection, link_id, run, folded_before, applied_before);
  });
  if (!sums.ok()) return sums.status();
  totals.span_sums = std::move(sums).value();
  Result<std::vector<MinuteClicks>> unrolled = ReadMinutes(
      connection, link_id, folded_before, kLastMinute, applied_before, journaled.value().links[0]);
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
  Result<ClickOverlay::LinkCounts> journaled = BeginClickRead(link_ids, connection, transaction);
  if (!journaled.ok()) return journaled.status();
  Result<ClickWatermark> watermark = ReadClickWatermark(connection);
  if (!watermark.ok()) return watermark.status();
  std::vector<ClickTotals> all;
  all.reserve(link_ids.size());
  for (size_t i = 0; i < link_ids.size(); ++i) {
    const int64_t link_id = link_ids[i];
    ClickTotals& totals = all.emplace_back();
    Result<std::optional<ClickTotals>> rolled = ReadRolledTotals(connection, link_id);
    if (!rolled.ok()) return rolled.status();
    if (!rolled.value()) continue;  // minute counts outlive their link: they count for nothing
    totals = *rolled.value();
    Result<std::vector<MinuteClicks>> unrolled =
        ReadMinutes(connection, link_id, watermark.value().FoldedBefore(link_id), kLastMinute,
                    journaled.value().applied_before, journaled.value().links[i]);
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
  Result<ClickOverlay::LinkCounts> journaled =
      BeginClickRead({&link_id, 1}, connection, transaction);
  if (!journaled.ok()) return journaled.status();
  const int64_t applied_before = journaled.value().applied_before;
  // Minute counts outlive their link until they are pruned.
  Result<bool> exists = LinkExists(connection, link_id);
  if (!exists.ok()) return exists.status();
  std::vector<BucketCount> counts;
  if (!exists.value()) return counts;
  if (granularity == Granularity::kMinute) {
    Result<std::vector<MinuteClicks>> rows =
        ReadMinutes(connection, link_id, first, last, applied_before, journaled.value().links[0]);
    if (!rows.ok()) return rows.status();
    for (const MinuteClicks& row : rows.value()) {
      if (row.humans > 0) counts.push_back({row.minute, row.humans});
    }
  } else {
    Result<std::vector<BucketCount>> buckets = ReadBucketSeries(
        connection, link_id, granularity, first, last, applied_before, journaled.value().links[0]);
    if (!buckets.ok()) return buckets.status();
    counts = std::move(buckets).value();
  }
  if (Status s = transaction.Commit(); !s.ok()) return s;
  return counts;
}

}  // namespace hop
