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
