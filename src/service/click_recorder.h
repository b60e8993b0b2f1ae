// ClickRecorder: where one worker puts the clicks it serves, until the flusher takes them.
//
// A single-producer, single-consumer ring: the worker thread appends with one release store and no
// lock, the flusher thread drains with one acquire load. The ring's memory is reserved, not
// touched, up front, so an idle worker costs no resident memory. If the flusher falls behind (the
// store is slow or down) and the ring fills, clicks spill into a locked overflow vector: slower,
// but nothing is lost.
//
// Thread-safety: Record from the owning worker thread only; Drain from one consumer thread at a
// time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/click.h"

namespace hop {

class ClickRecorder {
 public:
  // REQUIRES: capacity is a power of two.
  explicit ClickRecorder(size_t capacity = size_t{1} << 16);
  ClickRecorder(const ClickRecorder&) = delete;
  ClickRecorder& operator=(const ClickRecorder&) = delete;

  void Record(const ClickEvent& event);

  // Appends every click recorded so far to `out`.
  void DrainInto(std::vector<ClickEvent>& out);

  // About how many clicks wait to be drained: exact when no thread records or drains meanwhile.
  // From any thread; it takes the overflow's lock, so not for the worker's hot path.
  size_t queued() const;

 private:
  void Spill(const ClickEvent& event);

  const size_t mask_;
  std::unique_ptr<ClickEvent[]> ring_;
  // Producer and consumer indexes on separate cache lines, so the worker's stores never invalidate
  // the line the flusher reads, and vice versa.
  alignas(64) std::atomic<uint64_t> head_{0};
  uint64_t tail_seen_by_producer_ = 0;
  alignas(64) std::atomic<uint64_t> tail_{0};
  alignas(64) mutable std::mutex spill_mutex_;
  std::vector<ClickEvent> spill_;
};

}  // namespace hop
