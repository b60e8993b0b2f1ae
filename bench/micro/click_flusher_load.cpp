// The click flusher's work at the redirect benchmark's load, without the server: a ClickPipeline
// on a SQLite store of many links (a copy of one bench/harness/dataset.py made), fed
// --rate clicks a second on uniformly random links, flushed every 500 ms of a ManualClock. The
// first --warm-up seconds fill the journal and the overlay; the next --seconds are measured, in
// MeasuredInterval alone, so that callgrind can count them and nothing else:
//   valgrind --tool=callgrind --toggle-collect='*MeasuredInterval*'
//   build/bench/micro/hop_flusher_load DIR/hop.db
// prints the clicks flushed in the measured part and the thread CPU time it took; divide
// callgrind's total Ir by the clicks for the flusher's instructions per click.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "service/click_pipeline.h"
#include "store/sqlite/sqlite_store.h"

namespace hop {
namespace {

struct LoadOptions {
  std::string db;
  int64_t links = 1'000'000;
  int64_t rate = 100'000;
  int warm_up = 60;
  int seconds = 60;
  int minute_of_hour = 10;  // where the warm-up starts
};

struct CpuTime {
  int64_t user_ns = 0;
  int64_t sys_ns = 0;
};

int64_t Nanos(const timeval& t) { return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_usec * 1'000; }

CpuTime ThreadCpu() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return {Nanos(usage.ru_utime), Nanos(usage.ru_stime)};
}

void RecordInterval(ClickPipeline& pipeline, const ManualClock& clock, std::mt19937_64& random,
                    const LoadOptions& options) {
  std::uniform_int_distribution<int64_t> link(1, options.links);
  const auto minute = static_cast<int32_t>(MinuteOf(clock.Now()));
  for (int64_t i = 0; i < options.rate / 2; ++i) {
    pipeline.recorder(0).Record({link(random), minute, false});
  }
}

// What the flusher thread does each interval.
[[gnu::noinline]] void Interval(ClickPipeline& pipeline) {
  if (Status s = pipeline.Flush(); !s.ok()) std::fprintf(stderr, "%s\n", s.detail().c_str());
  if (Status s = pipeline.RollUp(); !s.ok()) std::fprintf(stderr, "%s\n", s.detail().c_str());
}

[[gnu::noinline]] void MeasuredInterval(ClickPipeline& pipeline) { Interval(pipeline); }

int Run(const LoadOptions& options) {
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(options.db);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().detail().c_str());
    return 1;
  }
  // By default ten minutes into an hour, so that no hour's rollup falls into the measured part.
  const auto hour = std::chrono::floor<std::chrono::hours>(std::chrono::system_clock::now());
  ManualClock clock(
      std::chrono::time_point_cast<Millis>(hour + std::chrono::minutes(options.minute_of_hour)));
  ClickPipeline pipeline(*store.value(), clock, 1, {});
  std::mt19937_64 random(42);
  for (int i = 0; i < options.warm_up * 2; ++i) {
    RecordInterval(pipeline, clock, random, options);
    Interval(pipeline);
    clock.Advance(Millis(500));
  }
  const uint64_t flushed_before = pipeline.flushed_clicks();
  CpuTime cpu;
  for (int i = 0; i < options.seconds * 2; ++i) {
    RecordInterval(pipeline, clock, random, options);
    const CpuTime start = ThreadCpu();
    MeasuredInterval(pipeline);
    const CpuTime end = ThreadCpu();
    cpu.user_ns += end.user_ns - start.user_ns;
    cpu.sys_ns += end.sys_ns - start.sys_ns;
    clock.Advance(Millis(500));
  }
  const auto clicks = static_cast<double>(pipeline.flushed_clicks() - flushed_before);
  std::printf("clicks %.0f, CPU per click: user %.1f ns, sys %.1f ns\n", clicks,
              static_cast<double>(cpu.user_ns) / clicks, static_cast<double>(cpu.sys_ns) / clicks);
  return 0;
}

}  // namespace
}  // namespace hop

int main(int argc, char** argv) {
  hop::LoadOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--rate" && i + 1 < argc) {
      options.rate = std::atoll(argv[++i]);
    } else if (arg == "--links" && i + 1 < argc) {
      options.links = std::atoll(argv[++i]);
    } else if (arg == "--warm-up" && i + 1 < argc) {
      options.warm_up = std::atoi(argv[++i]);
    } else if (arg == "--minute-of-hour" && i + 1 < argc) {
      options.minute_of_hour = std::atoi(argv[++i]);
    } else if (arg == "--seconds" && i + 1 < argc) {
      options.seconds = std::atoi(argv[++i]);
    } else {
      options.db = arg;
    }
  }
  if (options.db.empty()) {
    std::fprintf(stderr,
                 "usage: hop_flusher_load [--rate N] [--links N] [--warm-up S] [--seconds S] "
                 "[--minute-of-hour M] DB\n");
    return 2;
  }
  return hop::Run(options);
}
