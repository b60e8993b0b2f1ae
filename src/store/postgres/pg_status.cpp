// PostgreSQL's errors as Status values; see pg_status.h for the policy.
#include "store/postgres/pg_status.h"

#include <string>
#include <string_view>

namespace hop {
namespace {

// libpq's messages end in a newline and continue on tab-indented lines ("...failed: Connection
// refused\n \tIs the server running...?"); a detail is one line.
std::string OneLine(std::string_view message) {
  std::string line;
  bool space = false;
  for (char c : message) {
    if (c == '\n' || c == '\t' || c == ' ') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

bool IsTransient(std::string_view state) {
  return state.starts_with("08")      // connection exception
         || state.starts_with("53")   // insufficient resources: disk full, too many connections
         || state.starts_with("57P")  // admin/crash shutdown, cannot connect now
         || state == "57014"          // canceled: statement_timeout
         || state == "55P03"          // lock_not_available: lock_timeout
         || state == "40001"          // serialization failure
         || state == "40P01"          // deadlock detected
         || state == "25006";         // read-only transaction: a standby after a failover
}

// The SQLSTATE of a failed statement, or "" when there is none (libpq's own errors have none).
std::string_view SqlState(const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  return state ? std::string_view(state) : std::string_view();
}

}  // namespace

Status PgError(PGconn* conn, const PGresult* result) {
  std::string_view state = SqlState(result);
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = OneLine(primary ? primary : PQerrorMessage(conn));
  if (PQstatus(conn) != CONNECTION_OK || IsTransient(state))
    return Status::Error(ErrorCode::kStoreUnavailable, "PostgreSQL is unavailable: " + message);
  std::string detail = "PostgreSQL failed: " + message;
  if (!state.empty()) detail += " (SQLSTATE " + std::string(state) + ")";
  return Status::Error(ErrorCode::kInternal, detail);
}

Status PgConnectError(PGconn* conn) {
  std::string reason = conn ? OneLine(PQerrorMessage(conn)) : "out of memory";
  return Status::Error(ErrorCode::kStoreUnavailable, "cannot connect to PostgreSQL: " + reason);
}

}  // namespace hop
