// SqliteConnection: opening, configuring and caching statements on one SQLite handle.
#include "store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <string>

#include "store/sqlite/sqlite_link_codes.h"
#include "store/sqlite/sqlite_status.h"
#include "store/sqlite/sqlite_vfs.h"

namespace hop {

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const std::string& path, Role role, std::chrono::milliseconds busy_timeout,
    SqliteLinkCodes* link_codes) {
  // NOMUTEX is only safe when the library itself was built thread-safe; a single-threaded build
  // would corrupt memory as soon as two connections are used from two threads.
  if (sqlite3_threadsafe() == 0) {
    return Status::Error(ErrorCode::kInternal, "SQLite was built without thread support");
  }
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, SqliteVfsName());
  // The handle is created even when opening fails, and must be closed; the wrapper owns it from
  // here.
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  if (rc != SQLITE_OK) {
    return SqliteError(db, rc, "open of \"" + path + "\"");
  }
  if (Status s = connection->Configure(role, busy_timeout); !s.ok()) return s;
  if (link_codes != nullptr) link_codes->AddSqlFunction(db);
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteConnection::Configure(Role role, std::chrono::milliseconds busy_timeout) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
  // WAL with synchronous=NORMAL: a commit is in the WAL file before it returns, and fsync happens
  // at checkpoints. That survives the process being killed (even kill -9), which is the durability
  // the Store contract promises; only a power loss or OS crash can lose the last commits, and it
  // never corrupts the database.
  if (Status s = Pragma("PRAGMA journal_mode=WAL", "wal"); !s.ok()) return s;
  if (Status s = Pragma("PRAGMA synchronous=NORMAL", ""); !s.ok()) return s;
  if (Status s = Pragma("PRAGMA foreign_keys=ON", ""); !s.ok()) return s;
  if (role == Role::kWriter) {
    // A statement that inserts many rows keeps the pages it changes in a statement journal, to
    // undo the statement alone should it fail; past 64 KiB SQLite spills that journal to a
    // temporary file, created, written and deleted for every batch of creates. In memory it is a
    // copy per changed page.
    if (Status s = Pragma("PRAGMA temp_store=MEMORY", ""); !s.ok()) return s;
    // The connection that commits runs the checkpoint, which copies every page the WAL holds into
    // the database and syncs both files, on the committing thread (the click flusher's or the
    // creator's). At SQLite's default of 1,000 pages nearly every click flush and every batch of
    // creates paid for a checkpoint of its own, copying again the pages of the current minute or
    // of the code index that the previous one had copied; every 16,384 pages (a 64 MiB WAL) a
    // page changed by many commits is copied once.
    if (Status s = Pragma("PRAGMA wal_autocheckpoint=16384", ""); !s.ok()) return s;
  }
  if (role == Role::kReader) {
    // Readers never write; saying so turns a stray write into an error instead of a lock fight.
    if (Status s = Pragma("PRAGMA query_only=ON", ""); !s.ok()) return s;
  }
  return Status::Ok();
}

// Runs a pragma; when `expected` is not empty, its answer must be that (journal_mode reports the
// mode it actually chose, which is not WAL on file systems without shared memory).
Status SqliteConnection::Pragma(std::string_view sql, std::string_view expected) {
  Result<SqliteStatement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt.value().Step();
  if (!row.ok()) return row.status();
  if (!expected.empty() && (!row.value() || stmt.value().Text(0) != expected)) {
    return Status::Error(ErrorCode::kStoreUnavailable,
                         std::string(sql) +
                             " was refused: the database's file system must support " +
                             "SQLite's WAL mode (a local disk, not a network share)");
  }
  return Status::Ok();
}

Result<SqliteStatement> SqliteConnection::Prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    it = statements_.emplace(std::string(sql), stmt).first;
  }
  return SqliteStatement(db_, it->second);
}

Status SqliteConnection::Execute(const std::string& sql) {
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "statement");
  return Status::Ok();
}

int64_t SqliteConnection::changes() const { return sqlite3_changes64(db_); }

int64_t SqliteConnection::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }

bool SqliteConnection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteConnection::SetWriteMode(WriteMode mode) {
  if (mode == write_mode_) return;
  write_mode_ = mode;
  const bool large = mode == WriteMode::kLargeBatch;
  sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_FKEY, large ? 0 : 1, nullptr);
  // In KiB when negative: 64 MiB, or SQLite's default of 2,000 KiB.
  sqlite3_exec(db_, large ? "PRAGMA cache_size=-65536" : "PRAGMA cache_size=-2000", nullptr,
               nullptr, nullptr);
}

}  // namespace hop
