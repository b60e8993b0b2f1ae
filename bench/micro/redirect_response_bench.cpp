// BuildRedirectResponse: the bytes of one redirect, into a buffer reused across requests.
#include <benchmark/benchmark.h>

#include "http/redirect_response.h"
#include "micro_support.h"
#include "service/link_cache.h"

namespace hop {
namespace {

constexpr std::string_view kDate = "Sun, 22 Nov 2026 19:52:57 GMT";

void BM_BuildRedirectResponse(benchmark::State& state) {
  LinkCache cache(1, 1);
  const CachedLink& link = cache.Put("1000w2A", bench::BenchLink(123456));
  std::string out;
  for (auto _ : state) {
    BuildRedirectResponse(out, link, "", kDate, true);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_BuildRedirectResponse);

void BM_BuildRedirectResponseForwardingQuery(benchmark::State& state) {
  Link forwarding = bench::BenchLink(123456);
  forwarding.fields.forward_query = true;
  LinkCache cache(1, 1);
  const CachedLink& link = cache.Put("1000w2A", forwarding);
  std::string out;
  for (auto _ : state) {
    BuildRedirectResponse(out, link, "utm_source=newsletter&utm_medium=email", kDate, true);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_BuildRedirectResponseForwardingQuery);

}  // namespace
}  // namespace hop
