// PostgresStore: adding click counts, reading totals, span sums and series, and pruning old
// buckets.
//
// Clicks live in minute_clicks, keyed (bucket, link_id), and in clicks_hour and clicks_day, keyed
// (link_id, bucket), which hold only the minutes rolled up so far (click_watermark.h,
// postgres_store_rollup.cpp). Buckets are numbered as in core/click_windows.h. However many clicks
// a call carries, it is one statement: the entries travel as parallel arrays and unnest() turns
// them back into rows on the server.
#include <string>

#include "store/postgres/postgres_store_impl.h"
#include "store/unrolled_clicks.h"

namespace hop {
namespace {

// One flush, one statement, one implicit transaction. Bucket numbers are computed by the caller
// with core's BucketOfMinute, so the two stores cannot disagree on where a minute belongs.
//
// The watermark row is read FOR SHARE, while a rollup step holds it FOR UPDATE from before it reads
// any minute row until it commits: a flush and a step never overlap, so a step folds every minute
// row it should, and a flush that waited for a step sees the watermark the step left (READ
// COMMITTED gives a row lock the row's newest version). Flushes do not block each other on it.
//
// An entry at or after its link's watermark is one upsert of its minute row, whether or not the
// link still exists: ids are never reused (identity), so the rows of a link deleted meanwhile are
// read by nothing, left out of the rollup and pruned with their minute, and checking would cost an
// index lookup in links per entry. A late entry also goes to its hour, day and link, as the rollup
// would have added it: those links are locked in id order before anything is written, and their
// hour and day rows are only ever written by the holder of that lock, so concurrent flushes queue
// instead of deadlocking. Minute rows are written in key order, the same in every flush, for the
// same reason, and so that they land next to each other. Late clicks of deleted links are dropped.
// Hour and day rows are summed per bucket before the upsert, since one INSERT ... ON CONFLICT
// cannot update the same row twice.
const PgStatement kAddClicks{"hop_add_clicks", R"sql(
WITH input AS (
  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[],
                       $6::bigint[]) AS t(link_id, minute, hour, day, humans, bots)
), watermark AS (
  SELECT rolled_before_minute, rolling_before_minute, rolling_through_link FROM click_rollup
  WHERE id = 1 FOR SHARE
), classified AS (
  SELECT input.*,
         input.minute < CASE WHEN input.link_id <= w.rolling_through_link
                             THEN w.rolling_before_minute ELSE w.rolled_before_minute END AS late
  FROM input CROSS JOIN watermark AS w
), late_links AS (
  SELECT link_id, sum(humans)::bigint AS humans, sum(bots)::bigint AS bots
  FROM classified WHERE late GROUP BY link_id
), locked AS (
  SELECT id FROM links WHERE id IN (SELECT link_id FROM late_links) ORDER BY id FOR NO KEY UPDATE
), live AS (
  UPDATE links SET total_clicks = links.total_clicks + late_links.humans,
                   bot_clicks = links.bot_clicks + late_links.bots
  FROM late_links
  WHERE links.id = late_links.link_id AND links.id IN (SELECT id FROM locked)
  RETURNING links.id
), hours AS (
  INSERT INTO clicks_hour AS c (link_id, bucket, clicks, bot_clicks)
  SELECT link_id, hour, sum(humans), sum(bots) FROM classified
  WHERE late AND link_id IN (SELECT id FROM live)
  GROUP BY link_id, hour
  ON CONFLICT (link_id, bucket) DO UPDATE
  SET clicks = c.clicks + excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks
), days AS (
  INSERT INTO clicks_day AS c (link_id, bucket, clicks, bot_clicks)
  SELECT link_id, day, sum(humans), sum(bots) FROM classified
  WHERE late AND link_id IN (SELECT id FROM live)
  GROUP BY link_id, day
  ON CONFLICT (link_id, bucket) DO UPDATE
  SET clicks = c.clicks + excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks
)
INSERT INTO minute_clicks AS c (bucket, link_id, clicks, bot_clicks)
SELECT minute, link_id, humans, bots FROM classified
WHERE NOT late OR link_id IN (SELECT id FROM live)
ORDER BY minute, link_id
ON CONFLICT (bucket, link_id) DO UPDATE
SET clicks = c.clicks + excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks
)sql"};

// The watermark of link $1: click_watermark.h's FoldedBefore.
constexpr char kWatermarkOfLink[] = R"sql(
watermark AS (
  SELECT CASE WHEN $1::bigint <= rolling_through_link
              THEN rolling_before_minute ELSE rolled_before_minute END AS folded_before
  FROM click_rollup WHERE id = 1
))sql";

