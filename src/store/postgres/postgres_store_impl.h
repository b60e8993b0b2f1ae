// PostgresStore: the implementation behind OpenPostgresStore (postgres_store.h), shared by the
// files that implement it; nothing outside src/store/postgres includes it, which keeps libpq's
// headers there.
//
// Connections come from a PgConnectionPool (pg_connection_pool.h). The schema is in
// pg_migrations.cpp. The methods are split by concern: opening and health in postgres_store.cpp,
// links in postgres_store_links.cpp, click counts in postgres_store_clicks.cpp and
// postgres_store_rollup.cpp, API keys in postgres_store_keys.cpp.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/pg_connection_pool.h"
#include "store/store.h"

namespace hop {

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string conninfo, std::unique_ptr<PgConnectionPool> pool)
      : conninfo_(std::move(conninfo)), pool_(std::move(pool)) {}

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

  Result<std::unique_ptr<LinkChangeFeed>> WatchLinkChanges(LinkChangeHandler handler) override;

 private:
  const std::string conninfo_;  // for sessions outside the pool: the change feed's
  std::unique_ptr<PgConnectionPool> pool_;
};

}  // namespace hop
