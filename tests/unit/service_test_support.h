// Helpers for the service and HTTP unit tests: a real SQLite store in a temp directory, a store
// wrapper that counts the reads the redirect path and authentication make, a lock that holds its
// writes back, and a create that waits for its commit.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <string>

#include "../store/store_test_support.h"
#include "core/api_key.h"
#include "service/link_service.h"
#include "service/principal.h"
#include "service/rate_limits.h"
#include "store/store.h"

namespace hop {

// A migrated SQLite store on a fresh temp file, removed with the object.
class TempSqliteStore {
 public:
  TempSqliteStore() {
    char dir_template[] = "/tmp/hop-unit-XXXXXX";
    dir_ = ::mkdtemp(dir_template);
    store_ = Must(OpenStore("sqlite:" + dir_ + "/hop.db"));
    if (Status s = store_->Migrate(); !s.ok()) throw std::runtime_error(s.detail());
  }
  ~TempSqliteStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Store& operator*() { return *store_; }
  Store* operator->() { return store_.get(); }
  std::string path() const { return dir_ + "/hop.db"; }

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
};

// A SQLite connection of its own on a store's file, holding the write lock while it lives, as
// another process writing would: the store's writes wait for it (up to their busy timeout).
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    sqlite3_open(path.c_str(), &db_);
    locked_ = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~WriteLock() { Release(); }
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  bool locked() const { return locked_; }
  void Release() {
    if (db_ == nullptr) return;
    sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
  bool locked_ = false;
};

// LinkService::Create of one request, waiting for its result.
inline Result<Link> CreateAndWait(LinkService& links, CreateLinkRequest request,
                                  const Principal& caller) {
  std::promise<Result<Link>> result;
  std::future<Result<Link>> created = result.get_future();
  std::vector<Result<CreateLinkRequest>> requests;
  requests.push_back(std::move(request));
  links.Create(std::move(requests), caller, [&result](std::vector<Result<Link>> links) {
    result.set_value(std::move(links.front()));
  });
  return created.get();
}

// Rate limits that never refuse, for tests about something else.
inline const RateLimitOptions kNoRateLimits{.api = {}, .create = {}, .scan = {}};

// Stores a new key and returns its secret, as `hop keys create` prints it.
inline std::string CreateTestKey(Store& store, const std::string& name, Role role = Role::kAdmin,
                                 ScopeSet scopes = ScopeSet::All(),
                                 std::optional<TimePoint> expires_at = std::nullopt) {
  std::string secret = GenerateApiKey();
  ApiKey key;
  key.name = name;
  key.hash = HashApiKey(secret);
  key.role = role;
  key.scopes = scopes;
  key.created_at = kNow;
  key.expires_at = expires_at;
  Must(store.CreateApiKey(key));
  return secret;
}

// The principal of a new key stored in `store`.
inline Principal TestPrincipal(Store& store, const std::string& name, Role role = Role::kAdmin,
                               ScopeSet scopes = ScopeSet::All()) {
  return Principal::Of(
      Must(store.FindApiKeyByHash(HashApiKey(CreateTestKey(store, name, role, scopes)))));
}

// Passes every call to a real store and counts the lookups, so a test can tell a cache hit from a
// miss; click writes can be made to fail as they do while the database is down, and generated codes
// to collide as PostgreSQL's random ones can.
class CountingStore : public Store {
 public:
  explicit CountingStore(Store& inner) : inner_(inner) {}

  int find_calls() const { return find_calls_; }
  int claim_calls() const { return claim_calls_; }
  int key_lookups() const { return key_lookups_; }
  int rollup_calls() const { return rollup_calls_; }
  void set_rollups_fail(bool fail) { rollups_fail_ = fail; }
  // AddClicks succeeds `writes` more times, then fails as if the database were down; negative
  // (the default): it never fails.
  void set_click_write_budget(int writes) { click_write_budget_ = writes; }
  // The next `calls` CreateLinks calls answer kAliasTaken for every link without an alias, and
  // insert only the others, as PostgreSQL does when the random codes it drew are taken.
  void set_generated_codes_taken(int calls) { generated_codes_taken_ = calls; }
  int create_calls() const { return create_calls_; }

