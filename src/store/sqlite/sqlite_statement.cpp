// SqliteStatement: binding, stepping and reading columns of a borrowed prepared statement.
#include "store/sqlite/sqlite_statement.h"

#include <sqlite3.h>

#include "store/sqlite/sqlite_status.h"

namespace hop {

std::string RepeatedRows(std::string_view row, size_t rows) {
  std::string text;
  for (size_t i = 0; i < rows; ++i) text.append(i == 0 ? "" : ", ").append(row);
  return text;
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_),
      stmt_(other.stmt_),
      bind_error_(other.bind_error_),
      last_error_(other.last_error_),
      copy_text_(other.copy_text_) {
  other.stmt_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
  // Reset releases the statement's read snapshot; without it a cached SELECT would pin the WAL.
  if (stmt_ != nullptr) Reset();
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = 0;
  last_error_ = 0;
}

void SqliteStatement::Check(int rc) {
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void SqliteStatement::BindOne(int index, int64_t value) {
  Check(sqlite3_bind_int64(stmt_, index, value));
}

void SqliteStatement::BindOne(int index, std::string_view value) {
  Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                            copy_text_ ? SQLITE_TRANSIENT : SQLITE_STATIC, SQLITE_UTF8));
}

void SqliteStatement::BindOne(int index, std::span<const std::byte> value) {
  Check(sqlite3_bind_blob64(stmt_, index, value.data(), value.size(),
                            copy_text_ ? SQLITE_TRANSIENT : SQLITE_STATIC));
}

// Parameters are NULL until bound: the statement's last use cleared them (Reset), and a new one
// has none. A batch insert has three NULLs a link, each a call into SQLite.
void SqliteStatement::BindOne(int, std::nullopt_t) {}

Result<bool> SqliteStatement::Step() {
  if (bind_error_ != 0) {
    last_error_ = bind_error_;
    return SqliteError(db_, bind_error_, "bind");
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  last_error_ = rc;
  return SqliteError(db_, rc, "statement");
}

Status SqliteStatement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return Status::Ok();
  }
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

std::span<const std::byte> SqliteStatement::Blob(int column) const {
  // The pointer first, then the size: that is the order SQLite documents as safe.
  const auto* bytes = static_cast<const std::byte*>(sqlite3_column_blob(stmt_, column));
  return {bytes, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<int64_t> SqliteStatement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<std::string> SqliteStatement::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

}  // namespace hop
