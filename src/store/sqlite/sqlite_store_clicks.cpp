// SqliteStore: adding click counts, and pruning old buckets.
//
// Clicks live in minute_clicks, keyed by minute and link packed into the rowid
// (sqlite_click_rows.h), except those of the minutes still open, which the click journal keeps
// until their minute is applied (sqlite_click_journal.h); clicks_hour and clicks_day, keyed
// (link_id, bucket), hold only the minutes rolled up so far (click_watermark.h,
// sqlite_store_rollup.cpp).
#include <algorithm>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_click_rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_transaction.h"

namespace hop {
namespace {

using Mode = SqliteTransaction::Mode;

bool MinuteFits(const MinuteClicks& entry) {
  return entry.minute >= kMinKeyedMinute && entry.minute <= kMaxKeyedMinute;
}

// The journal holds each count in 32 bits.
bool CountsFit(const MinuteClicks& entry) {
  constexpr int64_t kMaxCount = std::numeric_limits<uint32_t>::max();
  return entry.humans >= 0 && entry.humans <= kMaxCount && entry.bots >= 0 &&
         entry.bots <= kMaxCount;
}

// A link id no key holds is no link's: SQLite refuses to create links past kMaxKeyedLinkId.
bool LinkFits(const MinuteClicks& entry) {
  return entry.link_id >= 1 && entry.link_id <= kMaxKeyedLinkId;
}

bool Before(const MinuteClicks& a, const MinuteClicks& b) {
  return a.minute != b.minute ? a.minute < b.minute : a.link_id < b.link_id;
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
  if (Status s = UpsertMinuteRows(writer, {&entry, 1}); !s.ok()) return s;
  for (Granularity granularity : {Granularity::kHour, Granularity::kDay}) {
    Result<SqliteStatement> upsert = writer.Prepare(SqlOf(granularity).upsert);
    if (!upsert.ok()) return upsert.status();
    int64_t bucket = BucketOfMinute(granularity, entry.minute);
    Status s = upsert.value().Bind(entry.link_id, bucket, entry.humans, entry.bots).Run();
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// Refused before anything is written, so that a flush is all or nothing; Click's int32 minute and
// the pipeline's counts never get here.
Status CheckClicks(std::span<const MinuteClicks> clicks) {
  for (const MinuteClicks& entry : clicks) {
    if (!MinuteFits(entry)) {
      return Status::Error(ErrorCode::kInvalidRequest,
                           "the minute " + std::to_string(entry.minute) + " is out of range");
    }
    if (!CountsFit(entry)) {
      return Status::Error(ErrorCode::kInvalidRequest,
                           "the clicks of link " + std::to_string(entry.link_id) + " in minute " +
                               std::to_string(entry.minute) + " are not within 0..2^32-1");
    }
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::AddClicks(std::span<const MinuteClicks> clicks) {
  if (Status s = CheckClicks(clicks); !s.ok()) return s;
  if (Status s = JournalClicks(clicks); !s.ok()) return s;
  // The rest of the write's share of applying: a part per kMaxEntriesPerWrite entries after the
  // first, which JournalClicks applied. The clicks are written: a part that fails leaves its rows
  // to the next write, and must not make this one look failed, or they would be added again.
  const size_t parts = clicks.empty() ? 0 : (clicks.size() - 1) / kMaxEntriesPerWrite;
  (void)ApplyClosedMinuteParts(parts, std::nullopt);
  return Status::Ok();
}

// One transaction: the closed minutes' next rows go to minute_clicks first, then each entry where
// the key it has now belongs (sqlite_click_journal.h); the overlay learns of both once committed.
Status SqliteStore::JournalClicks(std::span<const MinuteClicks> clicks) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  if (Status s = journal_.Sync(*writer); !s.ok()) return s;
  Result<ClickWatermark> watermark = ReadClickWatermark(*writer);
  if (!watermark.ok()) return watermark.status();
  SqliteClickJournal::Change change = journal_.Start();
  // A minute closes once a flush carries a later one.
  int64_t newest = journal_.NewestMinute().value_or(kMinKeyedMinute);
  for (const MinuteClicks& entry : clicks) newest = std::max(newest, entry.minute);
  if (Result<bool> applied = journal_.Apply(*writer, newest, change); !applied.ok()) {
    return applied.status();
  }
  // Late entries (an outage's backlog, a clock that stepped back) and those below the applied
  // key are rare; empty ones and those of ids no link can have are dropped.
  std::vector<MinuteClicks> applied_keys;
  std::vector<MinuteClicks> journaled;
  journaled.reserve(clicks.size());
  for (const MinuteClicks& entry : clicks) {
    if ((entry.humans == 0 && entry.bots == 0) || !LinkFits(entry)) continue;
    if (entry.minute < watermark.value().FoldedBefore(entry.link_id)) {
      if (Status s = AddLate(*writer, entry); !s.ok()) return s;
    } else if (MinuteKey(entry.minute, entry.link_id) < change.applied_before) {
      applied_keys.push_back(entry);
    } else {
      journaled.push_back(entry);
    }
  }
  if (Status s = UpsertMinuteRows(*writer, applied_keys); !s.ok()) return s;
  if (!std::is_sorted(journaled.begin(), journaled.end(), Before)) {
    std::sort(journaled.begin(), journaled.end(), Before);
  }
  if (Status s = journal_.Append(*writer, journaled, change); !s.ok()) return s;
  if (Status s = journal_.Finish(*writer, change); !s.ok()) return s;
  if (Status s = transaction.Commit(); !s.ok()) return s;
  journal_.Publish(std::move(change));
  return Status::Ok();
}

Result<bool> SqliteStore::ApplyClosedMinuteParts(size_t parts,
                                                 std::optional<int64_t> closed_before) {
  Result<bool> done = false;
  for (size_t part = 0; part < parts && done.ok() && !done.value(); ++part)
    done = ApplyClosedMinutes(closed_before);
  return done;
}

Result<bool> SqliteStore::ApplyClosedMinutes(std::optional<int64_t> closed_before) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  if (Status s = journal_.Sync(*writer); !s.ok()) return s;
  const std::optional<int64_t> newest = journal_.NewestMinute();
  if (!newest) return true;
  SqliteClickJournal::Change change = journal_.Start();
  Result<bool> applied = journal_.Apply(*writer, closed_before.value_or(*newest), change);
  if (!applied.ok()) return applied.status();
  if (Status s = journal_.Finish(*writer, change); !s.ok()) return s;
  if (Status s = transaction.Commit(); !s.ok()) return s;
  journal_.Publish(std::move(change));
  return applied.value();
}

// Nothing is written while the journal's newest minute is still open, nor once it is empty: an
// idle server asks every flush interval. Every minute the journal holds is before `minute` when
// it writes, so once none of their rows is left, the overlay holds no minute. With no clicks to
// write, a call applies several parts, each a transaction of its own as in AddClicks: a million
// rows in a few seconds.
Result<bool> SqliteStore::CloseMinutesBefore(int64_t minute) {
  {
    SqliteConnectionPool::WriterLease writer = pool_->Writer();
    const std::optional<int64_t> newest = journal_.NewestMinute();
    if (!newest) return true;
    if (*newest >= minute) return false;
  }
  return ApplyClosedMinuteParts(8, minute);
}

// Both cutoffs are bucket numbers of their own table: `minute_before` counts minutes and
// `hour_before` hours since the epoch. Minutes not rolled up yet are kept, since nothing else
// counts them; old minutes are a range at the front of the key. Neither the click journal nor the
// overlay is touched: a rollup applies a minute before it folds it, so every key pruned here is
// below the applied key, and the journal holds none of them.
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
