// ClickPipeline: moves clicks from the workers' recorders into the store, in batches.
//
// Every flush interval a flusher thread drains each worker's ClickRecorder, merges the events into
// one count per (link, minute), and writes them with Store::AddClicks: one transaction per
// Store::max_clicks_per_write() entries, so one in the common case. The bound keeps each
// transaction short however large a backlog grew (after an outage, or behind a slow database), so
// that it cannot run past the store's statement timeout, fail, and grow further. If a write fails
// (the store is down), the counts not yet written stay pending and are retried on the next
// interval, up to `max_pending` entries; beyond that the oldest minutes are dropped and counted in
// dropped_clicks(), never silently. What a crash (kill -9) can lose is therefore bounded by one
// flush interval of clicks, plus whatever was pending while the store was unreachable; Stop() loses
// nothing. An interval that brings no clicks tells the store the clock's minute instead
// (Store::CloseMinutesBefore), so that an idle SQLite store writes the minutes its click journal
// holds in memory and gives that memory back, rather than keep them until the next click.
//
// After each flush the flusher rolls up the hours that ended at least RollUpDelay() ago
// (Store::RollUpClicks), a step or a few per interval, so that no flush waits long behind it. Reads
// are exact with or without it; it keeps them cheap, and the store's per-link totals current. It
// also prunes buckets past their retention (see core/click_windows.h) once an hour.
//
// Thread-safety: recorder(i).Record from worker i only; every other method from any one thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/click.h"
#include "core/clock.h"
#include "service/click_recorder.h"
#include "store/store.h"

namespace hop {

// Link ids per rollup step. A step writes at most three rows per link (its hour, day and totals)
// and reads the links' minutes of the hour: on SQLite about 10 ms when they have a few minutes each
// (bench/micro/store_clicks_bench.cpp), about 90 ms when every one has a click in every minute.
inline constexpr int64_t kLinksPerRollUpStep = 2'000;
// How long the flusher goes on with rollup steps after a flush before it flushes again.
inline constexpr Millis kRollUpSlice{200};

struct ClickPipelineOptions {
  Millis flush_interval{500};
  size_t max_pending = 1'000'000;  // (link, minute) entries kept while the store is unreachable
};

class ClickPipeline {
 public:
  ClickPipeline(Store& store, const Clock& clock, size_t recorders, ClickPipelineOptions options);
  ~ClickPipeline();
  ClickPipeline(const ClickPipeline&) = delete;
  ClickPipeline& operator=(const ClickPipeline&) = delete;

  ClickRecorder& recorder(size_t i) { return *recorders_[i]; }

  // Starts the flusher thread.
  void Start();

  // Stops the flusher and writes everything recorded. REQUIRES: no worker records any more.
  Status Stop();

  // Drains every recorder and writes to the store now; what fails stays pending.
  Status Flush();

  // Rolls up the hours that ended at least RollUpDelay() ago, in steps for up to kRollUpSlice (at
  // least one step); the rest waits for the next call. Returns at once when they are rolled up
  // already, as far as this pipeline knows. The flusher calls it after each flush; other callers
  // (tests) only while it is not started.
  Status RollUp();

  // A click is written within a flush interval after its minute ends, normally. Two more minutes
  // leave room for a slow or retried flush and for clocks of other instances a little behind;
  // clicks later still are exact anyway, they only cost more to write (store.h).
  Millis RollUpDelay() const { return options_.flush_interval + std::chrono::minutes(2); }

  // Counters for metrics and logs; each may be read from any thread.
  uint64_t flushed_clicks() const { return flushed_clicks_.load(std::memory_order_relaxed); }
  uint64_t dropped_clicks() const { return dropped_clicks_.load(std::memory_order_relaxed); }
  // Clicks recorded but not yet written: the merged ones plus those still in the recorders. Near
  // zero after each flush unless the store is failing or slow.
  uint64_t pending_clicks() const;
  // The (link, minute) entries holding the merged ones.
  size_t pending_entries() const { return pending_size_.load(std::memory_order_relaxed); }
  size_t max_pending_entries() const { return options_.max_pending; }

 private:
  void RunFlusher();
  void MergeDrained();
  void CloseIdleMinutes();
  void CollapseDrained();
  void CountWritten(uint64_t clicks);
  Status Failed(const Status& status);
  void DropOldestBeyondLimit();
  void PruneIfDue();
  Status RollUpFailed(const Status& status);

  Store& store_;
  const Clock& clock_;
  const ClickPipelineOptions options_;
  std::vector<std::unique_ptr<ClickRecorder>> recorders_;

  std::mutex flush_mutex_;  // one flush at a time; guards the members below
  std::vector<ClickEvent> drained_;
  std::vector<ClickEvent> sort_scratch_;  // SortClicks's room, kept between flushes
  std::vector<MinuteClicks> collapsed_;   // drained_ merged, before it joins pending_
  // One entry per (link, minute) in (minute, link_id) order: the order AddClicks writes cheapest,
  // and the oldest minutes first. A sorted vector rather than a hash map: an interval's clicks
  // are spread over up to a million links, and sorting them costs less than a cache miss and an
  // allocation for each.
  std::vector<MinuteClicks> pending_;
  int64_t last_prune_minute_ = 0;
  // Whether the store may still hold minutes in memory (Store::CloseMinutesBefore): set by each
  // write, cleared once an idle flush finds them all written.
  bool store_may_hold_minutes_ = false;
  int failed_flushes_ = 0;  // in a row, for logging the start and the end of an outage only
  int64_t rolled_up_before_ = std::numeric_limits<int64_t>::min();  // as far as this pipeline knows
  int failed_rollups_ = 0;                                          // in a row, as failed_flushes_

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread flusher_;

  std::atomic<uint64_t> flushed_clicks_{0};
  std::atomic<uint64_t> dropped_clicks_{0};
  std::atomic<size_t> pending_size_{0};
  std::atomic<uint64_t> pending_clicks_{0};
};

}  // namespace hop
