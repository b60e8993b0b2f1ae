// Store: hop's durable state, behind one interface with a SQLite and a PostgreSQL implementation.
//
// The store keeps links and their click counts per minute, hour and day (see core/click_windows.h),
// the all-time totals on each link, and the API keys (by hash only) that links belong to. A click
// write adds to the minute counts only; RollUpClicks folds finished minutes into the hours, days
// and totals later, and every click read is exact whether or not that has happened yet. It is the
// only layer that talks to a database; the service above it owns caching and click batching. One
// contract test suite (tests/store) runs against every implementation, so the two cannot drift
// apart.
//
// Thread-safety: every method may be called concurrently from any thread without external locking.
// Durability: a method that changes state has committed it when it returns Ok; a crash of the
// process after that loses nothing. Errors: kStoreUnavailable when the database cannot be reached
// or is busy past its timeout, kInternal for anything the database reports that the caller could
// not have caused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_key.h"
#include "core/click.h"
#include "core/click_windows.h"
#include "core/link.h"
#include "core/status.h"

namespace hop {

// A link for CreateLinks to insert: its alias, or empty for a generated code, and its fields
// (REQUIRES: validated, the URL normalized).
//
// The store generates codes: 7 characters of base62, never a reserved word (core/alias.h), that
// nobody can predict from other codes. SQLite enciphers the link's id under a key of the database
// (core/link_code_cipher.h), so its codes never collide; PostgreSQL draws them at random
// (core/short_code.h), and one that turns out taken fails that link with kAliasTaken, for the
// caller to try again.
struct NewLink {
  std::string code;
  LinkFields fields;
};

// A page request for ListLinks: newest first, keyset pagination on the link id.
struct LinkQuery {
  int limit = 50;                       // REQUIRES: 1..1000
  std::optional<int64_t> before_id;     // only links with id < before_id (the cursor)
  std::optional<std::string> text;      // substring of code, url or title (case-insensitive ASCII)
  std::optional<std::string> tag;       // exact tag
  std::optional<int64_t> owner_key_id;  // only links created by this key
};

struct LinkPage {
  std::vector<Link> links;
  std::optional<int64_t> next_before_id;  // set when more links may follow
};

// Click counts of one link: the all-time totals and one sum per requested minute span, read in one
// snapshot so that nested spans can never disagree.
struct ClickTotals {
  int64_t total = 0;
  int64_t bot_total = 0;
  std::vector<int64_t> span_sums;  // human clicks, in the order of the spans asked for
};

// Human clicks of one bucket; series are sparse, the service fills the gaps with zeros.
struct BucketCount {
  int64_t bucket;
  int64_t clicks;
};

// What a store that several processes share reports about changes to links, so that each process
// can drop what its caches hold. Called on the feed's own thread, one call at a time.
struct LinkChangeHandler {
  // A link was created, changed or deleted, by any process, this one included; called after the
  // change committed.
  std::function<void(const std::string& code)> changed;
  // Any link may have changed unreported: the feed has just started listening, or listens again
  // after losing its connection, and changes made meanwhile were not reported.
  std::function<void()> all_changed;
};

// A running subscription of a LinkChangeHandler. Destroying it stops the reports: once the
// destructor returns, the handler is not called again.
class LinkChangeFeed {
 public:
  LinkChangeFeed() = default;
  LinkChangeFeed(const LinkChangeFeed&) = delete;
  LinkChangeFeed& operator=(const LinkChangeFeed&) = delete;
  virtual ~LinkChangeFeed() = default;
};

// The most (link, minute) entries one AddClicks call carries by default: PostgreSQL writes 10,000
// in a few hundred milliseconds, far from its default statement timeout of 10 s.
inline constexpr size_t kMaxEntriesPerWrite = 10'000;

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // Brings the schema to the newest version; idempotent, safe to run from several processes at
  // once.
  virtual Status Migrate() = 0;

  // Ok when the database answers a trivial query now.
  virtual Status Ping() = 0;

  // The methods that return a Link fill its total_clicks and bot_clicks with the clicks rolled up
  // so far (RollUpClicks), which costs nothing to read; ReadAllTimeClicks has the exact numbers.

