// SqliteStore's click writes and reads on a store of a million links: what the click flusher costs
// per (link, minute) entry and per click, what rolling an hour up costs, and what a stats read
// costs for a link with a click in every minute. A separate program (hop_store_bench), since each
// benchmark builds its store first, which takes seconds:
//   build/bench/micro/hop_store_bench [--benchmark_filter=AddClicks]
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "service/click_pipeline.h"
#include "store/sqlite/sqlite_store.h"

namespace hop {
namespace {

constexpr int64_t kLinks = 1'000'000;
// A flush of the benchmark's load: 50,000 redirects a second on random links, nearly all of them a
// (link, minute) entry of their own, written every 500 ms, is about 25,000 entries; the experiment
// this replaces used 40,000.
constexpr size_t kEntriesPerFlush = 40'000;
const int64_t kNowMinute = MinuteOf(FromUnixMillis(1'795'000'123'456));
const int64_t kHourStart = kNowMinute - kNowMinute % kMinutesPerHour;

template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().detail());
  return std::move(result).value();
}

void Must(const Status& status) {
  if (!status.ok()) throw std::runtime_error(status.detail());
}

// A migrated store in a directory of its own, holding kLinks links with ids 1..kLinks, written
// straight into SQLite with the columns a create writes.
class MillionLinkStore {
 public:
  MillionLinkStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "hop-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    const std::string path = dir_ + "/hop.db";
    Must(Must(OpenSqliteStore(path))->Migrate());
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    char* error = nullptr;
    const std::string insert =
        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(kLinks) +
        ") INSERT INTO links (code, url, created_at, updated_at, host_key) "
        "SELECT 'c' || i, 'https://example.com/target/' || i, 0, 0, 'com.example' FROM n";
    int rc = sqlite3_exec(db, insert.c_str(), nullptr, nullptr, &error);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error(error ? error : "inserting links failed");
    store_ = Must(OpenSqliteStore(path));
  }
  ~MillionLinkStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Store& operator*() { return *store_; }
  Store* operator->() { return store_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
};

// One flush: kEntriesPerFlush distinct random links in `minute`, in the order the pipeline writes.
std::vector<MinuteClicks> FlushOf(std::mt19937_64& random, int64_t minute) {
  std::uniform_int_distribution<int64_t> link(1, kLinks);
  std::vector<int64_t> ids;
  while (ids.size() < kEntriesPerFlush) {
    for (size_t i = ids.size(); i < kEntriesPerFlush; ++i) ids.push_back(link(random));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  std::vector<MinuteClicks> batch;
  batch.reserve(ids.size());
  for (int64_t id : ids) batch.push_back({id, minute, 1, 0});
  return batch;
}

// Consecutive flushes share a minute, as 120 flushes a minute do.
void BM_SqliteAddClicks(benchmark::State& state) {
  MillionLinkStore store;
  std::mt19937_64 random(1);
  int64_t flushes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<MinuteClicks> batch = FlushOf(random, kHourStart + flushes++ / 4);
    state.ResumeTiming();
    Must(store->AddClicks(batch));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kEntriesPerFlush));
  state.counters["us_per_entry"] = benchmark::Counter(
      static_cast<double>(state.iterations() * static_cast<int64_t>(kEntriesPerFlush)),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_SqliteAddClicks)->Iterations(40)->Unit(benchmark::kMillisecond);

// What the click flusher spends per click under the redirect benchmark's load (bench/run.sh): each
// flush interval, kClicksPerFlush redirects of uniformly random links out of a million go through a
// recorder, and ClickPipeline::Flush merges them and writes them. A flush every 500 ms is 120 a
// minute. A minute of flushes runs untimed first; the timed minute's flushes journal its clicks
// and apply the minute before to minute_clicks (store/sqlite/sqlite_click_journal.h), which is
// what every minute costs at a steady load. The timing covers the merge, the store's writes and
// their commits, and the WAL checkpoints these trigger.
constexpr size_t kClicksPerFlush = 45'000;  // 90,000 redirects a second

