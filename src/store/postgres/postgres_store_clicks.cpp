// PostgresStore: adding click counts, reading totals, span sums and series, and pruning old
// buckets.
//
// Clicks live in three tables of the same shape, clicks_minute, clicks_hour and clicks_day,
// numbered as in core/click_windows.h. However many clicks a call carries, it is one statement: the
// entries travel as parallel arrays and unnest() turns them back into rows on the server.
#include <string>

#include "store/postgres/postgres_store_impl.h"

namespace hop {
namespace {

// One flush, one statement, one implicit transaction. Bucket numbers are computed by the caller
// with core's BucketOfMinute, so the two stores cannot disagree on where a minute belongs.
//
// Clicks of deleted links are dropped: only links still present ("live") get bucket rows. The links
// are locked in id order before anything is written, and a link's bucket rows are only ever written
// by the holder of its lock, so flushes from several instances touching the same links queue behind
// one another instead of deadlocking. Hour and day rows are summed per bucket before the upsert,
// since one INSERT ... ON CONFLICT cannot update the same row twice.
const PgStatement kAddClicks{"hop_add_clicks", R"sql(
WITH input AS (
  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[],
                       $6::bigint[]) AS t(link_id, minute, hour, day, humans, bots)
), per_link AS (
  SELECT link_id, sum(humans)::bigint AS humans, sum(bots)::bigint AS bots
  FROM input GROUP BY link_id
), locked AS (
  SELECT id FROM links WHERE id IN (SELECT link_id FROM per_link) ORDER BY id FOR NO KEY UPDATE
), live AS (
  UPDATE links SET total_clicks = links.total_clicks + per_link.humans,
                   bot_clicks = links.bot_clicks + per_link.bots
  FROM per_link
  WHERE links.id = per_link.link_id AND links.id IN (SELECT id FROM locked)
  RETURNING links.id
), minutes AS (
  INSERT INTO clicks_minute AS c (link_id, bucket, clicks, bot_clicks)
  SELECT link_id, minute, humans, bots FROM input WHERE link_id IN (SELECT id FROM live)
  ON CONFLICT (link_id, bucket) DO UPDATE
  SET clicks = c.clicks + excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks
), hours AS (
  INSERT INTO clicks_hour AS c (link_id, bucket, clicks, bot_clicks)
  SELECT link_id, hour, sum(humans), sum(bots) FROM input WHERE link_id IN (SELECT id FROM live)
  GROUP BY link_id, hour
  ON CONFLICT (link_id, bucket) DO UPDATE
  SET clicks = c.clicks + excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks
)
INSERT INTO clicks_day AS c (link_id, bucket, clicks, bot_clicks)
SELECT link_id, day, sum(humans), sum(bots) FROM input WHERE link_id IN (SELECT id FROM live)
GROUP BY link_id, day
ON CONFLICT (link_id, bucket) DO UPDATE
SET clicks = c.clicks + excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks
)sql"};

// The totals and every span in one statement, hence one snapshot: a flush committing meanwhile
// cannot make last_24h exceed last_7d, or a span exceed the total. Each run of buckets (core's
// CoverMinutes) is one range of the (link_id, bucket) primary key of its table. No row means no
// link; spans without clicks have no row of their own.
const PgStatement kReadClickTotals{"hop_read_click_totals", R"sql(
WITH runs AS (
  SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])
    AS r(span, granularity, first_bucket, last_bucket)
), run_clicks AS (
  SELECT runs.span, c.clicks FROM runs JOIN clicks_minute c
    ON c.link_id = $1::bigint AND c.bucket BETWEEN runs.first_bucket AND runs.last_bucket
  WHERE runs.granularity = 0
  UNION ALL
  SELECT runs.span, c.clicks FROM runs JOIN clicks_hour c
    ON c.link_id = $1::bigint AND c.bucket BETWEEN runs.first_bucket AND runs.last_bucket
  WHERE runs.granularity = 1
  UNION ALL
  SELECT runs.span, c.clicks FROM runs JOIN clicks_day c
    ON c.link_id = $1::bigint AND c.bucket BETWEEN runs.first_bucket AND runs.last_bucket
  WHERE runs.granularity = 2
), span_sums AS (
  SELECT span, sum(clicks)::bigint AS clicks FROM run_clicks GROUP BY span
)
SELECT links.total_clicks, links.bot_clicks, span_sums.span, span_sums.clicks
FROM links LEFT JOIN span_sums ON true
WHERE links.id = $1::bigint
)sql"};

int64_t GranularityCode(Granularity granularity) {  // as kReadClickTotals numbers them
  switch (granularity) {
    case Granularity::kMinute:
      return 0;
    case Granularity::kHour:
      return 1;
    case Granularity::kDay:
      return 2;
  }
  return 2;  // unreachable for valid enum values; -Wswitch guards new ones
}

