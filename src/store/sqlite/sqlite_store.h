// SqliteStore: the Store on an embedded SQLite database file, for a single hop process on one
// machine.
//
// All writes go through one writer connection and all reads through a pool of reader connections
// (see sqlite_connection_pool.h); WAL mode lets them run side by side. Several processes may share
// the file
// (`hop migrate` while `hop serve` runs, say): they wait for each other's write lock up to the busy
// timeout, then fail with kStoreUnavailable.
//
// The schema is in sqlite_migrations.cpp. The implementation is split by concern: opening and
// health here, links in sqlite_store_links.cpp, click writes in sqlite_store_clicks.cpp (the open
// minutes go to the click journal, sqlite_click_journal.h), click reads in
// sqlite_store_click_reads.cpp, the rollup in sqlite_store_rollup.cpp, API keys in
// sqlite_store_keys.cpp.
//
// Thread-safe, as the Store contract requires.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "store/sqlite/sqlite_click_journal.h"
#include "store/sqlite/sqlite_connection_pool.h"
#include "store/sqlite/sqlite_transaction.h"
#include "store/store.h"

namespace hop {

struct SqliteStoreOptions {
  // How long a write waits for another process's lock before failing with kStoreUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
  // The most minute rows one transaction moves from the click journal to minute_clicks
  // (sqlite_click_journal.h): about 8 ms of the writer's time, so that creates never wait long
  // behind it. A click write applies this many for every kMaxEntriesPerWrite entries it journals
  // (in a transaction each, the first the one that journals), 2.5 times what it journals, so a
  // minute's rows are written soon after it closes: a million (80,000 clicks a second on a million
  // links) in about 5 s. A rollup step applies this many. Tests make it small, to stop between the
  // parts of a minute. REQUIRES: >= 1.
  size_t rows_per_apply = 25'000;
};

// Opens the database file at `path`, creating it (but not its directory) if needed. The schema is
// not touched: call Migrate(). kStoreUnavailable when the file cannot be opened.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteStoreOptions& options = {});

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<SqliteConnectionPool> pool, const SqliteStoreOptions& options)
      : pool_(std::move(pool)), journal_(options.rows_per_apply) {}

  Status Migrate() override;
  Status Ping() override;

  Result<std::vector<Result<Link>>> CreateLinks(std::span<const NewLink> links,
                                                TimePoint now) override;
  Result<Link> FindLink(std::string_view code) override;
  Result<Link> UpdateLink(std::string_view code, const LinkPatch& patch, TimePoint now,
                          std::optional<int64_t> owner_key_id) override;
  Status DeleteLink(std::string_view code, std::optional<int64_t> owner_key_id) override;
  Result<LinkPage> ListLinks(const LinkQuery& query) override;
  Result<bool> ClaimVisit(int64_t link_id) override;

  Status AddClicks(std::span<const MinuteClicks> clicks) override;
  // A write journals its entries as one row per minute, 12 bytes each, and applies closed minutes
  // in transactions of their own: ten times PostgreSQL's bound is one interval's entries at the
  // benchmark's load (about 48,000), written as one journal row and one run of the overlay, where
  // five of each cost more transactions and more merges of runs.
  size_t max_clicks_per_write() const override { return 10 * kMaxEntriesPerWrite; }
  Result<bool> CloseMinutesBefore(int64_t minute) override;
  Result<bool> RollUpClicks(int64_t before_minute, int64_t links_per_step) override;
  Result<ClickTotals> ReadClickTotals(int64_t link_id, std::span<const MinuteSpan> spans) override;
  Result<std::vector<ClickTotals>> ReadAllTimeClicks(std::span<const int64_t> link_ids) override;
  Result<std::vector<BucketCount>> ReadClickSeries(int64_t link_id, Granularity granularity,
                                                   int64_t first, int64_t last) override;
  Status PruneClickBuckets(int64_t minute_before, int64_t hour_before) override;
  Result<std::vector<std::string>> DisableLinksToHosts(std::span<const std::string> hosts,
                                                       TimePoint now) override;

  Result<ApiKey> CreateApiKey(const ApiKey& key) override;
  Result<ApiKey> FindApiKeyByHash(std::string_view hash) override;
  Result<std::vector<ApiKey>> ListApiKeys() override;
  Result<ApiKey> RevokeApiKey(std::string_view name, TimePoint now) override;

  // The counts of the open minutes in memory: what they cost, for tests and benchmarks.
  const ClickOverlay& click_overlay() const { return journal_.overlay(); }

 private:
  // Begins a click read's transaction on `reader` and returns the click journal's counts of
  // `link_ids` in the same state as its snapshot (sqlite_click_journal.h), loading the journal
  // first when this process has not yet. kStoreUnavailable when writes of another process keep
  // coming between the two.
  Result<ClickOverlay::LinkCounts> BeginClickRead(std::span<const int64_t> link_ids,
                                                  SqliteConnection& reader,
                                                  SqliteTransaction& transaction);
  // Makes the click journal's overlay match the database (SqliteClickJournal::Sync).
  Status SyncClickJournal(SqliteConnection& writer);
  // AddClicks's first transaction: applies rows_per_apply rows of the closed minutes, then journals
  // the clicks (or writes them to minute_clicks, when their keys are applied already).
  Status JournalClicks(std::span<const MinuteClicks> clicks);
  // One transaction that moves up to rows_per_apply rows of the minutes before `closed_before`
  // (by default, before the newest minute in the journal) from the click journal to
  // minute_clicks; true when none are left.
  Result<bool> ApplyClosedMinutes(std::optional<int64_t> closed_before);
  // Up to `parts` of those, each a transaction of its own, so that a create waits behind one part
  // at most; true once none are left (false for no part at all).
  Result<bool> ApplyClosedMinuteParts(size_t parts, std::optional<int64_t> closed_before);

  std::unique_ptr<SqliteConnectionPool> pool_;
  SqliteClickJournal journal_;
};

}  // namespace hop
