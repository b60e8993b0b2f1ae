#include "service/link_creator.h"

#include "service/thread_name.h"
#include "service/wakeup_batch.h"

namespace hop {

struct LinkCreator::Submission {
  std::vector<Result<Link>> results;
  size_t remaining;  // links not written yet; touched by the committer only
  Done done;
};

LinkCreator::LinkCreator(Store& store, const Clock& clock, const LinkEvents& events)
    : store_(store), clock_(clock), events_(events), committer_([this] {
        NameThisThread("hop-creates");
        Run();
      }) {}

LinkCreator::~LinkCreator() { Stop(); }

void LinkCreator::Submit(std::vector<LinkToCreate> links, Done done) {
  if (links.empty()) return done({});
  const size_t count = links.size();
  // Each result is a placeholder until its link is written, one per link of a bulk request: its
  // detail is short enough to need no allocation of its own.
  auto submission = std::make_shared<Submission>(Submission{
      .results =
          std::vector<Result<Link>>(count, Status::Error(ErrorCode::kInternal, "not written")),
      .remaining = count,
      .done = std::move(done)});
  bool queued = false;
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      for (size_t i = 0; i < count; ++i)
        queue_.push_back({.submission = submission, .index = i, .link = std::move(links[i])});
      outstanding_ += count;
      queued = true;
      // A busy committer looks at the queue again when it has written its batch; only an idle one
      // needs waking, which spares a busy server a system call per create.
      wake = committer_idle_;
    }
  }
  if (wake) work_.notify_one();
  if (queued) return;
  std::vector<Result<Link>> stopped(
      count, Status::Error(ErrorCode::kStoreUnavailable, "the server is stopping"));
  submission->done(std::move(stopped));
}

void LinkCreator::Drain() {
  std::unique_lock lock(mutex_);
  drained_.wait(lock, [this] { return outstanding_ == 0; });
}

void LinkCreator::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  if (committer_.joinable()) committer_.join();
}

void LinkCreator::Run() {
  for (;;) {
    std::vector<Pending> batch = TakeBatch();
    if (batch.empty()) return;  // stopping, and everything is written
    Write(std::move(batch));
  }
}

std::vector<LinkCreator::Pending> LinkCreator::TakeBatch() {
  std::unique_lock lock(mutex_);
  if (queue_.empty() && !stopping_) {
    committer_idle_ = true;
    work_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    committer_idle_ = false;
    // Woken by the first create of a worker's turn through its event loop, the committer would
    // take that one create alone, on a core it shares with the worker (as in the benchmark) even
    // before the worker has read the others that arrived with it. Yielding once lets the worker
    // finish its turn, so the batch holds them all: twice the creates per commit. With a core of
    // its own, the committer finds nothing else to run and goes on at once.
    lock.unlock();
    std::this_thread::yield();
    lock.lock();
  }
  size_t take = 0;
  while (take < queue_.size() &&
         (take < kMaxLinksPerBatch || queue_[take].submission == queue_[take - 1].submission)) {
    ++take;
  }
  std::vector<Pending> batch;
  if (take == queue_.size()) {
    batch.swap(queue_);
  } else {
    batch.assign(std::make_move_iterator(queue_.begin()),
                 std::make_move_iterator(queue_.begin() + static_cast<ptrdiff_t>(take)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(take));
  }
  return batch;
}

void LinkCreator::Write(std::vector<Pending> batch) {
  std::vector<NewLink> links;
  links.reserve(batch.size());
  for (Pending& pending : batch) {
    LinkToCreate& link = pending.link;
    links.push_back({link.alias.value_or(std::string()), std::move(link.fields)});
  }
  batches_.fetch_add(1, std::memory_order_relaxed);
  Result<std::vector<Result<Link>>> written = store_.CreateLinks(links, clock_.Now());
  std::vector<Pending> retries = Complete(batch, links, std::move(written));

  std::lock_guard lock(mutex_);
  outstanding_ -= batch.size() - retries.size();
  // Retries go first: they are older than anything queued meanwhile.
  queue_.insert(queue_.begin(), std::make_move_iterator(retries.begin()),
                std::make_move_iterator(retries.end()));
  if (outstanding_ == 0) drained_.notify_all();
}

std::vector<LinkCreator::Pending> LinkCreator::Complete(std::vector<Pending>& batch,
                                                        std::vector<NewLink>& links,
                                                        Result<std::vector<Result<Link>>> written) {
  std::vector<Pending> retries;
  std::vector<std::shared_ptr<Submission>> completed;
  std::vector<std::string> created;
  for (size_t i = 0; i < batch.size(); ++i) {
    Pending& pending = batch[i];
    Result<Link> result = written.ok() ? std::move(written.value()[i]) : written.status();
    const bool code_taken =
        !result.ok() && result.status().code() == ErrorCode::kAliasTaken && !pending.link.alias;
    if (code_taken && ++pending.attempts < kMaxCodeAttempts) {
      pending.link.fields = std::move(links[i].fields);  // left untouched by the store
      retries.push_back(std::move(pending));
      continue;
    }
    if (code_taken) {
      result = Status::Error(ErrorCode::kInternal, "could not find a free short code; try again");
    }
    if (result.ok()) created.push_back(result.value().code);
    Submission& submission = *pending.submission;
    submission.results[pending.index] = std::move(result);
    if (--submission.remaining == 0) completed.push_back(pending.submission);
  }
  links_created_.fetch_add(created.size(), std::memory_order_relaxed);
  // Before any answer: a cached "not found" for these codes must go, on every worker, before a
  // client can hear that the links exist. Published at once, not within the batch below, so that
  // every worker is told before any answer can be written.
  if (!created.empty()) events_.Publish(created);
  // The answers reach their workers together, once all are handed over.
  WakeupBatch wakeups;
  for (const std::shared_ptr<Submission>& submission : completed)
    submission->done(std::move(submission->results));
  return retries;
}

}  // namespace hop
