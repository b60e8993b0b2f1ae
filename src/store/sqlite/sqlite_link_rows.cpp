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
    "id, code, url, title, tags, created_at, updated_at, expires_at, max_visits, visits, "
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

Result<Link> FindLinkByCode(SqliteConnection& connection, std::string_view code) {
  static const std::string sql = SelectLinks("FROM links WHERE code = ?");
  Result<SqliteStatement> stmt = connection.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt.value().Bind(code).Step();
  if (!row.ok()) return row.status();
  if (!row.value()) return LinkNotFound(code);
  return ReadLinkRow(stmt.value());
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
