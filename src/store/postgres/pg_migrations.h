// PostgreSQL schema migrations: the schema's history as numbered steps, and how they are applied.
//
// schema_migrations records the steps applied. Each missing step runs in a transaction of its own
// under an advisory lock, so instances that start together take turns: the first applies the step,
// the others then find it recorded and skip it. Tables are created unqualified, in the first schema
// of the session's search_path, so one database can hold several hop schemas (an operator or a test
// picks one with options=-csearch_path=NAME in the conninfo).
#pragma once

#include "core/status.h"
#include "store/postgres/pg_connection.h"

namespace hop {

// Brings the schema to the newest version. kInternal when the schema is newer than this binary
// knows: its code may not understand what a newer hop stored.
Status MigratePostgres(PgConnection& connection);

}  // namespace hop