  // Inserts `links` in one transaction, each with created_at = updated_at = `now`, and returns one
  // result per link, in the order of `links`: the link with its id and code, or kAliasTaken for
  // one whose code exists, stored before or earlier in `links` (that one alone is not inserted).
  // Any other failure fails the whole call (kStoreUnavailable, kInternal) and commits none of them.
  // An empty `links` touches nothing.
  virtual Result<std::vector<Result<Link>>> CreateLinks(std::span<const NewLink> links,
                                                        TimePoint now) = 0;

  // CreateLinks of one link: the link, or kAliasTaken when a link with `code` exists.
  Result<Link> CreateLink(std::string_view code, const LinkFields& fields, TimePoint now) {
    const NewLink link{std::string(code), fields};
    Result<std::vector<Result<Link>>> created = CreateLinks({&link, 1}, now);
    if (!created.ok()) return created.status();
    return std::move(created.value().front());
  }

  // kNotFound when no link has `code`.
  virtual Result<Link> FindLink(std::string_view code) = 0;

  // Applies `patch` (REQUIRES: validated) and sets updated_at = `now`. kNotFound when no link has
  // `code`, or when `owner_key_id` is set and the link was not created by that key: the owner is
  // checked in the same statement as the change, so a link deleted and re-created under the same
  // code in between is never changed on behalf of the first one's owner.
  virtual Result<Link> UpdateLink(std::string_view code, const LinkPatch& patch, TimePoint now,
                                  std::optional<int64_t> owner_key_id) = 0;

  // Deletes the link and its click counts: no read counts them from then on, and its minute counts
  // go with their minute (PruneClickBuckets). kNotFound as UpdateLink.
  virtual Status DeleteLink(std::string_view code, std::optional<int64_t> owner_key_id) = 0;

  virtual Result<LinkPage> ListLinks(const LinkQuery& query) = 0;

  // Atomically grants one visit to a link that has max_visits: true and visits+1 when visits <
  // max_visits, false (nothing changed) when exhausted. Links without max_visits always get true.
  // kNotFound if gone.
  virtual Result<bool> ClaimVisit(int64_t link_id) = 0;

  // Adds the clicks, all in one transaction; every read from then on counts them. Clicks of a link
  // deleted meanwhile count nowhere: no read, rollup or later link sees them (ids are never
  // reused), and what they leave in the minute counts is pruned with its minute
  // (PruneClickBuckets). Each entry costs one write to the minute counts, near those of the same
  // minute (on SQLite, while its minute is open, 12 bytes of a journal row: the minute's rows are
  // written once after it closes), so entries in (minute, link_id) order are cheapest; the link's
  // existence is not checked on that path. An entry whose minute was rolled up already (it waited
  // out an outage) also goes to its hour, day and link at once. REQUIRES: at most one entry per
  // (link_id, minute); every link_id is that of a link this store created; humans and bots within
  // 0..2^32 - 1 (SQLite refuses others with kInvalidRequest before writing anything).
  virtual Status AddClicks(std::span<const MinuteClicks> clicks) = 0;
  // The most entries one AddClicks call should carry: a larger backlog (after an outage, or behind
  // a slow database) is written in calls of this many, so that no transaction runs past the store's
  // statement timeout, fails, and grows. At least 1; kMaxEntriesPerWrite unless the store says
  // otherwise.
  virtual size_t max_clicks_per_write() const { return kMaxEntriesPerWrite; }

  // Says that no clicks of minutes before `minute` are expected any more: the clock has passed
  // them and every click recorded so far was given to AddClicks. A store that keeps the newest
  // minutes apart in memory (SQLite's click journal, which closes a minute only when a later
  // one's clicks arrive) writes a bounded part of those minutes and gives their memory back, so an
  // idle server does not hold its last minute's counts until the next click. True once it holds
  // no minute in memory any more; the default, for stores that hold none, is true. Clicks that
  // come later for those minutes are still counted (AddClicks).
  virtual Result<bool> CloseMinutesBefore(int64_t minute) {
    (void)minute;
    return true;
  }

