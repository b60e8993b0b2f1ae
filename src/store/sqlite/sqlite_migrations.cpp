// The SQLite schema, version by version, and the loop that applies it.
//
// A released step is never edited: a schema change is a new step at the end of kMigrations.
#include "store/sqlite/sqlite_migrations.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <span>
#include <string>

#include "core/link_code_cipher.h"
#include "store/host_key.h"
#include "store/minute_key.h"
#include "store/sqlite/sqlite_transaction.h"

namespace hop {
namespace {

struct Migration {
  int64_t version;
  const char* sql;
  // Runs after `sql`, in the same transaction, for what SQL alone cannot compute.
  Status (*then)(SqliteConnection& writer) = nullptr;
  // A step that rebuilds a table others refer to runs with foreign keys off: with them on,
  // dropping the old table would first delete its rows, and with them every row that refers to
  // one (ON DELETE CASCADE). The references are checked before the step commits.
  bool rebuilds_referenced_table = false;
};

// Version 1: links, their tags, and click counts per minute, hour and day.
//
// AUTOINCREMENT keeps SQLite from reusing the id of the newest link after it is deleted: clicks
// still in flight in the pipeline, and caches, refer to links by id, and must never land on a new
// link. link_tags duplicates the tags of the JSON column as rows so that a tag filter is an index
// range. The click tables are WITHOUT ROWID: the (link_id, bucket) key is the table, so a span sum
// reads one contiguous range. The by-bucket indexes let pruning delete old buckets without scanning
// all of them. Everything that refers to a link is deleted with it (ON DELETE CASCADE,
// foreign_keys=ON).
constexpr const char* kVersion1 = R"sql(
CREATE TABLE links (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  code            TEXT    NOT NULL UNIQUE,
  url             TEXT    NOT NULL,
  title           TEXT,
  tags            TEXT    NOT NULL DEFAULT '[]',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  expires_at      INTEGER,
  max_visits      INTEGER,
  visits          INTEGER NOT NULL DEFAULT 0,
  redirect_status INTEGER NOT NULL DEFAULT 302,
  forward_query   INTEGER NOT NULL DEFAULT 0,
  disabled        INTEGER NOT NULL DEFAULT 0,
  total_clicks    INTEGER NOT NULL DEFAULT 0,
  bot_clicks      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE link_tags (
  tag     TEXT    NOT NULL,
  link_id INTEGER NOT NULL REFERENCES links(id) ON DELETE CASCADE,
  PRIMARY KEY (tag, link_id)
) WITHOUT ROWID;
CREATE INDEX link_tags_by_link ON link_tags(link_id);

CREATE TABLE clicks_minute (
  link_id    INTEGER NOT NULL REFERENCES links(id) ON DELETE CASCADE,
  bucket     INTEGER NOT NULL,
  clicks     INTEGER NOT NULL,
  bot_clicks INTEGER NOT NULL,
  PRIMARY KEY (link_id, bucket)
) WITHOUT ROWID;
CREATE INDEX clicks_minute_by_bucket ON clicks_minute(bucket);

CREATE TABLE clicks_hour (
  link_id    INTEGER NOT NULL REFERENCES links(id) ON DELETE CASCADE,
  bucket     INTEGER NOT NULL,
  clicks     INTEGER NOT NULL,
  bot_clicks INTEGER NOT NULL,
  PRIMARY KEY (link_id, bucket)
) WITHOUT ROWID;
CREATE INDEX clicks_hour_by_bucket ON clicks_hour(bucket);

CREATE TABLE clicks_day (
  link_id    INTEGER NOT NULL REFERENCES links(id) ON DELETE CASCADE,
  bucket     INTEGER NOT NULL,
  clicks     INTEGER NOT NULL,
  bot_clicks INTEGER NOT NULL,
  PRIMARY KEY (link_id, bucket)
) WITHOUT ROWID;
)sql";

// Version 2: API keys, the key that created each link, and each link's host key (host_key.h).
//
// Keys are kept as the SHA-256 of the secret only. A key is never deleted, only revoked, so a link
// always names an existing key; links created before keys existed, or anonymously, name none. The
// owner index serves a user key's list of its links; the host key index serves the block list.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE api_keys (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT    NOT NULL UNIQUE,
  hash       TEXT    NOT NULL UNIQUE,
  role       TEXT    NOT NULL CHECK (role IN ('admin', 'user')),
  scopes     TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
);

ALTER TABLE links ADD COLUMN owner_key_id INTEGER REFERENCES api_keys(id);
ALTER TABLE links ADD COLUMN host_key TEXT NOT NULL DEFAULT '';
CREATE INDEX links_by_owner ON links(owner_key_id, id);
CREATE INDEX links_by_host_key ON links(host_key);
)sql";

