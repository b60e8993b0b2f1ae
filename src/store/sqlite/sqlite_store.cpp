// SqliteStore: opening the database, migrating it, and answering health checks.
#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/sqlite_migrations.h"

namespace hop {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteStoreOptions& options) {
  Result<std::unique_ptr<SqliteConnectionPool>> pool =
      SqliteConnectionPool::Open(path, options.busy_timeout);
  if (!pool.ok()) return pool.status();
  return std::unique_ptr<Store>(new SqliteStore(std::move(pool).value(), options));
}

Status SqliteStore::Migrate() {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  return MigrateSqlite(*writer);
}

Status SqliteStore::Ping() {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  // Reading the schema, unlike "SELECT 1", makes SQLite read the file: a database that is locked
  // exclusively, unreadable or not a database at all fails here.
  Result<SqliteStatement> stmt = reader.value()->Prepare("SELECT count(*) FROM sqlite_schema");
  if (!stmt.ok()) return stmt.status();
  return stmt.value().Run();
}

}  // namespace hop