  // Folds the minute counts of every minute before `before_minute` into the hour and day buckets
  // and the links' totals, so that reads of them stay a bounded number of rows (click_windows.h);
  // reads are exact with or without it. The work goes in steps, each its own transaction over at
  // most `links_per_step` link ids (on SQLite, first over the minutes' rows still in the click
  // journal, a bounded part per step), so that no step holds the database for long however busy
  // the store is. Returns true once everything before `before_minute` is folded (at once when it
  // was already), false when steps remain: call again. Concurrent calls, from other processes too,
  // share the work. REQUIRES: links_per_step >= 1.
  virtual Result<bool> RollUpClicks(int64_t before_minute, int64_t links_per_step) = 0;

  // Totals of `link_id` and the human clicks within each span. kNotFound when the link does not
  // exist.
  virtual Result<ClickTotals> ReadClickTotals(int64_t link_id,
                                              std::span<const MinuteSpan> spans) = 0;

  // The all-time totals of each of `link_ids` (span_sums empty), in that order, in one snapshot:
  // what a link's total_clicks and bot_clicks count once every click is rolled up. Zeros for a link
  // that does not exist. The cost is about one index lookup per link per minute not rolled up yet.
  virtual Result<std::vector<ClickTotals>> ReadAllTimeClicks(std::span<const int64_t> link_ids) = 0;

  // Non-zero buckets of `granularity` numbered first..last (inclusive), ascending; none for a link
  // that does not exist.
  virtual Result<std::vector<BucketCount>> ReadClickSeries(int64_t link_id, Granularity granularity,
                                                           int64_t first, int64_t last) = 0;

  // Deletes minute buckets older than `minute_before`, deleted links' ones included, and hour
  // buckets older than `hour_before`. Minute buckets not rolled up yet are kept, whatever their
  // age.
  virtual Status PruneClickBuckets(int64_t minute_before, int64_t hour_before) = 0;

  // Disables every link whose target host is one of `hosts` or a subdomain of one (REQUIRES: hosts
  // normalized as ParseBlockList does), setting their updated_at to `now`, in one transaction.
  // Returns the codes of all links to those hosts, those that were disabled already included, so
  // that every instance can drop them from its caches, whichever instance disabled them.
  virtual Result<std::vector<std::string>> DisableLinksToHosts(std::span<const std::string> hosts,
                                                               TimePoint now) = 0;

  // Inserts `key` (its id is ignored; REQUIRES: a valid name and a hash from HashApiKey) and
  // returns it with its id. kInvalidRequest when a key with the same name exists, revoked or not.
  virtual Result<ApiKey> CreateApiKey(const ApiKey& key) = 0;

  // The key whose hash is `hash`, revoked and expired ones included: the caller judges them.
  // kNotFound when there is none.
  virtual Result<ApiKey> FindApiKeyByHash(std::string_view hash) = 0;

  // Every key, revoked and expired ones included, oldest first.
  virtual Result<std::vector<ApiKey>> ListApiKeys() = 0;

  // Marks the key named `name` revoked at `now` and returns it; a key revoked before keeps its
  // first revocation time. kNotFound when no key has that name.
  virtual Result<ApiKey> RevokeApiKey(std::string_view name, TimePoint now) = 0;
  // Starts reporting every committed change to a link, by whichever process sharing this store
  // made it, to `handler` (REQUIRES: both callbacks set), until the returned feed is destroyed.
  // Reports arrive within about a second of the commit while the database is reachable; while it
  // is not, the feed reconnects by itself and calls all_changed when it listens again, so nothing
  // missed goes unnoticed. Returns nullptr for a store that only this process uses (SQLite): its
  // changes all go through this process, which knows about them without a feed.
  // kInternal when the feed cannot be started (the process is out of file descriptors).
  virtual Result<std::unique_ptr<LinkChangeFeed>> WatchLinkChanges(LinkChangeHandler /*handler*/) {
    return std::unique_ptr<LinkChangeFeed>();
  }
};

// Opens the store named by `spec`: "sqlite:PATH" or "postgres://..." / "postgresql://...".
// kInvalidRequest for an unknown scheme, kStoreUnavailable when the database cannot be opened.
// The schema is not touched: call Migrate().
Result<std::unique_ptr<Store>> OpenStore(std::string_view spec);

}  // namespace hop