  Status Migrate() override { return inner_.Migrate(); }
  Status Ping() override { return inner_.Ping(); }
  Result<std::vector<Result<Link>>> CreateLinks(std::span<const NewLink> links,
                                                TimePoint now) override {
    ++create_calls_;
    if (generated_codes_taken_ > 0) {
      --generated_codes_taken_;
      return CreateAliasesOnly(links, now);
    }
    return inner_.CreateLinks(links, now);
  }
  Result<Link> FindLink(std::string_view code) override {
    ++find_calls_;
    return inner_.FindLink(code);
  }
  Result<Link> UpdateLink(std::string_view code, const LinkPatch& patch, TimePoint now,
                          std::optional<int64_t> owner_key_id) override {
    return inner_.UpdateLink(code, patch, now, owner_key_id);
  }
  Status DeleteLink(std::string_view code, std::optional<int64_t> owner_key_id) override {
    return inner_.DeleteLink(code, owner_key_id);
  }
  Result<LinkPage> ListLinks(const LinkQuery& query) override { return inner_.ListLinks(query); }
  Result<bool> ClaimVisit(int64_t link_id) override {
    ++claim_calls_;
    return inner_.ClaimVisit(link_id);
  }
  Status AddClicks(std::span<const MinuteClicks> clicks) override {
    if (click_write_budget_ == 0)
      return Status::Error(ErrorCode::kStoreUnavailable, "the store is down");
    if (click_write_budget_ > 0) --click_write_budget_;
    return inner_.AddClicks(clicks);
  }
  Result<bool> RollUpClicks(int64_t before_minute, int64_t links_per_step) override {
    ++rollup_calls_;
    if (rollups_fail_) return Status::Error(ErrorCode::kStoreUnavailable, "the store is down");
    return inner_.RollUpClicks(before_minute, links_per_step);
  }
  Result<ClickTotals> ReadClickTotals(int64_t link_id, std::span<const MinuteSpan> spans) override {
    return inner_.ReadClickTotals(link_id, spans);
  }
  Result<std::vector<ClickTotals>> ReadAllTimeClicks(std::span<const int64_t> link_ids) override {
    return inner_.ReadAllTimeClicks(link_ids);
  }
  Result<std::vector<BucketCount>> ReadClickSeries(int64_t link_id, Granularity g, int64_t first,
                                                   int64_t last) override {
    return inner_.ReadClickSeries(link_id, g, first, last);
  }
  Status PruneClickBuckets(int64_t minute_before, int64_t hour_before) override {
    return inner_.PruneClickBuckets(minute_before, hour_before);
  }
  Result<std::vector<std::string>> DisableLinksToHosts(std::span<const std::string> hosts,
                                                       TimePoint now) override {
    return inner_.DisableLinksToHosts(hosts, now);
  }
  Result<ApiKey> CreateApiKey(const ApiKey& key) override { return inner_.CreateApiKey(key); }
  Result<ApiKey> FindApiKeyByHash(std::string_view hash) override {
    ++key_lookups_;
    return inner_.FindApiKeyByHash(hash);
  }
  Result<std::vector<ApiKey>> ListApiKeys() override { return inner_.ListApiKeys(); }
  Result<ApiKey> RevokeApiKey(std::string_view name, TimePoint now) override {
    return inner_.RevokeApiKey(name, now);
  }

 private:
  Result<std::vector<Result<Link>>> CreateAliasesOnly(std::span<const NewLink> links,
                                                      TimePoint now) {
    std::vector<NewLink> aliased;
    for (const NewLink& link : links) {
      if (!link.code.empty()) aliased.push_back(link);
    }
    Result<std::vector<Result<Link>>> created = inner_.CreateLinks(aliased, now);
    if (!created.ok()) return created;
    std::vector<Result<Link>> results;
    size_t next = 0;
    for (const NewLink& link : links) {
      if (link.code.empty()) {
        results.emplace_back(Status::Error(ErrorCode::kAliasTaken, "the code drawn is taken"));
      } else {
        results.push_back(std::move(created.value()[next++]));
      }
    }
    return results;
  }

  Store& inner_;
  std::atomic<int> find_calls_{0};
  std::atomic<int> claim_calls_{0};
  std::atomic<int> key_lookups_{0};
  std::atomic<int> rollup_calls_{0};
  std::atomic<bool> rollups_fail_{false};
  std::atomic<int> click_write_budget_{-1};
  std::atomic<int> generated_codes_taken_{0};
  std::atomic<int> create_calls_{0};
};

}  // namespace hop
