// SqliteStore: creating, reading, changing, listing, deleting and disabling links, and claiming
// visits.
#include <algorithm>
#include <array>
#include <limits>
#include <optional>

#include "store/host_key.h"
#include "store/like_pattern.h"
#include "store/link_patch.h"
#include "store/sqlite/sqlite_click_rows.h"
#include "store/sqlite/sqlite_link_rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_transaction.h"
#include "store/tags_json.h"

namespace hop {
namespace {

using Mode = SqliteTransaction::Mode;

// The text filter of ListLinks on ?2. LIKE is case-insensitive for ASCII in SQLite, as the
// contract asks.
#define HOP_TEXT_FILTER                                                                         \
  "(?2 IS NULL OR code LIKE ?2 ESCAPE '\\' OR url LIKE ?2 ESCAPE '\\' OR title LIKE ?2 ESCAPE " \
  "'\\')"

// A link to the host key ?1 or to one of its subdomains (?2 <= key < ?3, see host_key.h): two
// index lookups, whatever the number of links.
#define HOP_HOST_MATCH "(host_key = ?1 OR (host_key >= ?2 AND host_key < ?3))"

std::optional<int64_t> ToMillis(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

Status AliasTaken(std::string_view code) {
  return Status::Error(ErrorCode::kAliasTaken,
                       "the alias \"" + std::string(code) + "\" is already taken");
}

// Rows per INSERT statement. A statement per row pays SQLite's work per statement (starting and
// halting its program, reading and writing the AUTOINCREMENT counter) for every link, which cost as
// much as inserting the row. Past a few dozen rows a longer statement saves little and costs more
// to prepare, which a batch without foreign keys does again after any other write.
constexpr size_t kRowsPerInsert = 32;

// From this many links on, a batch is written without foreign keys (see CreateLinks): the statement
// journal that spares costs more than preparing the statements again. Callgrind on a million
// links: break-even at about 256 links a batch; 3% fewer instructions at 1,000, 17% at 4,000.
constexpr size_t kMinLinksWithoutForeignKeys = 512;

// An INSERT of `rows` links. A conflict on code, the only UNIQUE key, inserts nothing rather than
// failing the transaction. OR IGNORE rather than ON CONFLICT DO NOTHING: it applies to NOT NULL
// too, which no bound value breaks, so that the statement can never abort and needs no statement
// journal (see CreateLinks). No RETURNING clause: SQLite collects its rows in a temporary table,
// which costs a quarter of the insert, and the ids can be known without it (InsertLinkRows).
const std::string& InsertLinksSql(size_t rows) {
  static const std::array<std::string, kRowsPerInsert + 1> sql = [] {
    std::array<std::string, kRowsPerInsert + 1> texts;
    for (size_t n = 1; n <= kRowsPerInsert; ++n) {
      texts[n] =
          "INSERT OR IGNORE INTO links (code, url, title, tags, created_at, updated_at, "
          "expires_at, max_visits, redirect_status, forward_query, owner_key_id, host_key) "
          "VALUES " +
          RepeatedRows("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", n);
    }
    return texts;
  }();
  return sql[rows];
}

// The foreign key from a link to its owner's API key, checked once per owner in the batch: a key
// is never deleted, and the write lock keeps other writers out until the commit.
Status CheckOwnersExist(SqliteConnection& writer, std::span<const NewLink> links) {
  std::vector<int64_t> owners;
  for (const NewLink& link : links) {
    if (link.fields.owner_key_id) owners.push_back(*link.fields.owner_key_id);
  }
  std::sort(owners.begin(), owners.end());
  owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
  for (int64_t owner : owners) {
    Result<SqliteStatement> key = writer.Prepare("SELECT 1 FROM api_keys WHERE id = ?");
    if (!key.ok()) return key.status();
    Result<bool> found = key.value().Bind(owner).Step();
    if (!found.ok()) return found.status();
    if (!found.value()) {
      return Status::Error(ErrorCode::kInternal,
                           "no API key has the id " + std::to_string(owner) + ", owner of a link");
    }
  }
  return Status::Ok();
}

// After an INSERT that stored `stored` of `links`, sets the ids of those stored. AUTOINCREMENT
// gives every new row an id above every id ever used, so they are the `stored` newest rows; of two
// links with one code the first went in, as rows go in in order.
Status FindStoredIds(SqliteConnection& writer, std::span<const NewLink> links, int64_t stored,
                     std::span<std::optional<int64_t>> ids) {
  Result<SqliteStatement> newest =
      writer.Prepare("SELECT id, code FROM links ORDER BY id DESC LIMIT ?");
  if (!newest.ok()) return newest.status();
  newest.value().Bind(stored);
  for (;;) {
    Result<bool> row = newest.value().Step();
    if (!row.ok()) return row.status();
    if (!row.value()) return Status::Ok();
    const std::string code = newest.value().Text(1);
    for (size_t i = 0; i < links.size(); ++i) {
      if (!ids[i] && links[i].code == code) {
        ids[i] = newest.value().Int(0);
        break;
      }
    }
  }
}

// Inserts `links` (at most kRowsPerInsert) with one statement and sets the id of each one stored.
// kInternal past the largest id a minute row's key holds (sqlite_click_rows.h, schema version 6).
Status InsertLinkRows(SqliteConnection& writer, std::span<const NewLink> links, int64_t now,
                      std::span<std::optional<int64_t>> ids) {
  Result<SqliteStatement> insert = writer.Prepare(InsertLinksSql(links.size()));
  if (!insert.ok()) return insert.status();
  // Bound without copying, so the text computed here must live until the statement has run.
  std::vector<std::string> tags, host_keys;
  tags.reserve(links.size());
  host_keys.reserve(links.size());
  for (size_t i = 0; i < links.size(); ++i) {
    const LinkFields& fields = links[i].fields;
    insert.value().BindBorrowed(
        static_cast<int>(12 * i + 1), links[i].code, fields.url, fields.title,
        tags.emplace_back(EncodeTags(fields.tags)), now, now, ToMillis(fields.expires_at),
        fields.max_visits, int64_t{fields.redirect_status}, int64_t{fields.forward_query},
        fields.owner_key_id, host_keys.emplace_back(HostKeyOfUrl(fields.url)));
  }
  if (Status s = insert.value().Run(); !s.ok()) return s;
  const auto stored = writer.changes();
  // The newest id is the largest: ids only grow (AUTOINCREMENT). The caller rolls back.
  if (stored > 0 && writer.last_insert_id() > kMaxKeyedLinkId) {
    return Status::Error(ErrorCode::kInternal,
                         "link ids are used up: minute_clicks keys hold ids up to 2^32 - 1");
  }
  if (stored != static_cast<int64_t>(links.size()))
    return FindStoredIds(writer, links, stored, ids);
  // Every row went in, in order, and each took the next id (see FindStoredIds): the write lock
  // keeps every other writer out meanwhile.
  const int64_t first_id = writer.last_insert_id() - stored + 1;
  for (size_t i = 0; i < links.size(); ++i) ids[i] = first_id + static_cast<int64_t>(i);
  return Status::Ok();
}

// Writes back every column a patch can change.
Status WritePatchedLink(SqliteConnection& writer, const Link& link) {
  Result<SqliteStatement> update = writer.Prepare(
      "UPDATE links SET url = ?, title = ?, tags = ?, expires_at = ?, max_visits = ?, "
      "redirect_status = ?, forward_query = ?, disabled = ?, updated_at = ?, host_key = ? "
      "WHERE id = ?");
  if (!update.ok()) return update.status();
  const LinkFields& fields = link.fields;
  return update.value()
      .Bind(fields.url, fields.title, EncodeTags(fields.tags), ToMillis(fields.expires_at),
            fields.max_visits, int64_t{fields.redirect_status}, int64_t{fields.forward_query},
            int64_t{link.disabled}, ToUnixMillis(link.updated_at), HostKeyOfUrl(fields.url),
            link.id)
      .Run();
}

// Reads one page of rows plus one more, which only tells whether another page follows.
Result<LinkPage> ReadPage(SqliteStatement& stmt, int limit) {
  LinkPage page;
  for (;;) {
    Result<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    if (static_cast<int>(page.links.size()) == limit) {
      page.next_before_id = page.links.back().id;
      break;
    }
    Result<Link> link = ReadLinkRow(stmt);
    if (!link.ok()) return link.status();
    page.links.push_back(std::move(link).value());
  }
  return page;
}

}  // namespace

Result<std::vector<Result<Link>>> SqliteStore::CreateLinks(std::span<const NewLink> links,
                                                           TimePoint now) {
  std::vector<Result<Link>> results;
  if (links.empty()) return results;
  results.reserve(links.size());
  // With foreign keys on, a multi-row INSERT could abort half way on an owner that is missing, so
  // SQLite keeps a copy of every page it changes, to undo it alone: an index page per link, a sixth
  // of a large batch's work. New links are referred to by nothing yet, and their tag rows refer to
  // them, so the owner is the one foreign key to check, and CheckOwnersExist does it per batch.
  const bool large_batch = links.size() >= kMinLinksWithoutForeignKeys;
  SqliteConnectionPool::WriterLease writer = pool_->Writer(
      large_batch ? SqliteConnection::WriteMode::kLargeBatch : SqliteConnection::WriteMode::kUsual);
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  if (large_batch) {
    if (Status s = CheckOwnersExist(*writer, links); !s.ok()) return s;
  }
  std::vector<std::optional<int64_t>> ids(links.size());  // none for a code that was taken
  for (size_t first = 0; first < links.size(); first += kRowsPerInsert) {
    const size_t count = std::min(kRowsPerInsert, links.size() - first);
    if (Status s = InsertLinkRows(*writer, links.subspan(first, count), ToUnixMillis(now),
                                  std::span(ids).subspan(first, count));
        !s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < links.size(); ++i) {
    if (!ids[i] || links[i].fields.tags.empty()) continue;
    if (Status s = InsertLinkTags(*writer, *ids[i], links[i].fields.tags); !s.ok()) return s;
  }
  if (Status s = transaction.Commit(); !s.ok()) return s;
  for (size_t i = 0; i < links.size(); ++i) {
    if (!ids[i]) {
      results.emplace_back(AliasTaken(links[i].code));
      continue;
    }
    Link link;
    link.id = *ids[i];
    link.code = links[i].code;
    link.fields = links[i].fields;
    link.created_at = now;
    link.updated_at = now;
    results.emplace_back(std::move(link));
  }
  return results;
}

Result<Link> SqliteStore::FindLink(std::string_view code) {
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  return FindLinkByCode(*reader.value(), code);
}

Result<Link> SqliteStore::UpdateLink(std::string_view code, const LinkPatch& patch, TimePoint now,
                                     std::optional<int64_t> owner_key_id) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  // Read, check the owner, patch and write back under the write lock: no other writer, in this
  // process or another, can change the link in between, so the answer is exactly what was stored.
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  Result<Link> link = FindLinkByCode(*writer, code);
  if (!link.ok()) return link.status();
  if (owner_key_id && link.value().fields.owner_key_id != owner_key_id) return LinkNotFound(code);
  ApplyLinkPatch(patch, now, link.value());
  if (Status s = WritePatchedLink(*writer, link.value()); !s.ok()) return s;
  if (patch.tags) {
    if (Status s = ReplaceLinkTags(*writer, link.value().id, *patch.tags); !s.ok()) return s;
  }
  if (Status s = transaction.Commit(); !s.ok()) return s;
  return link;
}

Status SqliteStore::DeleteLink(std::string_view code, std::optional<int64_t> owner_key_id) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  // One statement, so one implicit transaction: the foreign keys' ON DELETE CASCADE removes the
  // link's tag rows and click buckets together with it.
  Result<SqliteStatement> stmt =
      writer->Prepare("DELETE FROM links WHERE code = ?1 AND (?2 IS NULL OR owner_key_id = ?2)");
  if (!stmt.ok()) return stmt.status();
  if (Status s = stmt.value().Bind(code, owner_key_id).Run(); !s.ok()) return s;
  if (writer->changes() == 0) return LinkNotFound(code);
  return Status::Ok();
}

Result<LinkPage> SqliteStore::ListLinks(const LinkQuery& query) {
  if (query.limit < 1 || query.limit > 1000) {
    return Status::Error(ErrorCode::kInvalidRequest, "limit must be between 1 and 1000");
  }
  // Without a cursor the bound is past every id, so the query is one keyset range either way.
  int64_t before_id = query.before_id.value_or(std::numeric_limits<int64_t>::max());
  std::optional<std::string> pattern;
  if (query.text) pattern = SubstringLikePattern(*query.text);
  // A tag filter walks link_tags' (tag, link_id) key instead of every link, so a rare tag costs
  // what its links cost; an owner filter without a tag walks the (owner_key_id, id) index, so a
  // user's page costs what its links cost however many other links there are.
  static const std::string all =
      SelectLinks("FROM links WHERE id < ?1 AND " HOP_TEXT_FILTER " ORDER BY id DESC LIMIT ?3");
  static const std::string owned =
      SelectLinks("FROM links WHERE owner_key_id = ?4 AND id < ?1 AND " HOP_TEXT_FILTER
                  " ORDER BY id DESC LIMIT ?3");
  static const std::string tagged = SelectLinks(
      "FROM link_tags JOIN links ON links.id = link_tags.link_id "
      "WHERE link_tags.tag = ?5 AND link_tags.link_id < ?1 AND " HOP_TEXT_FILTER
      " AND (?4 IS NULL OR owner_key_id = ?4) ORDER BY link_tags.link_id DESC LIMIT ?3");
  Result<SqliteConnectionPool::ReaderLease> reader = pool_->Reader();
  if (!reader.ok()) return reader.status();
  Result<SqliteStatement> stmt = reader.value()->Prepare(query.tag            ? tagged
                                                         : query.owner_key_id ? owned
                                                                              : all);
  if (!stmt.ok()) return stmt.status();
  int64_t fetch = int64_t{query.limit} + 1;
  if (query.tag) {
    stmt.value().Bind(before_id, pattern, fetch, query.owner_key_id, *query.tag);
  } else if (query.owner_key_id) {
    stmt.value().Bind(before_id, pattern, fetch, *query.owner_key_id);
  } else {
    stmt.value().Bind(before_id, pattern, fetch);
  }
  return ReadPage(stmt.value(), query.limit);
}

Result<bool> SqliteStore::ClaimVisit(int64_t link_id) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  // The condition and the increment are one statement, so two claims can never both take the last
  // visit, whichever process they come from.
  Result<SqliteStatement> claim = writer->Prepare(
      "UPDATE links SET visits = visits + 1 "
      "WHERE id = ? AND (max_visits IS NULL OR visits < max_visits)");
  if (!claim.ok()) return claim.status();
  if (Status s = claim.value().Bind(link_id).Run(); !s.ok()) return s;
  if (writer->changes() == 1) return true;
  Result<SqliteStatement> exists = writer->Prepare("SELECT 1 FROM links WHERE id = ?");
  if (!exists.ok()) return exists.status();
  Result<bool> row = exists.value().Bind(link_id).Step();
  if (!row.ok()) return row.status();
  if (!row.value()) {
    return Status::Error(ErrorCode::kNotFound, "no link has the id " + std::to_string(link_id));
  }
  return false;
}

