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
// health here, links in sqlite_store_links.cpp, click counts in sqlite_store_clicks.cpp and
// sqlite_store_rollup.cpp, API keys in sqlite_store_keys.cpp.
//
// Thread-safe, as the Store contract requires.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "store/sqlite/sqlite_connection_pool.h"
#include "store/store.h"

namespace hop {

struct SqliteStoreOptions {
  // How long a write waits for another process's lock before failing with kStoreUnavailable.
  std::chrono::milliseconds busy_timeout{5000};
};

// Opens the database file at `path`, creating it (but not its directory) if needed. The schema is
// not touched: call Migrate(). kStoreUnavailable when the file cannot be opened.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteStoreOptions& options = {});

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<SqliteConnectionPool> pool) : pool_(std::move(pool)) {}

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

 private:
  std::unique_ptr<SqliteConnectionPool> pool_;
};

}  // namespace hop
