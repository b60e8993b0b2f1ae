// SqliteTransaction: a transaction that rolls back unless it is committed.
//
// Writes begin IMMEDIATE: they take the database's write lock up front (waiting up to the busy
// timeout for another process to finish) instead of upgrading from a read lock later, which in WAL
// mode fails at once with SQLITE_BUSY when another writer committed in between. Reads begin
// DEFERRED and see one snapshot from their first read to their commit.
#pragma once

#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace hop {

class SqliteTransaction {
 public:
  enum class Mode { kRead, kWrite };

  explicit SqliteTransaction(SqliteConnection& connection) : connection_(connection) {}
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();

  Status Begin(Mode mode);
  // Once committed, the destructor leaves the connection alone.
  Status Commit();

 private:
  SqliteConnection& connection_;
};

}  // namespace hop
