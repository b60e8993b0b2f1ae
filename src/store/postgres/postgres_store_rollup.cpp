// PostgresStore: rolling minute counts up into hours, days and the links' totals
// (click_watermark.h).
//
// A step is a transaction of its own that takes the watermark row FOR UPDATE first. Each flush
// holds that row FOR SHARE (postgres_store_clicks.cpp), so the lock waits for the flushes under way
// and keeps new ones waiting until the step commits; and since every statement of a READ COMMITTED
// transaction sees what committed before it started, the statements after the lock see every
// flush that read the old watermark. Instances that call at the same time take turns, each doing
// the next step of the same pass.
#include <string>

#include "store/click_watermark.h"
#include "store/postgres/postgres_store_impl.h"

namespace hop {
namespace {

// Flushes share the watermark row all the time; if they keep it for longer than this (a stream of
// overlapping flushes from busy instances), the step gives up and is tried again later rather than
// holding up the caller's own flushes.
constexpr char kBeginStep[] = "BEGIN; SET LOCAL lock_timeout = '2s'";

const PgStatement kLockWatermark{"hop_lock_click_watermark", R"sql(
SELECT rolled_before_minute, rolling_before_minute, rolling_through_link FROM click_rollup
WHERE id = 1 FOR UPDATE
)sql"};

const PgStatement kPassFacts{"hop_click_rollup_pass_facts", R"sql(
SELECT EXISTS (SELECT 1 FROM minute_clicks WHERE bucket >= $1::bigint AND bucket < $2::bigint),
       (SELECT coalesce(max(id), 0) FROM links)
)sql"};

// SQL's integer division truncates toward zero; a bucket before the epoch must round down, as
// BucketOfMinute does.
#define HOP_FLOOR_DIV(x, n) "((" x " - ((" x " % " n ") + " n ") % " n ") / " n ")"

// The minutes [$1, $2) of the links with ids in ($3, $4], then the watermark ($5, $6, $7). The
// minutes are found one seek per minute that has clicks, followed by the range of the step's link
// ids within it, then summed per link and hour once; the hour rows, the day rows and the totals are
// each one upsert of those sums, whatever the number of minutes or hours the step spans. The links
// are locked in id order before any of their rows is written, as a flush of late clicks does, and
// deleted ones are left out: their minute rows wait for pruning. Only the two totals of a link
// change; its other columns, host_key (computed on every update of a row) included, are left alone.
const PgStatement kFoldStep{"hop_click_rollup_step", R"sql(
WITH RECURSIVE present (minute) AS (
  SELECT min(bucket) FROM minute_clicks WHERE bucket >= $1::bigint AND bucket < $2::bigint
  UNION ALL
  SELECT (SELECT min(bucket) FROM minute_clicks WHERE bucket > present.minute AND bucket < $2::bigint)
  FROM present WHERE present.minute IS NOT NULL
), step AS (
  SELECT m.link_id, )sql" HOP_FLOOR_DIV("m.bucket", "60") R"sql( AS hour,
         sum(m.clicks)::bigint AS clicks, sum(m.bot_clicks)::bigint AS bot_clicks
  FROM present JOIN minute_clicks AS m
    ON m.bucket = present.minute AND m.link_id > $3::bigint AND m.link_id <= $4::bigint
  GROUP BY m.link_id, hour
), per_link AS (
  SELECT link_id, sum(clicks)::bigint AS humans, sum(bot_clicks)::bigint AS bots
  FROM step GROUP BY link_id
), locked AS (
  SELECT id FROM links WHERE id IN (SELECT link_id FROM per_link) ORDER BY id FOR NO KEY UPDATE
), live AS (
  UPDATE links SET total_clicks = links.total_clicks + per_link.humans,
                   bot_clicks = links.bot_clicks + per_link.bots
  FROM per_link
  WHERE links.id = per_link.link_id AND links.id IN (SELECT id FROM locked)
  RETURNING links.id
), hours AS (
  INSERT INTO clicks_hour AS c (link_id, bucket, clicks, bot_clicks)
  SELECT link_id, hour, clicks, bot_clicks FROM step WHERE link_id IN (SELECT id FROM live)
  ON CONFLICT (link_id, bucket) DO UPDATE
  SET clicks = c.clicks + excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks
), days AS (
  INSERT INTO clicks_day AS c (link_id, bucket, clicks, bot_clicks)
  SELECT link_id, )sql" HOP_FLOOR_DIV("hour", "24") R"sql( AS day, sum(clicks), sum(bot_clicks)
  FROM step WHERE link_id IN (SELECT id FROM live)
  GROUP BY link_id, day
  ON CONFLICT (link_id, bucket) DO UPDATE
  SET clicks = c.clicks + excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks
)
UPDATE click_rollup SET rolled_before_minute = $5::bigint, rolling_before_minute = $6::bigint,
                        rolling_through_link = $7::bigint
WHERE id = 1
)sql"};

// Runs one step in the open transaction; the caller commits or rolls back. Sets `done` as
// RollUpClicks returns it.
Status RunStep(PgConnection& connection, int64_t before_minute, int64_t links_per_step,
               bool& done) {
  if (Status begun = connection.Run(kBeginStep); !begun.ok()) return begun;
  Result<PgResult> locked = connection.Execute(kLockWatermark);
  if (!locked.ok()) return locked.status();
  const ClickWatermark watermark{.rolled_before = locked.value().Int64(0, 0),
                                 .rolling_before = locked.value().Int64(0, 1),
                                 .rolling_through_link = locked.value().Int64(0, 2)};
  std::optional<int64_t> pass_end = RollUpPassEnd(watermark, before_minute);
  done = !pass_end;
  if (done) return Status::Ok();
  PgParams range;
  range.AddInt64(watermark.rolled_before);
  range.AddInt64(*pass_end);
  Result<PgResult> facts = connection.Execute(kPassFacts, range);
  if (!facts.ok()) return facts.status();
  const RollUpStep step = NextRollUpStep(watermark, *pass_end, links_per_step,
                                         facts.value().Int64(0, 1), facts.value().Bool(0, 0));
  PgParams params;
  for (int64_t value :
       {step.first_minute, step.end_minute, step.after_link, step.through_link,
        step.next.rolled_before, step.next.rolling_before, step.next.rolling_through_link})
    params.AddInt64(value);
  if (Result<PgResult> folded = connection.Execute(kFoldStep, params); !folded.ok())
    return folded.status();
  done = step.next.rolled_before >= before_minute;
  return Status::Ok();
}

}  // namespace

Result<bool> PostgresStore::RollUpClicks(int64_t before_minute, int64_t links_per_step) {
  PgConnectionPool::Lease connection = pool_->Acquire();
  bool done = false;
  Status stepped = RunStep(*connection, before_minute, links_per_step, done);
  // A failed step leaves nothing behind; ending its transaction now releases the watermark for the
  // flushes waiting on it. A connection that broke took its transaction with it.
  Status ended = connection->Run(stepped.ok() ? "COMMIT" : "ROLLBACK");
  if (!stepped.ok()) return stepped;
  if (!ended.ok()) return ended;
  return done;
}

}  // namespace hop