Result<std::vector<std::string>> SqliteStore::DisableLinksToHosts(
    std::span<const std::string> hosts, TimePoint now) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  std::vector<std::string> codes;
  for (const std::string& host : hosts) {
    const std::string key = HostKeyOf(host);
    Result<SqliteStatement> matched =
        writer->Prepare("SELECT code FROM links WHERE " HOP_HOST_MATCH);
    if (!matched.ok()) return matched.status();
    matched.value().Bind(key, SubdomainKeysBegin(key), SubdomainKeysEnd(key));
    for (;;) {
      Result<bool> row = matched.value().Step();
      if (!row.ok()) return row.status();
      if (!row.value()) break;
      codes.push_back(matched.value().Text(0));
    }
    Result<SqliteStatement> disable = writer->Prepare(
        "UPDATE links SET disabled = 1, updated_at = ?4 WHERE disabled = 0 AND " HOP_HOST_MATCH);
    if (!disable.ok()) return disable.status();
    disable.value().Bind(key, SubdomainKeysBegin(key), SubdomainKeysEnd(key), ToUnixMillis(now));
    if (Status s = disable.value().Run(); !s.ok()) return s;
  }
  if (Status s = transaction.Commit(); !s.ok()) return s;
  return codes;
}

}  // namespace hop
