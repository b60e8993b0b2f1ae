// Mapping SQLite result codes to hop Status.
#include "store/sqlite/sqlite_status.h"

#include <sqlite3.h>

#include <string>

namespace hop {
namespace {

// Why the database is unreachable, for the result codes that mean it is; nullptr for the rest.
const char* UnavailableReason(int primary_code) {
  switch (primary_code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "the database stayed locked by another connection past the busy timeout";
    case SQLITE_CANTOPEN:
      return "the database file cannot be opened (check the path and its permissions)";
    case SQLITE_FULL:
      return "the disk holding the database is full";
    case SQLITE_IOERR:
      return "the database file could not be read or written (I/O error)";
    case SQLITE_READONLY:
      return "the database is read-only (check the file's permissions)";
    default:
      return nullptr;
  }
}

}  // namespace

Status SqliteError(sqlite3* db, int rc, std::string_view action) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string detail = "SQLite " + std::string(action) + " failed: ";
  // Extended codes (SQLITE_IOERR_FSYNC, SQLITE_BUSY_SNAPSHOT, ...) share their primary code's
  // meaning.
  if (const char* reason = UnavailableReason(rc & 0xff)) {
    return Status::Error(ErrorCode::kStoreUnavailable, detail + reason + " (" + message + ")");
  }
  return Status::Error(ErrorCode::kInternal, detail + message);
}

}  // namespace hop
