// SqliteTransaction: BEGIN, COMMIT and the rollback on every early return.
#include "store/sqlite/sqlite_transaction.h"

namespace hop {
namespace {

Status RunStatement(SqliteConnection& connection, std::string_view sql) {
  Result<SqliteStatement> stmt = connection.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  return stmt.value().Run();
}

}  // namespace

SqliteTransaction::~SqliteTransaction() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR, ...) already rolled the transaction back; a ROLLBACK
  // then would only fail, so ask first. The result is ignored: there is nobody left to report it
  // to, and a connection whose rollback failed reports its broken state on its next use.
  if (connection_.in_transaction()) (void)RunStatement(connection_, "ROLLBACK");
}

Status SqliteTransaction::Begin(Mode mode) {
  return RunStatement(connection_, mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Status SqliteTransaction::Commit() { return RunStatement(connection_, "COMMIT"); }

}  // namespace hop
