// SqliteConnection: one open SQLite database handle, configured for hop, with its statement cache.
//
// Every connection runs in WAL mode, so readers keep reading a consistent snapshot while the writer
// commits, with synchronous=NORMAL and foreign keys enforced. A busy timeout makes a connection
// wait for another process's lock instead of failing at once.
//
// Not thread-safe: a connection is used by one thread at a time (sqlite_connection_pool.h hands
// them out), which is why it is opened with SQLITE_OPEN_NOMUTEX.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/sqlite/sqlite_statement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hop {

class SqliteConnection {
 public:
  enum class Role { kWriter, kReader };

  // Opens (creating if needed) the database file at `path`. kStoreUnavailable when it cannot be
  // opened.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, Role role,
                                                        std::chrono::milliseconds busy_timeout);

  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection();

  // The cached prepared statement for `sql`, prepared on first use. REQUIRES: `sql` is a constant
  // (user data goes in through Bind), and no other SqliteStatement for the same `sql` is alive.
  Result<SqliteStatement> Prepare(std::string_view sql);

  // Runs one or more statements without parameters, uncached: schema changes in migrations.
  Status Execute(const std::string& sql);

  // Rows changed by the last INSERT, UPDATE or DELETE; the rowid of the last INSERT.
  int64_t changes() const;
  int64_t last_insert_id() const;
  // True while a transaction is open.
  bool in_transaction() const;
  // Turns the checking of foreign keys (and their cascades) on or off; every cached statement is
  // prepared again on its next use. REQUIRES: no transaction is open.
  void EnforceForeignKeys(bool on);
  // Bounds the connection's page cache to `kib` KiB. Shrinking it gives back the pages above the
  // new bound at once.
  void LimitPageCache(int64_t kib);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Status Configure(Role role, std::chrono::milliseconds busy_timeout);
  Status Pragma(std::string_view sql, std::string_view expected);

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
};

}  // namespace hop
