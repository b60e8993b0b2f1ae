// SqliteStore: rolling minute counts up into hours, days and the links' totals (click_watermark.h).
//
// A step folds the minutes of one range of link ids in a few set-based statements, whatever the
// number of minutes or hours it spans: the link's clicks are summed per hour into a temporary table
// once, and the hour rows, the day rows and the totals are each one upsert from it. The minutes are
// found as the readers find them: each minute that has any clicks is one seek, followed by the
// range of the step's link ids within it. Minutes and links are read from the packed key
// (sqlite_click_rows.h), and every range of them is a range of keys.
#include <algorithm>
#include <string>

#include "store/click_watermark.h"
#include "store/sqlite/sqlite_click_rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_transaction.h"

namespace hop {
namespace {

// SQL's integer division truncates toward zero; a bucket before the epoch must round down, as
// BucketOfMinute does.
#define HOP_FLOOR_DIV(x, n) "((" x " - ((" x " % " n ") + " n ") % " n ") / " n ")"

// The step's clicks per link and hour. Only the writer connection uses it, inside a step's
// transaction, which leaves it empty.
constexpr char kCreateStepTable[] =
    "CREATE TEMP TABLE IF NOT EXISTS click_rollup_step ("
    "link_id INTEGER NOT NULL, hour INTEGER NOT NULL, clicks INTEGER NOT NULL, "
    "bot_clicks INTEGER NOT NULL, PRIMARY KEY (link_id, hour)) WITHOUT ROWID";

// ?1 and ?2: the first and last key of the step's minutes; ?3 and ?4: its first and last link id.
// The recursion stops at the last minute itself, where the key of the next one could overflow.
constexpr char kSumStep[] = R"sql(
WITH RECURSIVE present (minute) AS (
  SELECT min(minute_link) >> 32 FROM minute_clicks WHERE minute_link BETWEEN ?1 AND ?2
  UNION ALL
  SELECT (SELECT min(minute_link) >> 32 FROM minute_clicks
          WHERE minute_link >= (present.minute + 1) << 32 AND minute_link <= ?2)
  FROM present WHERE present.minute IS NOT NULL AND present.minute < ?2 >> 32
)
INSERT INTO temp.click_rollup_step (link_id, hour, clicks, bot_clicks)
SELECT m.minute_link & 0xffffffff AS link_id, )sql" HOP_FLOOR_DIV(
    "present.minute", "60") R"sql( AS hour, sum(m.clicks), sum(m.bot_clicks)
FROM present JOIN minute_clicks AS m
  ON m.minute_link BETWEEN (present.minute << 32) | ?3 AND (present.minute << 32) | ?4
GROUP BY link_id, hour
)sql";

// The minute rows of deleted links are left to pruning, and their hour and day rows are gone.
constexpr char kDropDeletedLinks[] =
    "DELETE FROM temp.click_rollup_step "
    "WHERE NOT EXISTS (SELECT 1 FROM links WHERE links.id = click_rollup_step.link_id)";

constexpr char kAddToHours[] = R"sql(
INSERT INTO clicks_hour (link_id, bucket, clicks, bot_clicks)
SELECT link_id, hour, clicks, bot_clicks FROM temp.click_rollup_step WHERE true
ON CONFLICT (link_id, bucket) DO UPDATE
SET clicks = clicks + excluded.clicks, bot_clicks = bot_clicks + excluded.bot_clicks
)sql";

constexpr char kAddToDays[] = R"sql(
INSERT INTO clicks_day (link_id, bucket, clicks, bot_clicks)
SELECT link_id, )sql" HOP_FLOOR_DIV("hour", "24") R"sql( AS day, sum(clicks), sum(bot_clicks)
FROM temp.click_rollup_step WHERE true GROUP BY link_id, day
ON CONFLICT (link_id, bucket) DO UPDATE
SET clicks = clicks + excluded.clicks, bot_clicks = bot_clicks + excluded.bot_clicks
)sql";

// Only the two totals change: every other column of the link stays as it is.
constexpr char kAddToTotals[] = R"sql(
UPDATE links SET total_clicks = total_clicks + step.humans, bot_clicks = bot_clicks + step.bots
FROM (SELECT link_id, sum(clicks) AS humans, sum(bot_clicks) AS bots
      FROM temp.click_rollup_step GROUP BY link_id) AS step
WHERE links.id = step.link_id
)sql";

Status RunPrepared(SqliteConnection& writer, const char* sql) {
  Result<SqliteStatement> statement = writer.Prepare(sql);
  return statement.ok() ? statement.value().Run() : statement.status();
}

