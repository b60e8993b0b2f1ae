// PostgresStore: creating, reading, changing, listing, deleting and disabling links, and claiming
// visits.
//
// Each method is one statement. Every statement that returns links names the same columns, in the
// order ReadLink decodes them. Every statement that creates, changes or deletes a link also
// returns HOP_NOTIFY_LINK_CHANGED (pg_link_change_feed.h): the notification is part of the
// statement's transaction, so the other instances hear of the change exactly when it commits, and
// only if it does.
#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

#include "core/short_code.h"
#include "store/host_key.h"
#include "store/like_pattern.h"
#include "store/postgres/pg_link_change_feed.h"
#include "store/postgres/postgres_store_impl.h"
#include "store/tags_json.h"

namespace hop {
namespace {

#define HOP_LINK_COLUMNS                                                                 \
  "id, code, url, title, tags, created_at, updated_at, expires_at, max_visits, visits, " \
  "redirect_status, forward_query, disabled, total_clicks, bot_clicks, owner_key_id"

// A whole batch in one statement: the new links arrive as one array per column, unnested in their
// order. A conflicting code inserts nothing and returns no row, rather than raising an error: no
// failed statement, and no unique-violation noise in the server's log when a generated code
// collides. Rows are inserted in the batch's order (ORDER BY position), so of two with the same
// code the first is stored. Tags, a list per link, travel as JSON text (store/tags_json.h), since
// an array of arrays must be rectangular.
const PgStatement kInsertLinks{"hop_insert_links", R"sql(
INSERT INTO links (code, url, title, tags, created_at, updated_at, expires_at, max_visits,
                   redirect_status, forward_query, owner_key_id)
SELECT code, url, title,
       ARRAY(SELECT tag FROM json_array_elements_text(tags::json) WITH ORDINALITY AS t (tag, n)
             ORDER BY n),
       $1::bigint, $1::bigint, expires_at, max_visits, redirect_status, forward_query, owner_key_id
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
            $8::integer[], $9::boolean[], $10::bigint[])
     WITH ORDINALITY AS batch (code, url, title, tags, expires_at, max_visits, redirect_status,
                               forward_query, owner_key_id, position)
ORDER BY position
ON CONFLICT (code) DO NOTHING
RETURNING code, id, )sql" HOP_NOTIFY_LINK_CHANGED};

const PgStatement kFindLink{"hop_find_link",
                            "SELECT " HOP_LINK_COLUMNS " FROM links WHERE code = $1::text"};

// A member of the patch that is absent arrives as NULL and keeps the column; nullable columns take
// a flag as well, since for them NULL is also a value to set ("clear the title"). $14, when not
// NULL, is the key that must own the link.
const PgStatement kUpdateLink{"hop_update_link", R"sql(
UPDATE links SET
  url = coalesce($2::text, url),
  title = CASE WHEN $3::boolean THEN $4::text ELSE title END,
  tags = coalesce($5::text[], tags),
  expires_at = CASE WHEN $6::boolean THEN $7::bigint ELSE expires_at END,
  max_visits = CASE WHEN $8::boolean THEN $9::bigint ELSE max_visits END,
  redirect_status = coalesce($10::integer, redirect_status),
  forward_query = coalesce($11::boolean, forward_query),
  disabled = coalesce($12::boolean, disabled),
  updated_at = $13::bigint
WHERE code = $1::text AND ($14::bigint IS NULL OR owner_key_id = $14::bigint)
RETURNING )sql" HOP_LINK_COLUMNS ", " HOP_NOTIFY_LINK_CHANGED};

// The clicks_* rows go with the link through their foreign keys' ON DELETE CASCADE.
const PgStatement kDeleteLink{"hop_delete_link",
                              "DELETE FROM links WHERE code = $1::text AND "
                              "($2::bigint IS NULL OR owner_key_id = $2::bigint) "
                              "RETURNING id, " HOP_NOTIFY_LINK_CHANGED};

// Keyset pages: `id < $1` walks the primary key backwards from the cursor, however deep the page.
// The text filter compares under the "C" collation, which folds ASCII letters only, as the contract
// says, whatever the database's locale; backslash, the escape of SubstringLikePattern, is also
// PostgreSQL's default LIKE escape. The tagged variant is a statement of its own, planned for each
// call: a rare tag is found through the GIN index on tags, while a common one is best filtered
// along the primary key, and only a plan that knows the tag can tell which it is. A user key's
// list without a tag walks the (owner_key_id, id) index, so its pages cost what its own links cost.
#define HOP_TEXT_FILTER                                                             \
  "($2::text IS NULL OR code COLLATE \"C\" ILIKE $2 OR url COLLATE \"C\" ILIKE $2 " \
  "OR title COLLATE \"C\" ILIKE $2)"
const PgStatement kListLinks{"hop_list_links",
                             "SELECT " HOP_LINK_COLUMNS
                             " FROM links WHERE id < $1::bigint AND " HOP_TEXT_FILTER
                             " ORDER BY id DESC LIMIT $3::integer"};
const PgStatement kListOwnedLinks{"hop_list_owned_links",
                                  "SELECT " HOP_LINK_COLUMNS
                                  " FROM links WHERE owner_key_id = $4::bigint AND id < $1::bigint"
                                  " AND " HOP_TEXT_FILTER " ORDER BY id DESC LIMIT $3::integer"};
const PgStatement kListTaggedLinks{
    "hop_list_tagged_links",
    "SELECT " HOP_LINK_COLUMNS " FROM links WHERE id < $1::bigint AND " HOP_TEXT_FILTER
    " AND tags @> ARRAY[$4::text] AND ($5::bigint IS NULL OR owner_key_id = $5::bigint)"
    " ORDER BY id DESC LIMIT $3::integer",
    /*plan_each_call=*/true};

// One statement: the condition and the increment cannot be separated by another claim, from this
// instance or another. No row means no link; the link's row as it was before the claim says whether
// the claim took.
const PgStatement kClaimVisit{"hop_claim_visit", R"sql(
WITH claimed AS (
  UPDATE links SET visits = visits + 1
  WHERE id = $1::bigint AND (max_visits IS NULL OR visits < max_visits)
  RETURNING id
)
SELECT EXISTS (SELECT FROM claimed) FROM links WHERE id = $1::bigint
)sql"};

// One statement for the whole block list: per host, the host key itself and its subdomains' range
// (store/host_key.h), each an index lookup. `matched` reads the snapshot from before the UPDATE,
// which holds every matching link, disabled now or before; the links disabled now are notified,
// and reading `disabled` is what makes PostgreSQL compute its RETURNING list.
const PgStatement kDisableLinksToHosts{"hop_disable_links_to_hosts", R"sql(
WITH matched AS (
  SELECT links.id, links.code
  FROM unnest($1::text[], $2::text[], $3::text[]) AS hosts (key, subdomains_begin, subdomains_end)
  JOIN links ON links.host_key = hosts.key
             OR (links.host_key >= hosts.subdomains_begin AND links.host_key < hosts.subdomains_end)
), disabled AS (
  UPDATE links SET disabled = true, updated_at = $4::bigint
  WHERE id IN (SELECT id FROM matched) AND NOT disabled
  RETURNING code, )sql" HOP_NOTIFY_LINK_CHANGED R"sql(
)
SELECT code FROM matched UNION SELECT code FROM disabled
)sql"};

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

Link ReadLink(const PgResult& rows, int row) {
  Link link;
  link.id = rows.Int64(row, kId);
  link.code = rows.Text(row, kCode);
  link.fields.url = rows.Text(row, kUrl);
  link.fields.title = rows.OptionalText(row, kTitle);
  link.fields.tags = rows.TextArray(row, kTags);
  if (std::optional<int64_t> expires_at = rows.OptionalInt64(row, kExpiresAt))
    link.fields.expires_at = FromUnixMillis(*expires_at);
  link.fields.max_visits = rows.OptionalInt64(row, kMaxVisits);
  link.fields.redirect_status = rows.Int32(row, kRedirectStatus);
  link.fields.forward_query = rows.Bool(row, kForwardQuery);
  link.fields.owner_key_id = rows.OptionalInt64(row, kOwnerKeyId);
  link.disabled = rows.Bool(row, kDisabled);
  link.created_at = FromUnixMillis(rows.Int64(row, kCreatedAt));
  link.updated_at = FromUnixMillis(rows.Int64(row, kUpdatedAt));
  link.visits = rows.Int64(row, kVisits);
  link.total_clicks = rows.Int64(row, kTotalClicks);
  link.bot_clicks = rows.Int64(row, kBotClicks);
  return link;
}

std::optional<int64_t> ToMillis(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

Status LinkNotFound(std::string_view code) {
  return Status::Error(ErrorCode::kNotFound, "no link has the code \"" + std::string(code) + "\"");
}

Status AliasTaken(std::string_view code) {
  return Status::Error(ErrorCode::kAliasTaken,
                       "the alias \"" + std::string(code) + "\" is already taken");
}

// The single link a statement returned, or kNotFound when it returned none.
Result<Link> OneLink(Result<PgResult> rows, std::string_view code) {
  if (!rows.ok()) return rows.status();
  if (rows.value().rows() == 0) return LinkNotFound(code);
  return ReadLink(rows.value(), 0);
}

// The code each link is inserted with: its alias, or a random code (see NewLink; a sequence would
// make the next code guessable, and enciphering ids would take the id before the insert, a round
// trip more).
std::vector<std::string> CodesToInsert(std::span<const NewLink> links) {
  std::vector<std::string> codes;
  codes.reserve(links.size());
  for (const NewLink& link : links)
    codes.push_back(link.code.empty() ? GenerateShortCode() : link.code);
  return codes;
}

// The parameters of kInsertLinks: `links` column by column, with `codes`.
PgParams InsertLinksParams(std::span<const NewLink> links, std::span<const std::string> codes,
                           TimePoint now) {
  std::vector<std::optional<std::string_view>> code_params, urls, titles, tags;
  std::vector<std::optional<int64_t>> expires_at, max_visits, owners;
  std::vector<int32_t> redirect_statuses;
  std::vector<bool> forward_queries;
  std::vector<std::string> encoded_tags;
  encoded_tags.reserve(links.size());  // `tags` points into it
  for (size_t i = 0; i < links.size(); ++i) {
    const LinkFields& fields = links[i].fields;
    code_params.emplace_back(codes[i]);
    urls.emplace_back(fields.url);
    titles.push_back(fields.title ? std::optional<std::string_view>(*fields.title) : std::nullopt);
    tags.emplace_back(encoded_tags.emplace_back(EncodeTags(fields.tags)));
    expires_at.push_back(ToMillis(fields.expires_at));
    max_visits.push_back(fields.max_visits);
    redirect_statuses.push_back(fields.redirect_status);
    forward_queries.push_back(fields.forward_query);
    owners.push_back(fields.owner_key_id);
  }
  PgParams params;
  params.AddInt64(ToUnixMillis(now));
  params.AddTextArray(code_params);
  params.AddTextArray(urls);
  params.AddTextArray(titles);
  params.AddTextArray(tags);
  params.AddInt64Array(expires_at);
  params.AddInt64Array(max_visits);
  params.AddInt32Array(redirect_statuses);
  params.AddBoolArray(forward_queries);
  params.AddInt64Array(owners);
  return params;
}

}  // namespace

Result<std::vector<Result<Link>>> PostgresStore::CreateLinks(std::span<const NewLink> links,
                                                             TimePoint now) {
  std::vector<Result<Link>> results;
  if (links.empty()) return results;
  const std::vector<std::string> codes = CodesToInsert(links);
  Result<PgResult> rows =
      pool_->Acquire()->Execute(kInsertLinks, InsertLinksParams(links, codes, now));
  if (!rows.ok()) return rows.status();
  // Codes are unique, so each row names the one link of the batch with its code that was stored:
  // the first (see kInsertLinks).
  std::unordered_map<std::string, int64_t> stored;
  for (int row = 0; row < rows.value().rows(); ++row)
    stored.emplace(rows.value().Text(row, 0), rows.value().Int64(row, 1));
  results.reserve(links.size());
  for (size_t i = 0; i < links.size(); ++i) {
    auto it = stored.find(codes[i]);
    if (it == stored.end()) {
      results.emplace_back(AliasTaken(codes[i]));
      continue;
    }
    Link link;
    link.id = it->second;
    link.code = codes[i];
    link.fields = links[i].fields;
    link.created_at = now;
    link.updated_at = now;
    results.emplace_back(std::move(link));
    stored.erase(it);  // a later link with the same code was not stored
  }
  return results;
}

Result<Link> PostgresStore::FindLink(std::string_view code) {
  PgParams params;
  params.AddText(code);
  return OneLink(pool_->Acquire()->Execute(kFindLink, params), code);
}

Result<Link> PostgresStore::UpdateLink(std::string_view code, const LinkPatch& patch, TimePoint now,
                                       std::optional<int64_t> owner_key_id) {
  PgParams params;
  params.AddText(code);
  params.AddTextOrNull(patch.url);
  params.AddBool(patch.title.has_value());
  params.AddTextOrNull(patch.title.value_or(std::nullopt));
  params.AddTextArrayOrNull(patch.tags);
  params.AddBool(patch.expires_at.has_value());
  params.AddInt64OrNull(ToMillis(patch.expires_at.value_or(std::nullopt)));
  params.AddBool(patch.max_visits.has_value());
  params.AddInt64OrNull(patch.max_visits.value_or(std::nullopt));
  params.AddInt32OrNull(patch.redirect_status);
  params.AddBoolOrNull(patch.forward_query);
  params.AddBoolOrNull(patch.disabled);
  params.AddInt64(ToUnixMillis(now));
  params.AddInt64OrNull(owner_key_id);
  return OneLink(pool_->Acquire()->Execute(kUpdateLink, params), code);
}

Status PostgresStore::DeleteLink(std::string_view code, std::optional<int64_t> owner_key_id) {
  PgParams params;
  params.AddText(code);
  params.AddInt64OrNull(owner_key_id);
  Result<PgResult> deleted = pool_->Acquire()->Execute(kDeleteLink, params);
  if (!deleted.ok()) return deleted.status();
  if (deleted.value().rows() == 0) return LinkNotFound(code);
  return Status::Ok();
}

Result<LinkPage> PostgresStore::ListLinks(const LinkQuery& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return Status::Error(ErrorCode::kInvalidRequest, "limit must be between 1 and 1000");
  }
  PgParams params;
  // Without a cursor the bound is past every id, so the query is one keyset range either way.
  params.AddInt64(query.before_id.value_or(std::numeric_limits<int64_t>::max()));
  params.AddTextOrNull(query.text ? std::optional(SubstringLikePattern(*query.text))
                                  : std::nullopt);
  // One row more than the page, which only tells whether another page follows.
  params.AddInt32(query.limit + 1);
  const PgStatement* statement = &kListLinks;
  if (query.tag) {
    params.AddText(*query.tag);
    params.AddInt64OrNull(query.owner_key_id);
    statement = &kListTaggedLinks;
  } else if (query.owner_key_id) {
    params.AddInt64(*query.owner_key_id);
    statement = &kListOwnedLinks;
  }
  Result<PgResult> rows = pool_->Acquire()->Execute(*statement, params);
  if (!rows.ok()) return rows.status();
  LinkPage page;
  int count = std::min(rows.value().rows(), query.limit);
  for (int row = 0; row < count; ++row) page.links.push_back(ReadLink(rows.value(), row));
  if (rows.value().rows() > query.limit) page.next_before_id = page.links.back().id;
  return page;
}

