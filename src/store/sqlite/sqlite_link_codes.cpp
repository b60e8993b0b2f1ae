// The generated codes' key, and the SQL function that gives every link its code.
#include "store/sqlite/sqlite_link_codes.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include "store/sqlite/sqlite_connection.h"

namespace hop {
namespace {

void LinkCodeFunction(sqlite3_context* context, int, sqlite3_value** arguments) {
  if (sqlite3_value_type(arguments[1]) != SQLITE_NULL) {
    sqlite3_result_value(context, arguments[1]);
    return;
  }
  const auto* codes =
      static_cast<const std::atomic<const LinkCodeCipher*>*>(sqlite3_user_data(context));
  const LinkCodeCipher* cipher = codes->load(std::memory_order_acquire);
  const sqlite3_int64 id = sqlite3_value_int64(arguments[0]);
  if (cipher == nullptr || id < 0 || id >= LinkCodeCipher::kIdLimit) {
    sqlite3_result_error(context, "link_code: no key loaded, or an id out of range", -1);
    return;
  }
  const std::string code = cipher->Encode(id);
  sqlite3_result_text(context, code.data(), static_cast<int>(code.size()), SQLITE_TRANSIENT);
}

}  // namespace

Result<const LinkCodeCipher*> SqliteLinkCodes::Cipher(SqliteConnection& connection) {
  if (const LinkCodeCipher* cipher = loaded_.load(std::memory_order_acquire)) return cipher;
  std::lock_guard lock(mutex_);
  if (cipher_) return cipher_.get();
  Result<SqliteStatement> read = connection.Prepare("SELECT key FROM link_code_key WHERE id = 1");
  if (!read.ok()) return read.status();
  Result<bool> row = read.value().Step();
  if (!row.ok()) return row.status();
  LinkCodeCipher::Key key;
  const std::span<const std::byte> stored =
      row.value() ? read.value().Blob(0) : std::span<const std::byte>();
  if (stored.size() != key.size()) {
    return Status::Error(ErrorCode::kInternal,
                         "the database has no key for generated codes: migrate it (hop migrate)");
  }
  std::memcpy(key.data(), stored.data(), key.size());
  cipher_ = std::make_unique<const LinkCodeCipher>(key);
  loaded_.store(cipher_.get(), std::memory_order_release);
  return cipher_.get();
}

void SqliteLinkCodes::AddSqlFunction(sqlite3* db) {
  // Deterministic: the same id and code always give the same code, so SQLite may factor calls
  // out. The user data is the atomic, which outlives every connection (the pool owns both).
  sqlite3_create_function_v2(db, "link_code", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, &loaded_,
                             LinkCodeFunction, nullptr, nullptr, nullptr);
}

}  // namespace hop
