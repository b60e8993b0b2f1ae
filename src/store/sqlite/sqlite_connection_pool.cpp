// SqliteConnectionPool: the writer behind its mutex and the free list of readers.
#include "store/sqlite/sqlite_connection_pool.h"

#include <utility>

namespace hop {
namespace {

// Readers beyond this many are closed when returned, so a burst of concurrent reads does not keep
// its file handles and page caches for the life of the process.
constexpr size_t kMaxIdleReaders = 8;

}  // namespace

Result<std::unique_ptr<SqliteConnectionPool>> SqliteConnectionPool::Open(
    std::string path, std::chrono::milliseconds busy_timeout) {
  auto link_codes = std::make_unique<SqliteLinkCodes>();
  // The writer opens first: it is the connection that switches a new database file to WAL mode.
  Result<std::unique_ptr<SqliteConnection>> writer =
      SqliteConnection::Open(path, SqliteConnection::Role::kWriter, busy_timeout, link_codes.get());
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<SqliteConnectionPool>(new SqliteConnectionPool(
      std::move(path), busy_timeout, std::move(link_codes), std::move(writer).value()));
}

SqliteConnectionPool::SqliteConnectionPool(std::string path, std::chrono::milliseconds busy_timeout,
                                           std::unique_ptr<SqliteLinkCodes> link_codes,
                                           std::unique_ptr<SqliteConnection> writer)
    : path_(std::move(path)),
      busy_timeout_(busy_timeout),
      link_codes_(std::move(link_codes)),
      writer_(std::move(writer)) {}

SqliteConnectionPool::WriterLease SqliteConnectionPool::Writer(SqliteConnection::WriteMode mode) {
  WriterLease lease(writer_mutex_, writer_.get());
  lease->SetWriteMode(mode);
  return lease;
}

Result<SqliteConnectionPool::ReaderLease> SqliteConnectionPool::Reader() {
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<SqliteConnection> reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(this, std::move(reader));
    }
  }
  // Opened outside the lock: opening touches the file system and must not stall other readers.
  Result<std::unique_ptr<SqliteConnection>> reader = SqliteConnection::Open(
      path_, SqliteConnection::Role::kReader, busy_timeout_, link_codes_.get());
  if (!reader.ok()) return reader.status();
  return ReaderLease(this, std::move(reader).value());
}

void SqliteConnectionPool::Return(std::unique_ptr<SqliteConnection> reader) {
  std::lock_guard<std::mutex> lock(readers_mutex_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
}

}  // namespace hop
