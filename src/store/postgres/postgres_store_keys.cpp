// PostgresStore: API keys. Each method is one statement.
#include <string>

#include "store/postgres/postgres_store_impl.h"

namespace hop {
namespace {

#define HOP_KEY_COLUMNS "id, name, hash, role, scopes, created_at, expires_at, revoked_at"

// A name that exists inserts nothing and returns no row, rather than raising an error. The hash is
// unique too, but two keys from the CSPRNG never share one: a clash there is an error worth seeing.
const PgStatement kInsertKey{"hop_insert_api_key", R"sql(
INSERT INTO api_keys (name, hash, role, scopes, created_at, expires_at)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::bigint, $6::bigint)
ON CONFLICT (name) DO NOTHING
RETURNING )sql" HOP_KEY_COLUMNS};

const PgStatement kFindKeyByHash{"hop_find_api_key_by_hash",
                                 "SELECT " HOP_KEY_COLUMNS " FROM api_keys WHERE hash = $1::text"};

const PgStatement kListKeys{"hop_list_api_keys",
                            "SELECT " HOP_KEY_COLUMNS " FROM api_keys ORDER BY id"};

const PgStatement kRevokeKey{"hop_revoke_api_key",
                             "UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2::bigint) "
                             "WHERE name = $1::text RETURNING " HOP_KEY_COLUMNS};

enum KeyColumn { kId, kName, kHash, kRole, kScopes, kCreatedAt, kExpiresAt, kRevokedAt };

std::optional<TimePoint> OptionalTime(const PgResult& rows, int row, int column) {
  std::optional<int64_t> ms = rows.OptionalInt64(row, column);
  if (!ms) return std::nullopt;
  return FromUnixMillis(*ms);
}

// The key in `row`; kInternal when its role or scopes were written by something else.
Result<ApiKey> ReadKey(const PgResult& rows, int row) {
  std::optional<Role> role = ParseRole(rows.Text(row, kRole));
  Result<ScopeSet> scopes = ScopeSet::Parse(rows.Text(row, kScopes));
  if (!role || !scopes.ok()) {
    return Status::Error(ErrorCode::kInternal, "the API key \"" + rows.Text(row, kName) +
                                                   "\" has a corrupt role or scopes");
  }
  ApiKey key;
  key.id = rows.Int64(row, kId);
  key.name = rows.Text(row, kName);
  key.hash = rows.Text(row, kHash);
  key.role = *role;
  key.scopes = scopes.value();
  key.created_at = FromUnixMillis(rows.Int64(row, kCreatedAt));
  key.expires_at = OptionalTime(rows, row, kExpiresAt);
  key.revoked_at = OptionalTime(rows, row, kRevokedAt);
  return key;
}

// The single key a statement returned, or kNotFound with `missing` when it returned none.
Result<ApiKey> OneKey(Result<PgResult> rows, const std::string& missing) {
  if (!rows.ok()) return rows.status();
  if (rows.value().rows() == 0) return Status::Error(ErrorCode::kNotFound, missing);
  return ReadKey(rows.value(), 0);
}

}  // namespace

Result<ApiKey> PostgresStore::CreateApiKey(const ApiKey& key) {
  PgParams params;
  params.AddText(key.name);
  params.AddText(key.hash);
  params.AddText(RoleName(key.role));
  params.AddText(key.scopes.ToString());
  params.AddInt64(ToUnixMillis(key.created_at));
  params.AddInt64OrNull(key.expires_at ? std::optional(ToUnixMillis(*key.expires_at))
                                       : std::nullopt);
  Result<PgResult> rows = pool_->Acquire()->Execute(kInsertKey, params);
  if (!rows.ok()) return rows.status();
  if (rows.value().rows() == 0) {
    return Status::Error(ErrorCode::kInvalidRequest,
                         "a key named \"" + key.name + "\" exists already");
  }
  return ReadKey(rows.value(), 0);
}

Result<ApiKey> PostgresStore::FindApiKeyByHash(std::string_view hash) {
  PgParams params;
  params.AddText(hash);
  return OneKey(pool_->Acquire()->Execute(kFindKeyByHash, params), "no API key has this hash");
}

Result<std::vector<ApiKey>> PostgresStore::ListApiKeys() {
  Result<PgResult> rows = pool_->Acquire()->Execute(kListKeys);
  if (!rows.ok()) return rows.status();
  std::vector<ApiKey> keys;
  for (int row = 0; row < rows.value().rows(); ++row) {
    Result<ApiKey> key = ReadKey(rows.value(), row);
    if (!key.ok()) return key.status();
    keys.push_back(std::move(key).value());
  }
  return keys;
}

Result<ApiKey> PostgresStore::RevokeApiKey(std::string_view name, TimePoint now) {
  PgParams params;
  params.AddText(name);
  params.AddInt64(ToUnixMillis(now));
  return OneKey(pool_->Acquire()->Execute(kRevokeKey, params),
                "no API key is named \"" + std::string(name) + "\"");
}

}  // namespace hop
