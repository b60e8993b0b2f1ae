// SqliteConnectionPool: the connections of one SQLite store, shared by all threads.
//
// SQLite allows one writer at a time per database, so the pool keeps a single writer connection
// behind a mutex: in-process writers queue on the mutex (cheap, fair enough) rather than on
// SQLite's file lock (busy-waiting with sleeps). Readers take a connection of their own from a free
// list, opened on demand; in WAL mode they read a committed snapshot concurrently with the writer
// and with each other.
//
// Thread-safe. Leases must not outlive the pool.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_link_codes.h"

namespace hop {

class SqliteConnectionPool {
 public:
  class ReaderLease;
  class WriterLease;

  // Opens the writer connection, creating the database file if needed.
  static Result<std::unique_ptr<SqliteConnectionPool>> Open(std::string path,
                                                            std::chrono::milliseconds busy_timeout);

  SqliteConnectionPool(const SqliteConnectionPool&) = delete;
  SqliteConnectionPool& operator=(const SqliteConnectionPool&) = delete;

  // Blocks until the writer connection is free, and sets its write mode to `mode`.
  WriterLease Writer(SqliteConnection::WriteMode mode = SqliteConnection::WriteMode::kUsual);
  // An idle reader connection, or a newly opened one.
  Result<ReaderLease> Reader();

  // The generated codes of this database; every connection of the pool has link_code().
  SqliteLinkCodes& link_codes() { return *link_codes_; }

 private:
  SqliteConnectionPool(std::string path, std::chrono::milliseconds busy_timeout,
                       std::unique_ptr<SqliteLinkCodes> link_codes,
                       std::unique_ptr<SqliteConnection> writer);
  void Return(std::unique_ptr<SqliteConnection> reader);

  const std::string path_;
  const std::chrono::milliseconds busy_timeout_;
  const std::unique_ptr<SqliteLinkCodes> link_codes_;  // outlives the connections below

  std::mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;  // guarded by writer_mutex_

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // guarded by readers_mutex_
};

class SqliteConnectionPool::WriterLease {
 public:
  SqliteConnection& operator*() const { return *connection_; }
  SqliteConnection* operator->() const { return connection_; }

 private:
  friend class SqliteConnectionPool;
  WriterLease(std::mutex& mutex, SqliteConnection* connection)
      : lock_(mutex), connection_(connection) {}

  std::unique_lock<std::mutex> lock_;
  SqliteConnection* connection_;
};

class SqliteConnectionPool::ReaderLease {
 public:
  ReaderLease(ReaderLease&& other) noexcept = default;
  ReaderLease& operator=(ReaderLease&&) = delete;
  ~ReaderLease() {
    if (connection_) pool_->Return(std::move(connection_));
  }

  SqliteConnection& operator*() const { return *connection_; }
  SqliteConnection* operator->() const { return connection_.get(); }

 private:
  friend class SqliteConnectionPool;
  ReaderLease(SqliteConnectionPool* pool, std::unique_ptr<SqliteConnection> connection)
      : pool_(pool), connection_(std::move(connection)) {}

  SqliteConnectionPool* pool_;
  std::unique_ptr<SqliteConnection> connection_;
};

}  // namespace hop