// The CTE minute_rows: the minute rows (bucket, clicks, bot_clicks) of link $1 with buckets in
// the range that a CTE probe_range (first_minute, last_minute) before it holds. They are found by
// probing the (bucket, link_id) key from minute to minute, one index seek per minute that has
// clicks of any link; a scan of the range would read every link's rows. A probe lands on the
// link's row of its minute, or past where it would be: on a later link's row of the same minute
// (the link has none there), or on the first row of a later minute, whose row of the link the next
// probe looks for. Probing ends with the newest minute present, so a range reaching into the
// future costs nothing more. Needs WITH RECURSIVE.
constexpr char kMinuteRowsOfLink[] = R"sql(
probe AS (
  (SELECT m.bucket, m.link_id, m.clicks, m.bot_clicks FROM minute_clicks AS m
   WHERE (m.bucket, m.link_id) >= ((SELECT first_minute FROM probe_range), $1::bigint)
   ORDER BY m.bucket, m.link_id LIMIT 1)
  UNION ALL
  SELECT next.* FROM probe AS p CROSS JOIN LATERAL (
    SELECT m.bucket, m.link_id, m.clicks, m.bot_clicks FROM minute_clicks AS m
    WHERE (m.bucket, m.link_id) >=
          (CASE WHEN p.link_id >= $1::bigint THEN p.bucket + 1 ELSE p.bucket END, $1::bigint)
    ORDER BY m.bucket, m.link_id LIMIT 1) AS next
  WHERE CASE WHEN p.link_id >= $1::bigint THEN p.bucket + 1 ELSE p.bucket END
        <= (SELECT last_minute FROM probe_range)
), minute_rows AS (
  SELECT bucket, clicks, bot_clicks FROM probe
  WHERE link_id = $1::bigint AND bucket <= (SELECT last_minute FROM probe_range)
))sql";

// The totals, the watermark and every span in one statement, hence one snapshot: a flush or a
// rollup committing meanwhile cannot make last_24h exceed last_7d, or a span exceed the total.
// Each run of buckets (core's CoverMinutes) counts the clicks its rows hold from before the
// watermark: hour and day runs are one range of their table's (link_id, bucket) key, minute runs
// (under an hour each) one index lookup per minute. The rows that come back are the link's totals
// (kind 0; none: no link), the sum of each span that has rows (kind 1: span, sum) and the link's
// minute rows from its watermark on (kind 2: minute, clicks, bot clicks), which AddUnrolledClicks
// adds to the totals and the spans.
const std::string kReadClickTotalsSql = std::string("WITH RECURSIVE ") + kWatermarkOfLink +
                                        R"sql(, link AS (
  SELECT total_clicks, bot_clicks FROM links WHERE id = $1::bigint
), probe_range AS (
  SELECT (SELECT folded_before FROM watermark) AS first_minute,
         9223372036854775807::bigint AS last_minute
), )sql" + kMinuteRowsOfLink + R"sql(, runs AS (
  SELECT * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])
    AS r(span, granularity, first_bucket, last_bucket)
), run_clicks AS (
  SELECT runs.span, c.clicks FROM runs
    CROSS JOIN LATERAL generate_series(
      runs.first_bucket, least(runs.last_bucket, (SELECT folded_before FROM watermark) - 1))
      AS minutes(minute)
    JOIN minute_clicks c ON c.bucket = minutes.minute AND c.link_id = $1::bigint
  WHERE runs.granularity = 0
  UNION ALL
  SELECT runs.span, c.clicks FROM runs JOIN clicks_hour c
    ON c.link_id = $1::bigint AND c.bucket BETWEEN runs.first_bucket AND runs.last_bucket
  WHERE runs.granularity = 1
  UNION ALL
  SELECT runs.span, c.clicks FROM runs JOIN clicks_day c
    ON c.link_id = $1::bigint AND c.bucket BETWEEN runs.first_bucket AND runs.last_bucket
  WHERE runs.granularity = 2
)
SELECT 0 AS kind, 0::bigint, total_clicks, bot_clicks FROM link
UNION ALL
SELECT 1, span, sum(clicks)::bigint, 0 FROM run_clicks WHERE EXISTS (SELECT 1 FROM link)
GROUP BY span
UNION ALL
SELECT 2, bucket, clicks, bot_clicks FROM minute_rows WHERE EXISTS (SELECT 1 FROM link)
)sql";
const PgStatement kReadClickTotals{"hop_read_click_totals", kReadClickTotalsSql.c_str()};