// Fills in the host keys of the links that version 1 stored.
Status FillHostKeys(SqliteConnection& writer) {
  for (int64_t after_id = 0;;) {
    Result<SqliteStatement> next =
        writer.Prepare("SELECT id, url FROM links WHERE id > ? ORDER BY id LIMIT 1");
    if (!next.ok()) return next.status();
    Result<bool> row = next.value().Bind(after_id).Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return Status::Ok();
    after_id = next.value().Int(0);
    const std::string key = HostKeyOfUrl(next.value().Text(1));
    Result<SqliteStatement> update = writer.Prepare("UPDATE links SET host_key = ? WHERE id = ?");
    if (!update.ok()) return update.status();
    if (Status s = update.value().Bind(key, after_id).Run(); !s.ok()) return s;
  }
}

// Version 3: minute counts keyed by time first, and the rollup watermark (store/click_watermark.h).
//
// A click flush now writes only minute rows, and with the key (bucket, link_id) they all land at
// the end of one B-tree instead of on a random page each; hours, days and the links' totals are
// folded in later (RollUpClicks). The table gets a new name so that a hop older than this step,
// still running against the file, fails to write clicks instead of counting them twice. It has no
// foreign key: a cascading delete would need an index on link_id, that is a random write per click
// again. The rows of a deleted link stay until pruned, and every reader ignores them (it asks for
// an existing link, and ids are never reused: AUTOINCREMENT). The old scheme had already added
// every minute row to its hour, day and link, so the watermark starts after the newest of them.
constexpr const char* kVersion3 = R"sql(
CREATE TABLE minute_clicks (
  bucket     INTEGER NOT NULL,
  link_id    INTEGER NOT NULL,
  clicks     INTEGER NOT NULL,
  bot_clicks INTEGER NOT NULL,
  PRIMARY KEY (bucket, link_id)
) WITHOUT ROWID;
INSERT INTO minute_clicks (bucket, link_id, clicks, bot_clicks)
  SELECT bucket, link_id, clicks, bot_clicks FROM clicks_minute ORDER BY bucket, link_id;
DROP TABLE clicks_minute;

CREATE TABLE click_rollup (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  rolled_before_minute  INTEGER NOT NULL,
  rolling_before_minute INTEGER NOT NULL,
  rolling_through_link  INTEGER NOT NULL
);
INSERT INTO click_rollup (id, rolled_before_minute, rolling_before_minute, rolling_through_link)
  SELECT 1, coalesce(max(bucket) + 1, 0), coalesce(max(bucket) + 1, 0), 0 FROM minute_clicks;
)sql";

// Version 4: minute rows keyed by one integer, the rowid, packing minute << 32 | link_id
// (sqlite_click_rows.h).
//
// With the two-column key every comparison in the B-tree took SQLite's general record comparison,
// and the rows of the current minute all share their first column: most of a flush's CPU. The
// packed key keeps the (minute, link_id) order, so the copy appends in key order. Link ids must
// stay below 2^32 for the key to hold them: the trigger refuses to create a link past that (a
// creation fails as internal; nothing written is lost), and the step checks the rows it copies.
constexpr const char* kVersion4 = R"sql(
CREATE TRIGGER links_id_fits_minute_key AFTER INSERT ON links WHEN NEW.id > 4294967295
BEGIN
  SELECT RAISE(ABORT, 'link ids are used up: minute_clicks keys hold ids up to 2^32 - 1');
END;
)sql";

constexpr const char* kPackMinuteKeys = R"sql(
CREATE TABLE minute_clicks_packed (
  minute_link INTEGER PRIMARY KEY,
  clicks      INTEGER NOT NULL,
  bot_clicks  INTEGER NOT NULL
);
INSERT INTO minute_clicks_packed (minute_link, clicks, bot_clicks)
  SELECT (bucket << 32) | link_id, clicks, bot_clicks FROM minute_clicks ORDER BY bucket, link_id;
DROP TABLE minute_clicks;
ALTER TABLE minute_clicks_packed RENAME TO minute_clicks;
)sql";

Result<bool> AnyRow(SqliteConnection& writer, const char* sql) {
  Result<SqliteStatement> query = writer.Prepare(sql);
  if (!query.ok()) return query.status();
  return query.value().Step();
}

// Refuses, before changing anything, a database whose ids or minutes a key cannot hold: only one
// written by hand gets there, and dropping its rows would lose clicks.
Status PackMinuteKeys(SqliteConnection& writer) {
  Result<bool> too_big =
      AnyRow(writer,
             "SELECT 1 FROM links WHERE id > 4294967295 UNION ALL "
             "SELECT 1 FROM minute_clicks WHERE link_id NOT BETWEEN 0 AND 4294967295 "
             "OR bucket NOT BETWEEN -2147483648 AND 2147483647 LIMIT 1");
  if (!too_big.ok()) return too_big.status();
  if (too_big.value()) {
    return Status::Error(ErrorCode::kInternal,
                         "schema version 4 needs link ids below 2^32 and minutes of an int32; "
                         "this database has larger ones");
  }
  return writer.Execute(kPackMinuteKeys);
}

