// SqliteStore: API keys.
#include <sqlite3.h>

#include "store/sqlite/sqlite_store.h"

namespace hop {
namespace {

#define HOP_KEY_COLUMNS "id, name, hash, role, scopes, created_at, expires_at, revoked_at"

// The order ReadKeyRow reads them in.
enum KeyColumn { kId, kName, kHash, kRole, kScopes, kCreatedAt, kExpiresAt, kRevokedAt };

std::optional<TimePoint> OptionalTime(const SqliteStatement& row, int column) {
  std::optional<int64_t> ms = row.OptionalInt(column);
  if (!ms) return std::nullopt;
  return FromUnixMillis(*ms);
}

// The key in the current row; kInternal when its role or scopes were written by something else.
Result<ApiKey> ReadKeyRow(const SqliteStatement& row) {
  std::optional<Role> role = ParseRole(row.Text(kRole));
  Result<ScopeSet> scopes = ScopeSet::Parse(row.Text(kScopes));
  if (!role || !scopes.ok()) {
    return Status::Error(ErrorCode::kInternal,
                         "the API key \"" + row.Text(kName) + "\" has a corrupt role or scopes");
  }
  ApiKey key;
  key.id = row.Int(kId);
  key.name = row.Text(kName);
  key.hash = row.Text(kHash);
  key.role = *role;
  key.scopes = scopes.value();
  key.created_at = FromUnixMillis(row.Int(kCreatedAt));
  key.expires_at = OptionalTime(row, kExpiresAt);
  key.revoked_at = OptionalTime(row, kRevokedAt);
  return key;
}

// The key of the one row `stmt` answers; kNotFound with `missing` when it answers none.
Result<ApiKey> OneKey(SqliteStatement& stmt, const std::string& missing) {
  Result<bool> row = stmt.Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return Status::Error(ErrorCode::kNotFound, missing);
  return ReadKeyRow(stmt);
}

std::optional<int64_t> ToMillis(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

}  // namespace

Result<ApiKey> SqliteStore::CreateApiKey(const ApiKey& key) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  Result<SqliteStatement> insert = writer->Prepare(
      "INSERT INTO api_keys (name, hash, role, scopes, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  SqliteStatement& stmt = insert.value();
  stmt.Bind(key.name, key.hash, RoleName(key.role), key.scopes.ToString(),
            ToUnixMillis(key.created_at), ToMillis(key.expires_at));
  if (Status s = stmt.Run(); !s.ok()) {
    // Both name and hash are unique, but two keys from the CSPRNG never share a hash: a clash is
    // the name's.
    if (stmt.last_error() != SQLITE_CONSTRAINT_UNIQUE) return s;
    return Status::Error(ErrorCode::kInvalidRequest,
                         "a key named \"" + key.name + "\" exists already");
  }
  ApiKey created = key;
  created.id = writer->last_insert_id();
  created.revoked_at.reset();
  return created;
}

Result<ApiKey> SqliteStore::FindApiKeyByHash(std::string_view hash) {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  Result<SqliteStatement> stmt =
      reader.value()->Prepare("SELECT " HOP_KEY_COLUMNS " FROM api_keys WHERE hash = ?");
  if (!stmt.ok()) return stmt.status();
  stmt.value().Bind(hash);
  return OneKey(stmt.value(), "no API key has this hash");
}

Result<std::vector<ApiKey>> SqliteStore::ListApiKeys() {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  Result<SqliteStatement> stmt =
      reader.value()->Prepare("SELECT " HOP_KEY_COLUMNS " FROM api_keys ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  std::vector<ApiKey> keys;
  for (;;) {
    Result<bool> row = stmt.value().Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return keys;
    Result<ApiKey> key = ReadKeyRow(stmt.value());
    if (!key.ok()) return key.status();
    keys.push_back(std::move(key).value());
  }
}

Result<ApiKey> SqliteStore::RevokeApiKey(std::string_view name, TimePoint now) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  Result<SqliteStatement> stmt = writer->Prepare(
      "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?2) WHERE name = ?1 "
      "RETURNING " HOP_KEY_COLUMNS);
  if (!stmt.ok()) return stmt.status();
  stmt.value().Bind(name, ToUnixMillis(now));
  Result<ApiKey> key = OneKey(stmt.value(), "no API key is named \"" + std::string(name) + "\"");
  // Stepped to its end, so the statement, and its implicit transaction, finish here.
  if (key.ok()) {
    if (Status s = stmt.value().Run(); !s.ok()) return s;
  }
  return key;
}

}  // namespace hop
