// LinkCreator: writes new links to the store in groups, one transaction for all that wait (group
// commit).
//
// A commit costs the store a write to its log (SQLite: a pwrite to the WAL; PostgreSQL: a WAL flush
// and a round trip) whatever it holds, so committing each create on its own caps creates at the
// commits the store can make per second. Here creates are queued from any thread, and one
// committer thread takes everything queued, writes it with a single Store::CreateLinks, and
// completes each submission; while it writes, new creates queue up and form the next batch. There
// is no timer: a create that finds the committer idle is written at once, so batching adds no
// latency, and batches grow exactly when creates arrive faster than the store commits.
//
// A submission (one create, or a bulk request's links) is completed after the commit that wrote
// its last link, so a completed create survives a crash. Its links go into one batch together
// unless the code the store generated for one turns out taken (PostgreSQL's are random, see
// NewLink): that link alone is retried with a fresh code in a later batch, up to kMaxCodeAttempts.
// A taken alias is kAliasTaken. The code of every created link is published to LinkEvents after the
// commit and before its submission completes, so no cache answers "not found" for it once the
// client has heard of it.
//
// Thread-safety: Submit and Drain from any thread. Completions run on the committer thread, one
// at a time, and hold up the next batch while they run: they should only hand the results on (a
// server sends them to the connection's thread), must not throw, and must not wait for other
// creates.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/link.h"
#include "core/status.h"
#include "service/link_events.h"
#include "store/store.h"

namespace hop {

// With 62^7 codes, even a store of a billion links makes a random code collide with probability
// 3e-4; eight collisions in a row mean something other than bad luck.
inline constexpr int kMaxCodeAttempts = 8;

// The most links one batch writes, so that a backlog (a slow store, a burst of bulk requests)
// becomes several bounded transactions rather than one that holds the write lock for long. A
// submission is never split, so a batch may exceed it by one submission.
inline constexpr size_t kMaxLinksPerBatch = 10'000;

// One link to create. REQUIRES: `fields` validated and normalized, `alias` a valid alias.
struct LinkToCreate {
  std::optional<std::string> alias;  // none: a generated code
  LinkFields fields;
};

class LinkCreator {
 public:
  // One result per link of the submission, in its order.
  using Done = std::function<void(std::vector<Result<Link>> links)>;

  // Starts the committer thread.
  LinkCreator(Store& store, const Clock& clock, const LinkEvents& events);
  // Stop()s.
  ~LinkCreator();
  LinkCreator(const LinkCreator&) = delete;
  LinkCreator& operator=(const LinkCreator&) = delete;

  // Queues `links` to be created together and calls `done` exactly once: on the committer thread
  // after they are written, or at once, on the calling thread, with kStoreUnavailable for each
  // when the creator has stopped. An empty `links` completes at once with no results.
  void Submit(std::vector<LinkToCreate> links, Done done);

  // Returns when no link is queued or being written: every submission made before the call has
  // completed. Creates submitted meanwhile are waited for too.
  void Drain();

  // Writes and completes everything queued, then ends the committer thread; later submissions
  // fail. Idempotent.
  void Stop();

  // For metrics and tests, from any thread: the batches written so far (Store::CreateLinks calls,
  // one transaction each), and the links they created. Their ratio is the mean batch size.
  uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }
  uint64_t links_created() const { return links_created_.load(std::memory_order_relaxed); }

 private:
  struct Submission;
  // A link waiting to be written, and where its result goes.
  struct Pending {
    std::shared_ptr<Submission> submission;
    size_t index;  // in the submission
    LinkToCreate link;
    int attempts = 0;  // writes that found its generated code taken
  };

  void Run();
  std::vector<Pending> TakeBatch();
  void Write(std::vector<Pending> batch);
  // Completes the links of `batch` that `written` settled, and returns those whose generated code
  // was taken, to be written again.
  std::vector<Pending> Complete(std::vector<Pending>& batch, std::vector<NewLink>& links,
                                Result<std::vector<Result<Link>>> written);

  Store& store_;
  const Clock& clock_;
  const LinkEvents& events_;

  std::mutex mutex_;
  std::condition_variable work_;     // the committer waits for links or for Stop
  std::condition_variable drained_;  // Drain waits for outstanding_ to reach 0
  std::vector<Pending> queue_;       // guarded by mutex_, oldest first
  size_t outstanding_ = 0;           // links submitted and not completed; guarded by mutex_
  bool committer_idle_ = false;      // waiting for work; guarded by mutex_
  bool stopping_ = false;            // guarded by mutex_
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> links_created_{0};
  std::thread committer_;  // last: it starts in the constructor and uses every member above
};

}  // namespace hop
