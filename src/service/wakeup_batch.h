// WakeupBatch: the wake-ups a thread causes while it hands a batch of work to other threads, held
// back until the whole batch is handed over.
//
// The LinkCreator's committer completes a batch of creates at once, and each answer goes to the
// worker that owns its connection, whose event loop must be woken to take it. Woken at the first
// answer, a worker sharing the committer's core preempts it, takes that one answer and sleeps
// again, and the next answer wakes it anew: a context switch and a system call per create, which
// cost more than the creates themselves. Within a WakeupBatch, a hand-over (http/worker.h) queues
// its work and leaves its wake-up here instead; the batch's end makes each wake-up once.
//
// Thread-safety: a WakeupBatch belongs to the thread that made it, and Defer only sees the
// batch of the calling thread.
#pragma once

#include <functional>
#include <utility>
#include <vector>

namespace hop {

class WakeupBatch {
 public:
  WakeupBatch();
  // Makes the wake-ups deferred since the batch began, in the order they were deferred.
  ~WakeupBatch();
  WakeupBatch(const WakeupBatch&) = delete;
  WakeupBatch& operator=(const WakeupBatch&) = delete;

  // Within a batch on the calling thread: keeps `wake` for the batch's end and returns true.
  // Otherwise returns false, and the caller wakes the receiver itself.
  static bool Defer(std::function<void()> wake);

 private:
  std::vector<std::function<void()>> deferred_;
  WakeupBatch* outer_;  // batches nest; the outermost one makes the wake-ups
};

}  // namespace hop
