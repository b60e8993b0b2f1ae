// Link rows: column order, decoding, lookup by code, and the tag index rows.
#include "store/sqlite/sqlite_link_rows.h"

#include "store/tags_json.h"

namespace hop {
namespace {

// The order ReadLinkRow reads them in.
enum LinkColumn {
  kId,
  kCode,
  kUrl,
  kTitle,
  kTags,
  kCreatedAt,
  kUpdatedAt,
  kExpiresAt,
  kMaxVisits,
  kVisits,
  kRedirectStatus,
  kForwardQuery,
  kDisabled,
  kTotalClicks,
  kBotClicks,
  kOwnerKeyId,
};

constexpr std::string_view kLinkColumns =
    "id, link_code(id, code), url, title, tags, created_at, updated_at, expires_at, max_visits, "
    "visits, "
    "redirect_status, forward_query, disabled, total_clicks, bot_clicks, owner_key_id";

}  // namespace

std::string SelectLinks(std::string_view rest) {
  return "SELECT " + std::string(kLinkColumns) + " " + std::string(rest);
}

Result<Link> ReadLinkRow(const SqliteStatement& row) {
  Result<std::vector<std::string>> tags = DecodeTags(row.Text(kTags));
  if (!tags.ok()) return tags.status();
  Link link;
  link.id = row.Int(kId);
  link.code = row.Text(kCode);
  link.fields.url = row.Text(kUrl);
  link.fields.title = row.OptionalText(kTitle);
  link.fields.tags = std::move(tags).value();
  if (std::optional<int64_t> expires_at = row.OptionalInt(kExpiresAt)) {
    link.fields.expires_at = FromUnixMillis(*expires_at);
  }
  link.fields.max_visits = row.OptionalInt(kMaxVisits);
  link.fields.redirect_status = static_cast<int>(row.Int(kRedirectStatus));
  link.fields.forward_query = row.Int(kForwardQuery) != 0;
  link.fields.owner_key_id = row.OptionalInt(kOwnerKeyId);
  link.disabled = row.Int(kDisabled) != 0;
  link.created_at = FromUnixMillis(row.Int(kCreatedAt));
  link.updated_at = FromUnixMillis(row.Int(kUpdatedAt));
  link.visits = row.Int(kVisits);
  link.total_clicks = row.Int(kTotalClicks);
  link.bot_clicks = row.Int(kBotClicks);
  return link;
}

namespace {

// The link in the first row `stmt` (bound) gives, or none.
Result<std::optional<Link>> FirstLink(Result<SqliteStatement> stmt) {
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt.value().Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return std::optional<Link>();
  Result<Link> link = ReadLinkRow(stmt.value());
  if (!link.ok()) return link.status();
  return std::optional<Link>(std::move(link).value());
}

}  // namespace

Result<Link> FindLinkByCode(SqliteConnection& connection, const LinkCodeCipher& cipher,
                            std::string_view code) {
  // A code is a generated link's or a stored one, never both (CreateLinks keeps them apart), so
  // the order of the two lookups changes only what a miss costs.
  if (const std::optional<int64_t> id = cipher.Decode(code)) {
    static const std::string by_id = SelectLinks("FROM links WHERE id = ? AND code IS NULL");
    Result<SqliteStatement> stmt = connection.Prepare(by_id);
    if (stmt.ok()) stmt.value().Bind(*id);
    Result<std::optional<Link>> generated = FirstLink(std::move(stmt));
    if (!generated.ok()) return generated.status();
    if (generated.value()) return std::move(*generated.value());
  }
  static const std::string by_code = SelectLinks("FROM links WHERE code = ?");
  Result<SqliteStatement> stmt = connection.Prepare(by_code);
  if (stmt.ok()) stmt.value().Bind(code);
  Result<std::optional<Link>> stored = FirstLink(std::move(stmt));
  if (!stored.ok()) return stored.status();
  if (!stored.value()) return LinkNotFound(code);
  return std::move(*stored.value());
}

Status InsertLinkTags(SqliteConnection& connection, int64_t link_id,
                      const std::vector<std::string>& tags) {
  for (const std::string& tag : tags) {
    Result<SqliteStatement> insert =
        connection.Prepare("INSERT OR IGNORE INTO link_tags (tag, link_id) VALUES (?, ?)");
    if (!insert.ok()) return insert.status();
    if (Status s = insert.value().Bind(tag, link_id).Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

Status ReplaceLinkTags(SqliteConnection& connection, int64_t link_id,
                       const std::vector<std::string>& tags) {
  Result<SqliteStatement> clear = connection.Prepare("DELETE FROM link_tags WHERE link_id = ?");
  if (!clear.ok()) return clear.status();
  if (Status s = clear.value().Bind(link_id).Run(); !s.ok()) return s;
  return InsertLinkTags(connection, link_id, tags);
}

Status LinkNotFound(std::string_view code) {
  return Status::Error(ErrorCode::kNotFound, "no link has the code \"" + std::string(code) + "\"");
}

}  // namespace hop
