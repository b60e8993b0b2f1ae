// LinkCache::Find on a hit, and LinkResolver::Resolve on a hit (which adds the link's checks), over
// caches of increasing size: past the CPU caches, a lookup's cost is its memory misses.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>

#include "micro_support.h"
#include "service/link_resolver.h"

namespace hop {
namespace {

constexpr size_t kLookupOrder = 1 << 16;  // codes asked for, in a random order fixed up front

// A cache holding `count` links, and a random sequence of their codes to ask for. The sequence is
// copied out of `codes` into one contiguous array read in order, as a request's code sits in the
// session's hot read buffer: a lookup's misses are then the cache's own.
struct FilledCache {
  explicit FilledCache(size_t count) : cache(count, 1024), codes(bench::RandomCodes(count)) {
    for (size_t i = 0; i < count; ++i)
      cache.Put(codes[i], bench::BenchLink(static_cast<int64_t>(i)));
    uint64_t x = 88172645463325252ull;  // xorshift: a fixed, cheap sequence
    for (size_t i = 0; i < kLookupOrder; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      order.push_back(codes[x % count]);
    }
  }

  LinkCache cache;
  std::vector<std::string> codes;
  std::vector<std::string> order;
};

void BM_LinkCacheFindHit(benchmark::State& state) {
  FilledCache filled(static_cast<size_t>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(filled.cache.Find(filled.order[i++ & (kLookupOrder - 1)]));
  }
}
BENCHMARK(BM_LinkCacheFindHit)->Arg(1'000)->Arg(1'000'000);

// The store is real but never read: every code is cached, and the links have no max_visits.
class TempStore {
 public:
  TempStore() {
    char dir_template[] = "/tmp/hop-micro-bench-XXXXXX";
    dir_ = ::mkdtemp(dir_template);
    Result<std::unique_ptr<Store>> opened = OpenStore("sqlite:" + (dir_ / "hop.db").string());
    if (!opened.ok()) throw std::runtime_error(opened.status().detail());
    store_ = std::move(opened).value();
  }
  ~TempStore() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Store& get() { return *store_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

void BM_LinkResolverResolveHit(benchmark::State& state) {
  FilledCache filled(static_cast<size_t>(state.range(0)));
  TempStore store;
  LinkResolver resolver(store.get(), Millis(2000));
  const TimePoint now = SystemClock().Now();
  size_t i = 0;
  for (auto _ : state) {
    Resolution r = resolver.Resolve(filled.order[i++ & (kLookupOrder - 1)], filled.cache, now);
    benchmark::DoNotOptimize(r.link);
  }
}
BENCHMARK(BM_LinkResolverResolveHit)->Arg(1'000)->Arg(1'000'000);

}  // namespace
}  // namespace hop
