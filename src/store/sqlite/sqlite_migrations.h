// SQLite schema migrations: the versioned steps that bring a database file to the current schema.
//
// Applied versions are recorded in schema_migrations. Each step runs in its own write transaction
// that first checks whether the step is already recorded, so running the migrations again, or from
// several processes at once, applies every step exactly once: the second process waits for the
// first one's write lock, then sees the version and skips it.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace hop {

// Applies every step not yet recorded, in version order, up to `last_version` (tests stop early
// to build an older database). REQUIRES: `writer` is the writer connection. kInternal when the
// database has a version newer than this build knows (hop was downgraded).
Status MigrateSqlite(SqliteConnection& writer, int64_t last_version = INT64_MAX);

}  // namespace hop
