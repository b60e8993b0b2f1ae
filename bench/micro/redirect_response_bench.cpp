// BuildRedirectResponse: the bytes of one redirect, into a buffer reused across requests.
#include <benchmark/benchmark.h>

#include "http/redirect_response.h"
#include "micro_support.h"

namespace hop {
namespace {

constexpr std::string_view kDate = "Sun, 22 Nov 2026 19:52:57 GMT";

void BM_BuildRedirectResponse(benchmark::State& state) {
  const CachedLink link = bench::BenchLink(123456);
  std::string out;
  for (auto _ : state) {
    BuildRedirectResponse(out, link, "", kDate, true);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_BuildRedirectResponse);

void BM_BuildRedirectResponseForwardingQuery(benchmark::State& state) {
  CachedLink link = bench::BenchLink(123456);
  link.forward_query = true;
  std::string out;
  for (auto _ : state) {
    BuildRedirectResponse(out, link, "utm_source=newsletter&utm_medium=email", kDate, true);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_BuildRedirectResponseForwardingQuery);

}  // namespace
}  // namespace hop