// Version 5: the click journal (sqlite_click_journal.h).
//
// A flush journals the entries of the minutes still open, one row per minute, and a closed
// minute's rows are written to minute_clicks once, in key order; until then reads count them from
// memory. click_journal's key is minute << 32 | the row's number within its minute, and its
// entries are 12 bytes each (little-endian link id, human and bot clicks, in link order). The state
// row's applied_before_key says which keys (store/minute_key.h) are in minute_clicks: those below
// it; its version changes with every write of the journal, so that a process whose copy in memory
// is out of date (another process wrote) reloads it.
constexpr const char* kVersion5 = R"sql(
CREATE TABLE click_journal (
  key     INTEGER PRIMARY KEY,
  entries BLOB    NOT NULL
);
CREATE TABLE click_journal_state (
  id                 INTEGER PRIMARY KEY CHECK (id = 1),
  applied_before_key INTEGER NOT NULL,
  version            INTEGER NOT NULL
);
)sql";

// Every minute row so far is in minute_clicks, so the applied keys reach past the newest one; and
// at least to the first minute a rollup pass under way has not folded, since a rollup only folds
// minutes that are applied.
Status StartClickJournal(SqliteConnection& writer) {
  Result<SqliteStatement> bounds = writer.Prepare(
      "SELECT (SELECT max(minute_link) FROM minute_clicks), rolling_before_minute "
      "FROM click_rollup");
  if (!bounds.ok()) return bounds.status();
  Result<bool> row = bounds.value().Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return Status::Error(ErrorCode::kInternal, "the click_rollup row is missing");
  int64_t applied_before = FirstKeyOfMinute(bounds.value().Int(1));
  if (const std::optional<int64_t> newest = bounds.value().OptionalInt(0)) {
    // The newest key there can be belongs to the last minute a key holds: nothing follows it.
    const int64_t after_newest =
        *newest == std::numeric_limits<int64_t>::max() ? *newest : *newest + 1;
    applied_before = std::max(applied_before, after_newest);
  }
  Result<SqliteStatement> state = writer.Prepare(
      "INSERT INTO click_journal_state (id, applied_before_key, version) VALUES (1, ?, 0)");
  if (!state.ok()) return state.status();
  return state.value().Bind(applied_before).Run();
}

// Version 6: no trigger on links; CreateLinks keeps link ids within the minute key instead.
//
// Version 4's trigger ran a program of its own for every row inserted, and its RAISE(ABORT) made
// every multi-row INSERT keep a statement journal, a copy of each page it changed, in case it had
// to undo itself alone: together a fifth of a bulk create's instructions. CreateLinks, the only
// code that inserts links, checks the ids it was given before it commits.
constexpr const char* kVersion6 = "DROP TRIGGER IF EXISTS links_id_fits_minute_key;";

// Version 7: generated codes are no longer stored (sqlite_link_codes.h).
//
// The code column may be NULL, and a partial unique index holds the codes that are stored:
// aliases, and the random codes of links created before this version, which keep them. SQLite
// cannot drop a UNIQUE constraint from a table, so links is rebuilt as SQLite's documentation
// describes (CREATE, copy, DROP, RENAME), with its columns in the same order; the references to
// it in link_tags and the click tables name it by name and hold. Its AUTOINCREMENT counter moves
// to the new table before the old one is dropped, so that no id is ever used twice. A store of a
// million links takes a few seconds.
constexpr const char* kVersion7 = R"sql(
CREATE TABLE links_v7 (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  code            TEXT,
  url             TEXT    NOT NULL,
  title           TEXT,
  tags            TEXT    NOT NULL DEFAULT '[]',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  expires_at      INTEGER,
  max_visits      INTEGER,
  visits          INTEGER NOT NULL DEFAULT 0,
  redirect_status INTEGER NOT NULL DEFAULT 302,
  forward_query   INTEGER NOT NULL DEFAULT 0,
  disabled        INTEGER NOT NULL DEFAULT 0,
  total_clicks    INTEGER NOT NULL DEFAULT 0,
  bot_clicks      INTEGER NOT NULL DEFAULT 0,
  owner_key_id    INTEGER REFERENCES api_keys(id),
  host_key        TEXT    NOT NULL DEFAULT ''
);
INSERT INTO links_v7 SELECT * FROM links;
DELETE FROM sqlite_sequence WHERE name = 'links_v7';
UPDATE sqlite_sequence SET name = 'links_v7' WHERE name = 'links';
DROP TABLE links;
ALTER TABLE links_v7 RENAME TO links;
CREATE UNIQUE INDEX links_by_code ON links(code) WHERE code IS NOT NULL;
CREATE INDEX links_by_owner ON links(owner_key_id, id);
CREATE INDEX links_by_host_key ON links(host_key);
CREATE TABLE link_code_key (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  key BLOB    NOT NULL CHECK (length(key) = 16)
);
)sql";

