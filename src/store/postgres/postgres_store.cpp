// PostgresStore: opening the store, migrating it, and answering health checks.
#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <string>

#include "store/postgres/pg_link_change_feed.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/postgres_store_impl.h"

namespace hop {
namespace {

// Enough for hop's worker threads and its click flusher to rarely wait, few enough that a dozen
// instances fit in PostgreSQL's default max_connections of 100.
constexpr size_t kPoolSize = 4;

const PgStatement kPing{"hop_ping", "SELECT 1"};

// libpq's own parser, so that whatever libpq accepts (URIs, key=value, percent-escapes) is
// accepted.
Status CheckConninfo(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options != nullptr) {
    PQconninfoFree(options);
    return Status::Ok();
  }
  std::string reason = error ? error : "out of memory";
  PQfreemem(error);
  while (!reason.empty() && reason.back() == '\n') reason.pop_back();
  return Status::Error(ErrorCode::kInvalidRequest,
                       "invalid PostgreSQL connection string: " + reason);
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(std::string_view conninfo) {
  std::string info(conninfo);
  if (Status valid = CheckConninfo(info); !valid.ok()) return valid;
  auto pool = std::make_unique<PgConnectionPool>(info, kPoolSize);
  if (Status connected = pool->Acquire()->Connect(); !connected.ok()) return connected;
  return std::unique_ptr<Store>(new PostgresStore(std::move(info), std::move(pool)));
}

Status PostgresStore::Migrate() { return MigratePostgres(*pool_->Acquire()); }

Status PostgresStore::Ping() {
  Result<PgResult> answer = pool_->Acquire()->Execute(kPing);
  return answer.ok() ? Status::Ok() : answer.status();
}

Result<std::unique_ptr<LinkChangeFeed>> PostgresStore::WatchLinkChanges(LinkChangeHandler handler) {
  return StartPgLinkChangeFeed(conninfo_, std::move(handler));
}

}  // namespace hop
