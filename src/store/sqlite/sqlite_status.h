// How SQLite's result codes become hop Status values.
//
// The Store contract has two kinds of failure a caller can act on differently: kStoreUnavailable
// (the database cannot be reached right now: busy past the timeout, missing, full, read-only,
// failing I/O; a retry or an operator can fix it) and kInternal (anything else SQLite reports).
// This file is the one place that decides which is which.
#pragma once

#include <string_view>

#include "core/status.h"

struct sqlite3;

namespace hop {

// The Status for result code `rc` (REQUIRES: an error code) of an operation described by `action`
// ("open", "prepare", ...), with `db`'s error message when `db` is not null.
Status SqliteError(sqlite3* db, int rc, std::string_view action);

}  // namespace hop