Status FoldStep(SqliteConnection& writer, const RollUpStep& step) {
  const std::optional<MinuteKeyRange> keys = KeysOfMinutes(step.first_minute, step.end_minute - 1);
  const int64_t first_link = std::max<int64_t>(step.after_link, 0) + 1;
  const int64_t last_link = std::min(step.through_link, kMaxKeyedLinkId);
  if (!keys || first_link > last_link) return Status::Ok();
  if (Status s = writer.Execute(kCreateStepTable); !s.ok()) return s;
  Result<SqliteStatement> sum = writer.Prepare(kSumStep);
  if (!sum.ok()) return sum.status();
  Status summed = sum.value().Bind(keys->first, keys->last, first_link, last_link).Run();
  if (!summed.ok()) return summed;
  for (const char* sql : {kDropDeletedLinks, kAddToHours, kAddToDays, kAddToTotals,
                          "DELETE FROM temp.click_rollup_step"}) {
    if (Status s = RunPrepared(writer, sql); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<bool> AnyMinuteIn(SqliteConnection& writer, int64_t first, int64_t end) {
  const std::optional<MinuteKeyRange> keys = KeysOfMinutes(first, end - 1);
  if (!keys) return false;
  Result<SqliteStatement> any =
      writer.Prepare("SELECT 1 FROM minute_clicks WHERE minute_link BETWEEN ? AND ? LIMIT 1");
  if (!any.ok()) return any.status();
  return any.value().Bind(keys->first, keys->last).Step();
}

Result<int64_t> NewestLinkId(SqliteConnection& writer) {
  Result<SqliteStatement> newest = writer.Prepare("SELECT coalesce(max(id), 0) FROM links");
  if (!newest.ok()) return newest.status();
  Result<bool> row = newest.value().Step();
  if (!row.ok()) return row.status();
  return newest.value().Int(0);
}

Status StoreWatermark(SqliteConnection& writer, const ClickWatermark& watermark) {
  Result<SqliteStatement> update = writer.Prepare(
      "UPDATE click_rollup SET rolled_before_minute = ?, rolling_before_minute = ?, "
      "rolling_through_link = ?");
  if (!update.ok()) return update.status();
  return update.value()
      .Bind(watermark.rolled_before, watermark.rolling_before, watermark.rolling_through_link)
      .Run();
}

}  // namespace

// One step per call, in the write transaction that also reads and moves the watermark: a flush
// runs entirely before or after it, and so sees where each link stands. A pass folds only minutes
// applied to minute_clicks (sqlite_click_journal.h): before it starts, the click journal's minutes
// before its end are applied, a part per call if there are many, and the applied key K moves to the
// pass's end, so that every later click of those minutes goes to minute_clicks, or to the late
// path, where the pass or the reads find it.
Result<bool> SqliteStore::RollUpClicks(int64_t before_minute, int64_t links_per_step) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(SqliteTransaction::Mode::kWrite); !s.ok()) return s;
  if (Status s = journal_.Sync(*writer); !s.ok()) return s;
  Result<ClickWatermark> watermark = ReadClickWatermark(*writer);
  if (!watermark.ok()) return watermark.status();
  std::optional<int64_t> pass_end = RollUpPassEnd(watermark.value(), before_minute);
  if (!pass_end) return true;
  SqliteClickJournal::Change change = journal_.Start();
  if (change.applied_before < FirstKeyOfMinute(*pass_end)) {
    Result<bool> applied = journal_.Apply(*writer, *pass_end, change);
    if (!applied.ok()) return applied.status();
    if (!applied.value()) {
      if (Status s = journal_.Finish(*writer, change); !s.ok()) return s;
      if (Status s = transaction.Commit(); !s.ok()) return s;
      journal_.Publish(std::move(change));
      return false;
    }
    change.applied_before = FirstKeyOfMinute(*pass_end);
  }
  Result<bool> has_minutes = AnyMinuteIn(*writer, watermark.value().rolled_before, *pass_end);
  if (!has_minutes.ok()) return has_minutes.status();
  Result<int64_t> newest_link = NewestLinkId(*writer);
  if (!newest_link.ok()) return newest_link.status();
  const RollUpStep step = NextRollUpStep(watermark.value(), *pass_end, links_per_step,
                                         newest_link.value(), has_minutes.value());
  if (has_minutes.value()) {
    if (Status s = FoldStep(*writer, step); !s.ok()) return s;
  }
  if (Status s = StoreWatermark(*writer, step.next); !s.ok()) return s;
  if (Status s = journal_.Finish(*writer, change); !s.ok()) return s;
  if (Status s = transaction.Commit(); !s.ok()) return s;
  journal_.Publish(std::move(change));
  return step.next.rolled_before >= before_minute;
}

}  // namespace hop
