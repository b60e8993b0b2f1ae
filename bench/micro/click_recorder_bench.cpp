// ClickRecorder::Record: what counting a click costs the worker thread.
#include <benchmark/benchmark.h>

#include "service/click_recorder.h"

namespace hop {
namespace {

// The flusher drains the ring concurrently in hop; here the benchmark drains it itself every half
// ring, so the figure includes a share of the drain (a copy of 16 bytes per click) but never the
// overflow path.
void BM_ClickRecorderRecord(benchmark::State& state) {
  constexpr size_t kCapacity = size_t{1} << 16;
  ClickRecorder recorder(kCapacity);
  std::vector<ClickEvent> drained;
  drained.reserve(kCapacity);
  int64_t n = 0;
  for (auto _ : state) {
    recorder.Record({n, 29'000'000, false});
    if ((++n & (kCapacity / 2 - 1)) == 0) {
      drained.clear();
      recorder.DrainInto(drained);
    }
  }
}
BENCHMARK(BM_ClickRecorderRecord);

}  // namespace
}  // namespace hop