Result<bool> PostgresStore::ClaimVisit(int64_t link_id) {
  PgParams params;
  params.AddInt64(link_id);
  Result<PgResult> claim = pool_->Acquire()->Execute(kClaimVisit, params);
  if (!claim.ok()) return claim.status();
  if (claim.value().rows() == 0) {
    return Status::Error(ErrorCode::kNotFound, "no link has the id " + std::to_string(link_id));
  }
  return claim.value().Bool(0, 0);
}

Result<std::vector<std::string>> PostgresStore::DisableLinksToHosts(
    std::span<const std::string> hosts, TimePoint now) {
  std::vector<std::string> keys;
  std::vector<std::string> begins;
  std::vector<std::string> ends;
  for (const std::string& host : hosts) {
    keys.push_back(HostKeyOf(host));
    begins.push_back(SubdomainKeysBegin(keys.back()));
    ends.push_back(SubdomainKeysEnd(keys.back()));
  }
  PgParams params;
  params.AddTextArray(keys);
  params.AddTextArray(begins);
  params.AddTextArray(ends);
  params.AddInt64(ToUnixMillis(now));
  Result<PgResult> rows = pool_->Acquire()->Execute(kDisableLinksToHosts, params);
  if (!rows.ok()) return rows.status();
  std::vector<std::string> codes;
  for (int row = 0; row < rows.value().rows(); ++row) codes.push_back(rows.value().Text(row, 0));
  return codes;
}

}  // namespace hop
