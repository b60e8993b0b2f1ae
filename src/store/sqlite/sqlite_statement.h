// SqliteStatement: one use of a prepared statement from a connection's cache.
//
// Statements are prepared once per connection and reused (see sqlite_connection.h); a
// SqliteStatement borrows one for a single execution and resets it when it goes out of scope, so
// the next user finds it unbound and ready. Values are always bound as parameters, never spliced
// into SQL text.
//
// Not thread-safe: it belongs to the thread that holds its connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hop {

// `row` (a parenthesized list of parameters) `rows` times, comma-separated: the VALUES list of a
// statement that writes `rows` rows at once.
std::string RepeatedRows(std::string_view row, size_t rows);

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  ~SqliteStatement();

  // Binds the values to parameters 1, 2, ... in order; every parameter is NULL until bound, and
  // an empty optional leaves it so. A failure to bind is reported by Step or Run. REQUIRES: each
  // parameter is bound at most once between two Resets.
  template <typename... Values>
  SqliteStatement& Bind(const Values&... values) {
    int index = 1;
    (BindOne(index++, values), ...);
    return *this;
  }

  // Advances to the next row: true when one is ready for the column getters, false when there are
  // no more. kStoreUnavailable / kInternal as SqliteError decides.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Binds the values to parameters first, first + 1, ... without copying their text or bytes: for
  // the rows of a batch statement, or a large BLOB, that the caller holds anyway. REQUIRES: every
  // text and BLOB value outlives the statement's next Step.
  template <typename... Values>
  SqliteStatement& BindBorrowed(int first, const Values&... values) {
    copy_text_ = false;
    int index = first;
    (BindOne(index++, values), ...);
    copy_text_ = true;
    return *this;
  }

  // Makes the statement ready to be bound and run again.
  void Reset();
  // The extended result code of the last failed Step or Run, to tell constraint violations apart.
  int last_error() const { return last_error_; }

  int64_t Int(int column) const;
  std::string Text(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::optional<std::string> OptionalText(int column) const;
  // The bytes of a BLOB column, valid until the next Step or Reset.
  std::span<const std::byte> Blob(int column) const;

 private:
  void BindOne(int index, int64_t value);
  void BindOne(int index, std::string_view value);
  void BindOne(int index, std::span<const std::byte> value);  // a BLOB
  void BindOne(int index, std::nullopt_t);
  template <typename T>
  void BindOne(int index, const std::optional<T>& value) {
    if (value) {
      BindOne(index, *value);
    } else {
      BindOne(index, std::nullopt);
    }
  }
  void Check(int rc);
  bool IsNull(int column) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_;  // owned by the connection's cache; null after a move
  int bind_error_ = 0;
  int last_error_ = 0;
  bool copy_text_ = true;  // false while BindBorrowed binds (text and BLOBs alike)
};

}  // namespace hop
