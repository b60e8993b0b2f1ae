// PostgreSQL schema migrations. A step, once released, is never edited: a change is a new step.
//
// Times are bigint milliseconds since the Unix epoch (UTC), the unit of core's TimePoint, so that
// values round-trip exactly and both stores agree. Click buckets are numbered as in
// core/click_windows.h.
#include "store/postgres/pg_migrations.h"

#include <iterator>
#include <string>

namespace hop {
namespace {

const char* const kSteps[] = {
    // 1: links and their click counts.
    R"sql(
CREATE TABLE links (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  url text NOT NULL,
  title text,
  tags text[] NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  expires_at bigint,
  max_visits bigint,
  visits bigint NOT NULL DEFAULT 0,
  redirect_status integer NOT NULL,
  forward_query boolean NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  total_clicks bigint NOT NULL DEFAULT 0,
  bot_clicks bigint NOT NULL DEFAULT 0
);
-- The tag filter is tags @> ARRAY[tag], which a GIN index answers without scanning links.
CREATE INDEX links_tags ON links USING gin (tags);

CREATE TABLE clicks_minute (
  link_id bigint NOT NULL REFERENCES links (id) ON DELETE CASCADE,
  bucket bigint NOT NULL,
  clicks bigint NOT NULL,
  bot_clicks bigint NOT NULL,
  PRIMARY KEY (link_id, bucket)
);
CREATE TABLE clicks_hour (LIKE clicks_minute INCLUDING ALL,
                          FOREIGN KEY (link_id) REFERENCES links (id) ON DELETE CASCADE);
CREATE TABLE clicks_day (LIKE clicks_minute INCLUDING ALL,
                         FOREIGN KEY (link_id) REFERENCES links (id) ON DELETE CASCADE);
)sql",
    // 2: API keys (their SHA-256 only), the key that created each link, and each link's host key
    // (store/host_key.h). A key is never deleted, only revoked, so a link always names an existing
    // key; links created anonymously, or before keys existed, name none. host_key is computed by
    // PostgreSQL from the URL, for the rows written before this step and for every later write,
    // so no writer can store a key that disagrees with its URL. Its "C" collation compares bytes,
    // which the subdomain range relies on whatever the database's locale.
    R"sql(
CREATE TABLE api_keys (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE,
  hash text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('admin', 'user')),
  scopes text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint,
  revoked_at bigint
);

-- The host of a normalized target URL ("[v6]" or a name without port), labels reversed.
CREATE FUNCTION hop_host_key(url text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN host LIKE '[%' THEN host
              ELSE array_to_string(ARRAY(SELECT label
                                         FROM unnest(string_to_array(host, '.'))
                                              WITH ORDINALITY AS labels (label, position)
                                         ORDER BY position DESC), '.')
         END
  FROM (SELECT rtrim(substring(url FROM '^[a-z]+://(\[[^]]*\]|[^:/?#]*)'), '.') AS host) AS parsed
$$;

ALTER TABLE links
  ADD COLUMN owner_key_id bigint REFERENCES api_keys (id),
  ADD COLUMN host_key text COLLATE "C" GENERATED ALWAYS AS (hop_host_key(url)) STORED;
CREATE INDEX links_owner ON links (owner_key_id, id);
CREATE INDEX links_host_key ON links (host_key);
)sql",
    // 3: room on each page for the new versions of the rows the click flush rewrites all the time
    // (a link's totals, a bucket's counts), so that PostgreSQL can write them on the same page
    // without touching any index (a "HOT" update): a flush of the same links takes half the time.
    // Only pages written from now on keep the room; older ones get it when they are rewritten.
    R"sql(
ALTER TABLE links SET (fillfactor = 80);
ALTER TABLE clicks_minute SET (fillfactor = 70);
ALTER TABLE clicks_hour SET (fillfactor = 70);
ALTER TABLE clicks_day SET (fillfactor = 70);
)sql",
    // 4: minute counts keyed by time first, and the rollup watermark (store/click_watermark.h). A
    // click flush now writes only minute rows, all near the end of one index, instead of a random
    // page of four tables each; hours, days and the links' totals are folded in later
    // (RollUpClicks). The table gets a new name so that instances older than this step fail to
    // write clicks instead of counting them twice. It has no foreign key: a cascading delete would
    // need an index on link_id, that is a random write per click again. The rows of a deleted link
    // stay until pruned, and every reader ignores them (it asks for an existing link, and identity
    // ids are never reused). The old scheme had already added every minute row to its hour, day
    // and link, so the watermark starts after the newest of them.
    R"sql(