#define HOP_SERIES_SQL(table)         \
  "SELECT bucket, clicks FROM " table \
  " WHERE link_id = $1::bigint "      \
  "AND bucket BETWEEN $2::bigint AND $3::bigint AND clicks > 0 ORDER BY bucket"
const PgStatement kMinuteSeries{"hop_minute_series", HOP_SERIES_SQL("clicks_minute")};
const PgStatement kHourSeries{"hop_hour_series", HOP_SERIES_SQL("clicks_hour")};
const PgStatement kDaySeries{"hop_day_series", HOP_SERIES_SQL("clicks_day")};

const PgStatement& SeriesStatement(Granularity granularity) {
  switch (granularity) {
    case Granularity::kMinute:
      return kMinuteSeries;
    case Granularity::kHour:
      return kHourSeries;
    case Granularity::kDay:
      return kDaySeries;
  }
  return kDaySeries;  // unreachable for valid enum values; -Wswitch guards new ones
}

const PgStatement kPruneClickBuckets{"hop_prune_click_buckets", R"sql(
WITH minutes AS (DELETE FROM clicks_minute WHERE bucket < $1::bigint)
DELETE FROM clicks_hour WHERE bucket < $2::bigint
)sql"};

}  // namespace

Status PostgresStore::AddClicks(std::span<const MinuteClicks> clicks) {
  std::vector<int64_t> link_ids, minutes, hours, days, humans, bots;
  for (const MinuteClicks& entry : clicks) {
    if (entry.humans == 0 && entry.bots == 0) continue;
    link_ids.push_back(entry.link_id);
    minutes.push_back(entry.minute);
    hours.push_back(BucketOfMinute(Granularity::kHour, entry.minute));
    days.push_back(BucketOfMinute(Granularity::kDay, entry.minute));
    humans.push_back(entry.humans);
    bots.push_back(entry.bots);
  }
  if (link_ids.empty()) return Status::Ok();
  PgParams params;
  for (const std::vector<int64_t>* column : {&link_ids, &minutes, &hours, &days, &humans, &bots})
    params.AddInt64Array(*column);
  Result<PgResult> added = pool_->Acquire()->Execute(kAddClicks, params);
  return added.ok() ? Status::Ok() : added.status();
}

Result<ClickTotals> PostgresStore::ReadClickTotals(int64_t link_id,
                                                   std::span<const MinuteSpan> spans) {
  std::vector<int64_t> run_spans, granularities, firsts, lasts;
  for (size_t span = 0; span < spans.size(); ++span) {
    for (const BucketRun& run : CoverMinutes(spans[span].first, spans[span].last)) {
      run_spans.push_back(static_cast<int64_t>(span));
      granularities.push_back(GranularityCode(run.granularity));
      firsts.push_back(run.first);
      lasts.push_back(run.last);
    }
  }
  PgParams params;
  params.AddInt64(link_id);
  for (const std::vector<int64_t>* column : {&run_spans, &granularities, &firsts, &lasts})
    params.AddInt64Array(*column);
  Result<PgResult> read = pool_->Acquire()->Execute(kReadClickTotals, params);
  if (!read.ok()) return read.status();
  const PgResult& rows = read.value();
  if (rows.rows() == 0) {
    return Status::Error(ErrorCode::kNotFound, "no link has the id " + std::to_string(link_id));
  }
  ClickTotals totals;
  totals.total = rows.Int64(0, 0);
  totals.bot_total = rows.Int64(0, 1);
  totals.span_sums.assign(spans.size(), 0);
  for (int row = 0; row < rows.rows(); ++row) {
    if (!rows.IsNull(row, 2)) totals.span_sums[rows.Int64(row, 2)] = rows.Int64(row, 3);
  }
  return totals;
}

Result<std::vector<BucketCount>> PostgresStore::ReadClickSeries(int64_t link_id,
                                                                Granularity granularity,
                                                                int64_t first, int64_t last) {
  PgParams params;
  params.AddInt64(link_id);
  params.AddInt64(first);
  params.AddInt64(last);
  Result<PgResult> read = pool_->Acquire()->Execute(SeriesStatement(granularity), params);
  if (!read.ok()) return read.status();
  std::vector<BucketCount> counts;
  for (int row = 0; row < read.value().rows(); ++row)
    counts.push_back({read.value().Int64(row, 0), read.value().Int64(row, 1)});
  return counts;
}

Status PostgresStore::PruneClickBuckets(int64_t minute_before, int64_t hour_before) {
  PgParams params;
  params.AddInt64(minute_before);
  params.AddInt64(hour_before);
  Result<PgResult> pruned = pool_->Acquire()->Execute(kPruneClickBuckets, params);
  return pruned.ok() ? Status::Ok() : pruned.status();
}

}  // namespace hop