void BM_PipelineFlush(benchmark::State& state) {
  MillionLinkStore store;
  const int64_t flushes_per_minute = state.range(0);
  ManualClock clock{TimePoint(std::chrono::minutes(kHourStart))};
  ClickPipeline pipeline(*store, clock, 1, {});
  std::mt19937_64 random(4);
  std::uniform_int_distribution<int64_t> link(1, kLinks);
  int64_t flushes = 0;
  auto record_a_flush = [&] {
    const auto minute = static_cast<int32_t>(kHourStart + flushes++ / flushes_per_minute);
    for (size_t i = 0; i < kClicksPerFlush; ++i)
      pipeline.recorder(0).Record({link(random), minute, i % 16 == 0});
  };
  while (flushes < flushes_per_minute) {
    record_a_flush();
    Must(pipeline.Flush());
  }
  for (auto _ : state) {
    state.PauseTiming();
    record_a_flush();
    state.ResumeTiming();
    Must(pipeline.Flush());
  }
  state.counters["us_per_click"] = benchmark::Counter(
      static_cast<double>(state.iterations() * static_cast<int64_t>(kClicksPerFlush)),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
  // What the open minute holds in memory at its end, per (minute, link) entry.
  const ClickOverlay& overlay = static_cast<SqliteStore&>(*store).click_overlay();
  state.counters["overlay_entries"] = static_cast<double>(overlay.entries());
  state.counters["overlay_bytes_per_entry"] =
      static_cast<double>(overlay.bytes()) / static_cast<double>(overlay.entries());
}
BENCHMARK(BM_PipelineFlush)->Arg(120)->Iterations(120)->Unit(benchmark::kMillisecond);

// An hour of one flush of kEntriesPerFlush per minute, rolled up as the pipeline does: in steps
// of 2,000 link ids, each its own transaction.
void BM_SqliteRollUpAnHour(benchmark::State& state) {
  MillionLinkStore store;
  std::mt19937_64 random(2);
  for (auto _ : state) {
    state.PauseTiming();
    for (int64_t minute = 0; minute < kMinutesPerHour; ++minute)
      Must(store->AddClicks(FlushOf(random, kHourStart + minute)));
    state.ResumeTiming();
    int64_t steps = 1;
    while (!Must(store->RollUpClicks(kHourStart + kMinutesPerHour, 2'000))) ++steps;
    state.counters["steps"] = static_cast<double>(steps);
  }
  state.counters["us_per_minute_row"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kMinutesPerHour *
                          static_cast<int64_t>(kEntriesPerFlush)),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_SqliteRollUpAnHour)->Iterations(1)->Unit(benchmark::kMillisecond);

// Link 1 has a click in every minute of the last 32 days, all rolled up but the last hour and the
// minutes since: the most a read adds from minute rows, just before the flusher rolls that hour up.
// Every one of those minutes also holds a flush of clicks of other links, so the reads probe a tree
// as big as busy hours make it.
class BusyLinkStore {
 public:
  BusyLinkStore() {
    const int64_t unrolled_from = kHourStart - kMinutesPerHour;
    std::vector<MinuteClicks> busy;
    for (int64_t minute = kNowMinute - kMinuteRetentionMinutes; minute < unrolled_from; ++minute)
      busy.push_back({1, minute, 1, 0});
    Must(store_->AddClicks(busy));
    while (!Must(store_->RollUpClicks(unrolled_from, kLinks))) {
    }
    std::mt19937_64 random(3);
    for (int64_t minute = unrolled_from; minute <= kNowMinute; ++minute) {
      std::vector<MinuteClicks> batch = FlushOf(random, minute);
      batch.front() = {1, minute, 1, 0};  // ids ascend and differ: the smallest becomes link 1
      Must(store_->AddClicks(batch));
    }
  }
  Store& operator*() { return *store_; }

 private:
  MillionLinkStore store_;
};

void BM_SqliteReadClickTotals(benchmark::State& state) {
  BusyLinkStore store;
  const std::array<MinuteSpan, 3> windows = {WindowEndingAt(kNowMinute, kLast24hMinutes),
                                             WindowEndingAt(kNowMinute, kLast7dMinutes),
                                             WindowEndingAt(kNowMinute, kLast30dMinutes)};
  for (auto _ : state) {
    ClickTotals totals = Must((*store).ReadClickTotals(1, windows));
    benchmark::DoNotOptimize(totals);
  }
}
BENCHMARK(BM_SqliteReadClickTotals)->Unit(benchmark::kMicrosecond);

// The series the stats page draws by default: 24 h of minutes, 7 days of hours, 30 days of days.
void BM_SqliteReadClickSeries(benchmark::State& state) {
  BusyLinkStore store;
  const auto granularity = static_cast<Granularity>(state.range(0));
  const int64_t span = state.range(1);
  const int64_t last = BucketOfMinute(granularity, kNowMinute);
  const int64_t first = BucketOfMinute(granularity, kNowMinute - span);
  for (auto _ : state) {
    std::vector<BucketCount> series = Must((*store).ReadClickSeries(1, granularity, first, last));
    benchmark::DoNotOptimize(series);
  }
}
BENCHMARK(BM_SqliteReadClickSeries)
    ->Args({static_cast<int64_t>(Granularity::kMinute), kLast24hMinutes})
    ->Args({static_cast<int64_t>(Granularity::kHour), kLast7dMinutes})
    ->Args({static_cast<int64_t>(Granularity::kDay), kLast30dMinutes})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hop