CREATE TABLE minute_clicks (
  bucket bigint NOT NULL,
  link_id bigint NOT NULL,
  clicks bigint NOT NULL,
  bot_clicks bigint NOT NULL,
  PRIMARY KEY (bucket, link_id)
) WITH (fillfactor = 70);
INSERT INTO minute_clicks (bucket, link_id, clicks, bot_clicks)
  SELECT bucket, link_id, clicks, bot_clicks FROM clicks_minute ORDER BY bucket, link_id;
DROP TABLE clicks_minute;

CREATE TABLE click_rollup (
  id integer PRIMARY KEY CHECK (id = 1),
  rolled_before_minute bigint NOT NULL,
  rolling_before_minute bigint NOT NULL,
  rolling_through_link bigint NOT NULL
);
INSERT INTO click_rollup (id, rolled_before_minute, rolling_before_minute, rolling_through_link)
  SELECT 1, coalesce(max(bucket) + 1, 0), coalesce(max(bucket) + 1, 0), 0 FROM minute_clicks;
)sql",
};
constexpr int kNewestVersion = static_cast<int>(std::size(kSteps));

// The lock is keyed by the schema too: migrating one schema never waits for another. A step may
// take long, and so may waiting for another instance's, so the statement timeout is lifted.
constexpr char kBeginStep[] = R"sql(
BEGIN;
SET LOCAL statement_timeout = 0;
SELECT pg_advisory_xact_lock(hashtext('hop.migrate'), hashtext(current_schema()));
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
)sql";

const PgStatement kCurrentVersion{"hop_schema_version",
                                  "SELECT coalesce(max(version), 0) FROM schema_migrations"};
const PgStatement kRecordVersion{"hop_record_schema_version",
                                 "INSERT INTO schema_migrations (version) VALUES ($1::integer)"};

// Applies the step after the current version, if any. Sets `done` when there was none left.
Status ApplyNextStep(PgConnection& connection, bool& done) {
  if (Status begun = connection.Run(kBeginStep); !begun.ok()) return begun;
  Result<PgResult> current = connection.Execute(kCurrentVersion);
  if (!current.ok()) return current.status();
  int version = current.value().Int32(0, 0);
  if (version > kNewestVersion) {
    return Status::Error(ErrorCode::kInternal,
                         "the database has schema version " + std::to_string(version) +
                             ", newer than this hop's " + std::to_string(kNewestVersion) +
                             "; run a hop at least as new as the one that migrated it");
  }
  done = version == kNewestVersion;
  if (done) return connection.Run("COMMIT");
  if (Status applied = connection.Run(kSteps[version]); !applied.ok()) return applied;
  PgParams params;
  params.AddInt32(version + 1);
  if (Result<PgResult> recorded = connection.Execute(kRecordVersion, params); !recorded.ok())
    return recorded.status();
  return connection.Run("COMMIT");
}

}  // namespace

Status MigratePostgres(PgConnection& connection) {
  for (bool done = false; !done;) {
    if (Status stepped = ApplyNextStep(connection, done); !stepped.ok()) {
      // Ends the failed transaction, and releases the lock, now: other instances may be waiting.
      // A connection that broke took its transaction with it, and this only fails or warns.
      (void)connection.Run("ROLLBACK");
      return stepped;
    }
  }
  return Status::Ok();
}

}  // namespace hop