// The totals of the links $1 (by their position in it) and their minute rows from their watermarks
// on, in one snapshot. The minutes with any clicks from the lowest watermark on are found one seek
// each, and each holds one lookup per link: `link_id = ANY` walks the index once per link, in the
// index's own code rather than a plan node per lookup.
const PgStatement kReadAllTimeClicks{"hop_read_all_time_clicks", R"sql(
WITH RECURSIVE ids AS (
  SELECT * FROM unnest($1::bigint[]) WITH ORDINALITY AS i(link_id, position)
), watermark AS (
  SELECT rolled_before_minute, rolling_before_minute, rolling_through_link FROM click_rollup
  WHERE id = 1
), present (minute) AS (
  SELECT min(bucket) FROM minute_clicks
  WHERE bucket >= (SELECT rolled_before_minute FROM watermark)
  UNION ALL
  SELECT (SELECT min(bucket) FROM minute_clicks WHERE bucket > present.minute)
  FROM present WHERE present.minute IS NOT NULL
), unrolled AS (
  SELECT c.link_id, sum(c.clicks)::bigint AS clicks, sum(c.bot_clicks)::bigint AS bot_clicks
  FROM present JOIN minute_clicks AS c
    ON c.bucket = present.minute AND c.link_id = ANY ($1::bigint[])
  CROSS JOIN watermark AS w
  WHERE c.bucket >= CASE WHEN c.link_id <= w.rolling_through_link
                         THEN w.rolling_before_minute ELSE w.rolled_before_minute END
  GROUP BY c.link_id
)
SELECT ids.position, links.total_clicks + coalesce(unrolled.clicks, 0),
       links.bot_clicks + coalesce(unrolled.bot_clicks, 0)
FROM ids JOIN links ON links.id = ids.link_id LEFT JOIN unrolled ON unrolled.link_id = ids.link_id
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

// Minute rows outlive their link until they are pruned, hence the check that it exists.
const std::string kMinuteSeriesSql = std::string(R"sql(
WITH RECURSIVE probe_range AS (
  SELECT $2::bigint AS first_minute, $3::bigint AS last_minute
), )sql") + kMinuteRowsOfLink + R"sql(
SELECT bucket, clicks FROM minute_rows
WHERE clicks > 0 AND EXISTS (SELECT 1 FROM links WHERE id = $1::bigint)
ORDER BY bucket
)sql";
const PgStatement kMinuteSeries{"hop_minute_series", kMinuteSeriesSql.c_str()};

// An hour or day series: the rolled-up rows of buckets $2..$3 (kind 0), and the link's minute rows
// from its watermark on within minutes $4..$5 (kind 1), which AddUnrolledToSeries adds to them.
std::string BucketSeriesSql(const std::string& table) {
  return std::string("WITH RECURSIVE ") + kWatermarkOfLink + R"sql(, probe_range AS (
  SELECT greatest((SELECT folded_before FROM watermark), $4::bigint) AS first_minute,
         $5::bigint AS last_minute
), )sql" +
         kMinuteRowsOfLink + R"sql(
SELECT 0 AS kind, bucket, clicks FROM )sql" +
         table + R"sql(
WHERE link_id = $1::bigint AND bucket BETWEEN $2::bigint AND $3::bigint AND clicks > 0
UNION ALL
SELECT 1, bucket, clicks FROM minute_rows WHERE EXISTS (SELECT 1 FROM links WHERE id = $1::bigint)
ORDER BY kind, bucket
)sql";
}
const std::string kHourSeriesSql = BucketSeriesSql("clicks_hour");
const std::string kDaySeriesSql = BucketSeriesSql("clicks_day");
const PgStatement kHourSeries{"hop_hour_series", kHourSeriesSql.c_str()};
const PgStatement kDaySeries{"hop_day_series", kDaySeriesSql.c_str()};