// The key of generated codes, from OpenSSL's CSPRNG: drawn once, kept for the life of the store.
Status DrawLinkCodeKey(SqliteConnection& writer) {
  const LinkCodeCipher::Key key = LinkCodeCipher::NewKey();
  Result<SqliteStatement> insert =
      writer.Prepare("INSERT INTO link_code_key (id, key) VALUES (1, ?)");
  if (!insert.ok()) return insert.status();
  return insert.value().Bind(std::as_bytes(std::span(key))).Run();
}

constexpr Migration kMigrations[] = {
    {1, kVersion1},
    {2, kVersion2, FillHostKeys},
    {3, kVersion3},
    {4, kVersion4, PackMinuteKeys},
    {5, kVersion5, StartClickJournal},
    {6, kVersion6},
    {7, kVersion7, DrawLinkCodeKey, true},
};

Status CheckNotNewer(SqliteConnection& writer) {
  Result<SqliteStatement> newest = writer.Prepare("SELECT max(version) FROM schema_migrations");
  if (!newest.ok()) return newest.status();
  Result<bool> row = newest.value().Step();
  if (!row.ok()) return row.status();
  int64_t known = std::span(kMigrations).back().version;
  std::optional<int64_t> version = newest.value().OptionalInt(0);
  if (version && *version > known) {
    return Status::Error(ErrorCode::kInternal,
                         "the database has schema version " + std::to_string(*version) +
                             ", newer than this hop's " + std::to_string(known) +
                             "; run a hop at least as new as the one that migrated it");
  }
  return Status::Ok();
}

Result<bool> IsApplied(SqliteConnection& writer, int64_t version) {
  Result<SqliteStatement> applied =
      writer.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
  if (!applied.ok()) return applied.status();
  return applied.value().Bind(version).Step();
}

// A step that ran without foreign keys must leave every reference whole.
Status CheckForeignKeys(SqliteConnection& writer) {
  Result<SqliteStatement> check = writer.Prepare("PRAGMA foreign_key_check");
  if (!check.ok()) return check.status();
  Result<bool> violation = check.value().Step();
  if (!violation.ok()) return violation.status();
  if (violation.value()) {
    return Status::Error(ErrorCode::kInternal, "a migration step left a row of " +
                                                   check.value().Text(0) +
                                                   " referring to nothing; nothing was changed");
  }
  return Status::Ok();
}

Status ApplyInTransaction(SqliteConnection& writer, const Migration& migration) {
  SqliteTransaction transaction(writer);
  if (Status s = transaction.Begin(SqliteTransaction::Mode::kWrite); !s.ok()) return s;
  Result<bool> applied = IsApplied(writer, migration.version);
  if (!applied.ok()) return applied.status();
  if (applied.value()) return Status::Ok();  // an earlier run, maybe in another process, applied it
  if (Status s = writer.Execute(migration.sql); !s.ok()) return s;
  if (migration.then) {
    if (Status s = migration.then(writer); !s.ok()) return s;
  }
  Result<SqliteStatement> record = writer.Prepare(
      "INSERT INTO schema_migrations (version, applied_at) "
      "VALUES (?, CAST(strftime('%s', 'now') AS INTEGER) * 1000)");
  if (!record.ok()) return record.status();
  if (Status s = record.value().Bind(migration.version).Run(); !s.ok()) return s;
  if (migration.rebuilds_referenced_table) {
    if (Status s = CheckForeignKeys(writer); !s.ok()) return s;
  }
  return transaction.Commit();
}

// PRAGMA foreign_keys does nothing inside a transaction, so it goes around it.
Status Apply(SqliteConnection& writer, const Migration& migration) {
  if (!migration.rebuilds_referenced_table) return ApplyInTransaction(writer, migration);
  if (Status s = writer.Execute("PRAGMA foreign_keys=OFF"); !s.ok()) return s;
  const Status applied = ApplyInTransaction(writer, migration);
  const Status restored = writer.Execute("PRAGMA foreign_keys=ON");
  return applied.ok() ? restored : applied;
}

}  // namespace

Status MigrateSqlite(SqliteConnection& writer, int64_t last_version) {
  if (Status s = writer.Execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
      !s.ok()) {
    return s;
  }
  if (Status s = CheckNotNewer(writer); !s.ok()) return s;
  for (const Migration& migration : kMigrations) {
    if (migration.version > last_version) break;
    if (Status s = Apply(writer, migration); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace hop
