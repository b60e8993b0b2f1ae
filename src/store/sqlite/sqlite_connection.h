// SqliteConnection: one open SQLite database handle, configured for hop, with its statement cache.
//
// Every connection runs in WAL mode, so readers keep reading a consistent snapshot while the writer
// commits, with synchronous=NORMAL and foreign keys enforced, and opens its files through hop's
// VFS (sqlite_vfs.h), which writes a transaction's WAL frames in large pieces. A busy timeout
// makes a connection wait for another process's lock instead of failing at once.
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

class SqliteLinkCodes;

class SqliteConnection {
 public:
  enum class Role { kWriter, kReader };

  // Opens (creating if needed) the database file at `path`. kStoreUnavailable when it cannot be
  // opened. With `link_codes`, which must outlive the connection, SQL on it has link_code()
  // (sqlite_link_codes.h).
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, Role role,
                                                        std::chrono::milliseconds busy_timeout,
                                                        SqliteLinkCodes* link_codes = nullptr);

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

  // How a writer writes. kLargeBatch is for batches of many creates (sqlite_store_links.cpp):
  // - Foreign keys off; the caller checks the one that matters. Turning them off or on makes
  //   SQLite prepare every cached statement of the connection again on its next use.
  // - A 64 MiB page cache. A batch inserts into the index on code at random places, a leaf page
  //   per link: with SQLite's default 2 MB, a batch of a few thousand links spilled dirty pages to
  //   the WAL in mid-transaction and read the index back from the OS a page at a time. 64 MiB
  //   holds the code index of a few million links and the largest batch.
  // A mode stays until the other is asked for, so that batches that follow each other keep their
  // statements and their cache: preparing again and reading the index back cost a large batch 5%
  // of its instructions. kUsual shrinks the cache back to SQLite's default at once: kept, it would
  // fill with the pages click flushes write, 64 MiB held by a server whose link cache needs a few
  // dozen bytes per link. REQUIRES: no transaction is open.
  enum class WriteMode { kUsual, kLargeBatch };
  void SetWriteMode(WriteMode mode);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Status Configure(Role role, std::chrono::milliseconds busy_timeout);
  Status Pragma(std::string_view sql, std::string_view expected);

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
  WriteMode write_mode_ = WriteMode::kUsual;
};

}  // namespace hop
