// SqliteStore: creating, reading, changing, listing, deleting and disabling links, and claiming
// visits.
#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <unordered_set>

#include "core/alias.h"
#include "store/host_key.h"
#include "store/like_pattern.h"
#include "store/link_patch.h"
#include "store/sqlite/sqlite_click_rows.h"
#include "store/sqlite/sqlite_link_codes.h"
#include "store/sqlite/sqlite_link_rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_transaction.h"
#include "store/tags_json.h"

namespace hop {
namespace {

using Mode = SqliteTransaction::Mode;

// The text filter of ListLinks on ?2. LIKE is case-insensitive for ASCII in SQLite, as the
// contract asks. The code comes last: a generated one is computed (sqlite_link_codes.h).
#define HOP_TEXT_FILTER                                                                         \
  "(?2 IS NULL OR url LIKE ?2 ESCAPE '\\' OR title LIKE ?2 ESCAPE '\\' OR link_code(id, code) " \
  "LIKE ?2 ESCAPE '\\')"

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

// An INSERT of `rows` links, ids given. OR IGNORE although CreateLinks has ruled out every
// conflict: it applies to NOT NULL too, which no bound value breaks, so that the statement can
// never abort and needs no statement journal (see CreateLinks). No RETURNING clause: SQLite
// collects its rows in a temporary table, which costs a quarter of the insert, and the ids are
// known.
const std::string& InsertLinksSql(size_t rows) {
  static const std::array<std::string, kRowsPerInsert + 1> sql = [] {
    std::array<std::string, kRowsPerInsert + 1> texts;
    for (size_t n = 1; n <= kRowsPerInsert; ++n) {
      texts[n] =
          "INSERT OR IGNORE INTO links (id, code, url, title, tags, created_at, updated_at, "
          "expires_at, max_visits, redirect_status, forward_query, owner_key_id, host_key) "
          "VALUES " +
          RepeatedRows("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", n);
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

// A new link's row: its id, and the code it answers to.
struct NewRow {
  int64_t id;
  std::string code;
  bool generated;  // code not stored: the id enciphered
};

// Gives the links of one CreateLinks call their ids and codes, in order, under the write lock.
// Ids come from AUTOINCREMENT's counter, above every id ever used. A generated code is the next id
// enciphered; an id whose code is a reserved word or a stored code (an alias, or a random code from
// before schema version 7) is passed over. An alias is taken when a stored code or an existing
// generated code equals it, counting the links before it in the call.
class RowPlanner {
 public:
  RowPlanner(SqliteConnection& writer, const LinkCodeCipher& cipher, int64_t next_id)
      : writer_(writer), cipher_(cipher), first_id_(next_id), next_id_(next_id) {}

  // The row of `link`, or none when its alias is taken.
  Result<std::optional<NewRow>> Plan(const NewLink& link) {
    if (link.code.empty()) return Generated();
    Result<bool> taken = AliasIsTaken(link.code);
    if (!taken.ok()) return taken.status();
    if (taken.value()) return std::optional<NewRow>();
    aliases_.insert(link.code);
    return Assign(link.code, false);
  }

 private:
  Result<std::optional<NewRow>> Generated() {
    for (;;) {
      std::string code = cipher_.Encode(next_id_);
      Result<bool> stored = StoredCodeTaken(code);
      if (!stored.ok()) return stored.status();
      if (!stored.value() && !IsReservedWord(code)) return Assign(std::move(code), true);
      generated_.push_back(false);
      ++next_id_;
    }
  }

  Result<std::optional<NewRow>> Assign(std::string code, bool generated) {
    // Minute rows key a link by 32 bits (sqlite_click_rows.h); the caller rolls back.
    if (next_id_ > kMaxKeyedLinkId) {
      return Status::Error(ErrorCode::kInternal,
                           "link ids are used up: minute_clicks keys hold ids up to 2^32 - 1");
    }
    generated_.push_back(generated);
    return std::optional<NewRow>(NewRow{next_id_++, std::move(code), generated});
  }

  Result<bool> StoredCodeTaken(const std::string& code) {
    if (aliases_.contains(code)) return true;
    Result<SqliteStatement> stmt = writer_.Prepare("SELECT 1 FROM links WHERE code = ?");
    if (!stmt.ok()) return stmt.status();
    return stmt.value().Bind(code).Step();
  }

  // Links of this call are not in the table yet; every other link is found as a lookup finds it.
  Result<bool> AliasIsTaken(const std::string& alias) {
    if (aliases_.contains(alias)) return true;
    if (const std::optional<int64_t> id = cipher_.Decode(alias);
        id && *id >= first_id_ && *id < next_id_ &&
        generated_[static_cast<size_t>(*id - first_id_)])
      return true;
    Result<Link> existing = FindLinkByCode(writer_, cipher_, alias);
    if (existing.ok()) return true;
    if (existing.status().code() == ErrorCode::kNotFound) return false;
    return existing.status();
  }

  SqliteConnection& writer_;
  const LinkCodeCipher& cipher_;
  const int64_t first_id_;
  int64_t next_id_;
  std::vector<bool> generated_;              // per id from first_id_: given to a generated link
  std::unordered_set<std::string> aliases_;  // stored by this call
};

// The id AUTOINCREMENT would give next.
Result<int64_t> NextLinkId(SqliteConnection& writer) {
  Result<SqliteStatement> seq = writer.Prepare(
      "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'links'), 0) + 1");
  if (!seq.ok()) return seq.status();
  Result<bool> row = seq.value().Step();
  if (!row.ok()) return row.status();
  return seq.value().Int(0);
}

// Inserts `links` (at most kRowsPerInsert) as `rows` with one statement.
Status InsertLinkRows(SqliteConnection& writer, std::span<const NewLink* const> links,
                      std::span<const NewRow> rows, int64_t now) {
  Result<SqliteStatement> insert = writer.Prepare(InsertLinksSql(links.size()));
  if (!insert.ok()) return insert.status();
  // Bound without copying, so the text computed here must live until the statement has run.
  std::vector<std::string> tags, host_keys;
  tags.reserve(links.size());
  host_keys.reserve(links.size());
  for (size_t i = 0; i < links.size(); ++i) {
    const LinkFields& fields = links[i]->fields;
    const std::optional<std::string_view> code =
        rows[i].generated ? std::nullopt : std::optional<std::string_view>(rows[i].code);
    insert.value().BindBorrowed(
        static_cast<int>(13 * i + 1), rows[i].id, code, fields.url, fields.title,
        tags.emplace_back(EncodeTags(fields.tags)), now, now, ToMillis(fields.expires_at),
        fields.max_visits, int64_t{fields.redirect_status}, int64_t{fields.forward_query},
        fields.owner_key_id, host_keys.emplace_back(HostKeyOfUrl(fields.url)));
  }
  if (Status s = insert.value().Run(); !s.ok()) return s;
  if (writer.changes() != static_cast<int64_t>(links.size())) {
    return Status::Error(ErrorCode::kInternal, "a new link's row was refused");
  }
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

// The link with `code`, for a change on behalf of `owner_key_id` when set: kNotFound also for a
// link of another owner.
Result<Link> FindOwnedLink(SqliteConnection& writer, SqliteLinkCodes& codes, std::string_view code,
                           std::optional<int64_t> owner_key_id) {
  Result<const LinkCodeCipher*> cipher = codes.Cipher(writer);
  if (!cipher.ok()) return cipher.status();
  Result<Link> link = FindLinkByCode(writer, *cipher.value(), code);
  if (link.ok() && owner_key_id && link.value().fields.owner_key_id != owner_key_id)
    return LinkNotFound(code);
  return link;
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
  // SQLite keeps a copy of every page it changes, to undo it alone. New links are referred to by
  // nothing yet, and their tag rows refer to them, so the owner is the one foreign key to check,
  // and CheckOwnersExist does it per batch.
  const bool large_batch = links.size() >= kMinLinksWithoutForeignKeys;
  SqliteConnectionPool::WriterLease writer = pool_->Writer(
      large_batch ? SqliteConnection::WriteMode::kLargeBatch : SqliteConnection::WriteMode::kUsual);
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  Result<const LinkCodeCipher*> cipher = pool_->link_codes().Cipher(*writer);
  if (!cipher.ok()) return cipher.status();
  if (large_batch) {
    if (Status s = CheckOwnersExist(*writer, links); !s.ok()) return s;
  }
  Result<int64_t> next_id = NextLinkId(*writer);
  if (!next_id.ok()) return next_id.status();
  RowPlanner planner(*writer, *cipher.value(), next_id.value());
  std::vector<std::optional<NewRow>> planned;  // none for an alias that was taken
  planned.reserve(links.size());
  std::vector<const NewLink*> to_insert;
  std::vector<NewRow> rows;
  for (const NewLink& link : links) {
    Result<std::optional<NewRow>> row = planner.Plan(link);
    if (!row.ok()) return row.status();
    if (row.value()) {
      to_insert.push_back(&link);
      rows.push_back(*row.value());
    }
    planned.push_back(std::move(row).value());
  }
  for (size_t first = 0; first < rows.size(); first += kRowsPerInsert) {
    const size_t count = std::min(kRowsPerInsert, rows.size() - first);
    if (Status s = InsertLinkRows(*writer, std::span(to_insert).subspan(first, count),
                                  std::span(rows).subspan(first, count), ToUnixMillis(now));
        !s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < to_insert.size(); ++i) {
    if (to_insert[i]->fields.tags.empty()) continue;
    if (Status s = InsertLinkTags(*writer, rows[i].id, to_insert[i]->fields.tags); !s.ok())
      return s;
  }
  if (Status s = transaction.Commit(); !s.ok()) return s;
  for (size_t i = 0; i < links.size(); ++i) {
    if (!planned[i]) {
      results.emplace_back(AliasTaken(links[i].code));
      continue;
    }
    Link link;
    link.id = planned[i]->id;
    link.code = std::move(planned[i]->code);
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
  Result<const LinkCodeCipher*> cipher = pool_->link_codes().Cipher(*reader.value());
  if (!cipher.ok()) return cipher.status();
  return FindLinkByCode(*reader.value(), *cipher.value(), code);
}

Result<Link> SqliteStore::UpdateLink(std::string_view code, const LinkPatch& patch, TimePoint now,
                                     std::optional<int64_t> owner_key_id) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  // Read, check the owner, patch and write back under the write lock: no other writer, in this
  // process or another, can change the link in between, so the answer is exactly what was stored.
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  Result<Link> link = FindOwnedLink(*writer, pool_->link_codes(), code, owner_key_id);
  if (!link.ok()) return link.status();
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
  // The foreign keys' ON DELETE CASCADE removes the link's tag rows and click buckets with it.
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(Mode::kWrite); !s.ok()) return s;
  Result<Link> link = FindOwnedLink(*writer, pool_->link_codes(), code, owner_key_id);
  if (!link.ok()) return link.status();
  Result<SqliteStatement> stmt = writer->Prepare("DELETE FROM links WHERE id = ?");
  if (!stmt.ok()) return stmt.status();
  if (Status s = stmt.value().Bind(link.value().id).Run(); !s.ok()) return s;
  return transaction.Commit();
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
  if (Result<const LinkCodeCipher*> cipher = pool_->link_codes().Cipher(*reader.value());
      !cipher.ok()) {
    return cipher.status();
  }
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
  if (Result<const LinkCodeCipher*> cipher = pool_->link_codes().Cipher(*writer); !cipher.ok())
    return cipher.status();
  std::vector<std::string> codes;
  for (const std::string& host : hosts) {
    const std::string key = HostKeyOf(host);
    Result<SqliteStatement> matched =
        writer->Prepare("SELECT link_code(id, code) FROM links WHERE " HOP_HOST_MATCH);
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
