// SqliteStore::CreateLinks alone, as bulk creates use it: batches of 4,000 links with generated
// codes (four bulk requests of 1,000, as bench/creates.sh sends them) into a store preloaded with a
// million links whose codes are stored (as aliases, or codes from before schema version 7, are: the
// index each generated code is checked against), with everything the store does for them: the
// writer's settings for large batches, the gathered WAL writes, the checkpoints. What it costs per
// link is the floor under bulk creates on SQLite; everything else hop does for them (HTTP, JSON,
// checks, the answer) comes on top. A separate program, since building the store takes seconds:
//   build/bench/micro/hop_store_creates_bench
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/api_key.h"
#include "core/clock.h"
#include "store/sqlite/sqlite_store.h"

namespace hop {
namespace {

constexpr int64_t kPreloadedLinks = 1'000'000;
constexpr int kLinksPerBatch = 4'000;

template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().detail());
  return std::move(result).value();
}

// A migrated store in a directory of its own with kPreloadedLinks links, codes "0000001" and on,
// written straight into SQLite as bench/harness/dataset.py writes the benchmark's.
class PreloadedStore {
 public:
  PreloadedStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hop-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    const std::string path = dir_ + "/hop.db";
    std::unique_ptr<Store> store = Must(OpenSqliteStore(path));
    if (!store->Migrate().ok()) throw std::runtime_error("migration failed");
    store.reset();
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    const std::string insert =
        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(kPreloadedLinks) +
        ") INSERT INTO links (code, url, created_at, updated_at) "
        "SELECT printf('%07d', i), 'https://example.com/target/' || i, 0, 0 FROM n";
    const int rc = sqlite3_exec(db, insert.c_str(), nullptr, nullptr, nullptr);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error("preloading failed");
    store_ = Must(OpenSqliteStore(path));
  }
  ~PreloadedStore() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  Store& store() { return *store_; }

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
};

// Batches as the creator writes them for bulk requests of plain URLs from an admin key.
void BM_SqliteCreateLinks(benchmark::State& state) {
  PreloadedStore preloaded;
  ApiKey key;
  key.name = "admin";
  key.hash = std::string(64, 'a');
  key.role = Role::kAdmin;
  const int64_t owner = Must(preloaded.store().CreateApiKey(key)).id;
  const TimePoint now = FromUnixMillis(1'795'000'123'456);
  int64_t created = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<NewLink> batch(kLinksPerBatch);
    for (int i = 0; i < kLinksPerBatch; ++i) {
      batch[i].fields.url = "https://example.com/bulk/" + std::to_string(i % 1000);
      batch[i].fields.owner_key_id = owner;
    }
    state.ResumeTiming();
    created += static_cast<int64_t>(Must(preloaded.store().CreateLinks(batch, now)).size());
  }
  state.SetItemsProcessed(created);
}
// 200 batches: the 800,000 links a 10-second bench/creates.sh writes.
BENCHMARK(BM_SqliteCreateLinks)->Iterations(200)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hop