// Minutes not rolled up yet are kept, since nothing else counts them; old minutes are a range at
// the front of the (bucket, link_id) key.
const PgStatement kPruneClickBuckets{"hop_prune_click_buckets", R"sql(
WITH minutes AS (
  DELETE FROM minute_clicks
  WHERE bucket < least($1::bigint, (SELECT rolled_before_minute FROM click_rollup WHERE id = 1))
)
DELETE FROM clicks_hour WHERE bucket < $2::bigint
)sql"};

Result<std::vector<BucketCount>> ReadBucketSeries(PgConnection& connection, int64_t link_id,
                                                  Granularity granularity, int64_t first,
                                                  int64_t last) {
  PgParams params;
  params.AddInt64(link_id);
  params.AddInt64(first);
  params.AddInt64(last);
  params.AddInt64(FirstMinuteOfBucket(granularity, first));
  params.AddInt64(FirstMinuteOfBucket(granularity, last + 1) - 1);
  Result<PgResult> read =
      connection.Execute(granularity == Granularity::kHour ? kHourSeries : kDaySeries, params);
  if (!read.ok()) return read.status();
  const PgResult& rows = read.value();
  std::vector<BucketCount> rolled;
  std::vector<MinuteClicks> unrolled;
  for (int row = 0; row < rows.rows(); ++row) {
    if (rows.Int32(row, 0) == 0) {
      rolled.push_back({rows.Int64(row, 1), rows.Int64(row, 2)});
    } else {
      unrolled.push_back({link_id, rows.Int64(row, 1), rows.Int64(row, 2), 0});
    }
  }
  return AddUnrolledToSeries(rolled, unrolled, granularity);
}

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
  ClickTotals totals;
  totals.span_sums.assign(spans.size(), 0);
  bool found = false;
  std::vector<MinuteClicks> unrolled;
  for (int row = 0; row < rows.rows(); ++row) {
    const int64_t key = rows.Int64(row, 1);
    const int64_t humans = rows.Int64(row, 2);
    const int64_t bots = rows.Int64(row, 3);
    switch (rows.Int32(row, 0)) {
      case 0:
        found = true;
        totals.total = humans;
        totals.bot_total = bots;
        break;
      case 1:
        totals.span_sums[static_cast<size_t>(key)] = humans;
        break;
      default:
        unrolled.push_back({link_id, key, humans, bots});
        break;
    }
  }
  if (!found) {
    return Status::Error(ErrorCode::kNotFound, "no link has the id " + std::to_string(link_id));
  }
  AddUnrolledClicks(spans, unrolled, totals);
  return totals;
}

Result<std::vector<ClickTotals>> PostgresStore::ReadAllTimeClicks(
    std::span<const int64_t> link_ids) {
  std::vector<ClickTotals> all(link_ids.size());
  if (link_ids.empty()) return all;
  PgParams params;
  params.AddInt64Array(link_ids);
  Result<PgResult> read = pool_->Acquire()->Execute(kReadAllTimeClicks, params);
  if (!read.ok()) return read.status();
  const PgResult& rows = read.value();
  for (int row = 0; row < rows.rows(); ++row) {
    ClickTotals& totals = all[static_cast<size_t>(rows.Int64(row, 0) - 1)];
    totals.total = rows.Int64(row, 1);
    totals.bot_total = rows.Int64(row, 2);
  }
  return all;
}

Result<std::vector<BucketCount>> PostgresStore::ReadClickSeries(int64_t link_id,
                                                                Granularity granularity,
                                                                int64_t first, int64_t last) {
  if (granularity != Granularity::kMinute)
    return ReadBucketSeries(*pool_->Acquire(), link_id, granularity, first, last);
  PgParams params;
  params.AddInt64(link_id);
  params.AddInt64(first);
  params.AddInt64(last);
  Result<PgResult> read = pool_->Acquire()->Execute(kMinuteSeries, params);
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
