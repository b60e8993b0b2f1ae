#include "service/click_pipeline.h"

#include <algorithm>
#include <chrono>
#include <span>
#include <string>

#include "service/log.h"
#include "service/thread_name.h"

namespace hop {

ClickPipeline::ClickPipeline(Store& store, const Clock& clock, size_t recorders,
                             ClickPipelineOptions options)
    : store_(store), clock_(clock), options_(options) {
  for (size_t i = 0; i < recorders; ++i) recorders_.push_back(std::make_unique<ClickRecorder>());
}

ClickPipeline::~ClickPipeline() {
  if (flusher_.joinable()) (void)Stop();
}

void ClickPipeline::Start() {
  flusher_ = std::thread([this] {
    NameThisThread("hop-clicks");
    RunFlusher();
  });
}

Status ClickPipeline::Stop() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  return Flush();
}

uint64_t ClickPipeline::pending_clicks() const {
  uint64_t clicks = pending_clicks_.load(std::memory_order_relaxed);
  for (const auto& recorder : recorders_) clicks += recorder->queued();
  return clicks;
}

void ClickPipeline::RunFlusher() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_for(lock, options_.flush_interval, [this] { return stopping_; })) {
    lock.unlock();
    (void)Flush();   // logs its failures itself
    (void)RollUp();  // likewise
    PruneIfDue();
    lock.lock();
  }
}

Status ClickPipeline::Flush() {
  std::lock_guard lock(flush_mutex_);
  MergeDrained();
  if (pending_.empty()) return Status::Ok();

  std::vector<MinuteClicks> batch;
  batch.reserve(pending_.size());
  for (const auto& [key, counts] : pending_)
    batch.push_back({key.link_id, key.minute, counts.humans, counts.bots});
  // In the order of the store's minute rows, so that each write lands next to the one before, and
  // a backlog goes oldest first.
  std::sort(batch.begin(), batch.end(), [](const MinuteClicks& a, const MinuteClicks& b) {
    return a.minute != b.minute ? a.minute < b.minute : a.link_id < b.link_id;
  });
  uint64_t written = 0;
  for (size_t first = 0; first < batch.size(); first += kMaxEntriesPerWrite) {
    const auto part = std::span<const MinuteClicks>(batch).subspan(
        first, std::min(kMaxEntriesPerWrite, batch.size() - first));
    if (Status status = store_.AddClicks(part); !status.ok()) {
      // Only what was written leaves the buffer; the rest is tried again next interval.
      for (const MinuteClicks& entry : std::span(batch).first(first))
        pending_.erase(Key{entry.link_id, entry.minute});
      CountWritten(written);
      return Failed(status);
    }
    for (const MinuteClicks& entry : part)
      written += static_cast<uint64_t>(entry.humans + entry.bots);
  }
  pending_.clear();
  CountWritten(written);
  if (failed_flushes_ > 0) {
    LogLine("click flush succeeded after " + std::to_string(failed_flushes_) +
            " failed attempts: " + std::to_string(written) + " kept clicks written");
    failed_flushes_ = 0;
  }
  return Status::Ok();
}

void ClickPipeline::CountWritten(uint64_t clicks) {
  pending_size_.store(pending_.size(), std::memory_order_relaxed);
  pending_clicks_.fetch_sub(clicks, std::memory_order_relaxed);
  flushed_clicks_.fetch_add(clicks, std::memory_order_relaxed);
}

Status ClickPipeline::Failed(const Status& status) {
  // An outage fails every interval; one line when it starts is news, one per interval is noise.
  if (failed_flushes_++ == 0) {
    LogLine("click flush failed; keeping the clicks and retrying every interval: " +
            status.detail());
  }
  DropOldestBeyondLimit();
  return status;
}

void ClickPipeline::MergeDrained() {
  drained_.clear();
  for (auto& recorder : recorders_) recorder->DrainInto(drained_);
  for (const ClickEvent& event : drained_) {
    Counts& counts = pending_[Key{event.link_id, event.minute}];
    (event.bot ? counts.bots : counts.humans) += 1;
  }
  pending_size_.store(pending_.size(), std::memory_order_relaxed);
  pending_clicks_.fetch_add(drained_.size(), std::memory_order_relaxed);
}

void ClickPipeline::DropOldestBeyondLimit() {
  if (pending_.size() <= options_.max_pending) return;
  std::vector<std::pair<int64_t, Key>> by_age;
  by_age.reserve(pending_.size());
  for (const auto& [key, counts] : pending_) by_age.emplace_back(key.minute, key);
  const size_t excess = pending_.size() - options_.max_pending;
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<ptrdiff_t>(excess), by_age.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  uint64_t dropped = 0;
  for (size_t i = 0; i < excess; ++i) {
    auto it = pending_.find(by_age[i].second);
    dropped += static_cast<uint64_t>(it->second.humans + it->second.bots);
    pending_.erase(it);
  }
  dropped_clicks_.fetch_add(dropped, std::memory_order_relaxed);
  pending_size_.store(pending_.size(), std::memory_order_relaxed);
  pending_clicks_.fetch_sub(dropped, std::memory_order_relaxed);
  LogLine("click buffer full while the store is unreachable: dropped " + std::to_string(dropped) +
          " clicks of the oldest minutes");
}

Status ClickPipeline::RollUp() {
  const TimePoint ended_before = clock_.Now() - RollUpDelay();
  const int64_t due = FirstMinuteOfBucket(
      Granularity::kHour, BucketOfMinute(Granularity::kHour, MinuteOf(ended_before)));
  if (due <= rolled_up_before_) return Status::Ok();
  const auto slice_end = std::chrono::steady_clock::now() + kRollUpSlice;
  for (;;) {
    Result<bool> done = store_.RollUpClicks(due, kLinksPerRollUpStep);
    if (!done.ok()) return RollUpFailed(done.status());
    if (failed_rollups_ > 0) {
      LogLine("click rollup succeeded after " + std::to_string(failed_rollups_) +
              " failed attempts");
      failed_rollups_ = 0;
    }
    if (done.value()) {
      rolled_up_before_ = due;
      return Status::Ok();
    }
    if (std::chrono::steady_clock::now() >= slice_end) return Status::Ok();
  }
}

Status ClickPipeline::RollUpFailed(const Status& status) {
  // As with flushes: one line when failures start, one when they end.
  if (failed_rollups_++ == 0) {
    LogLine("click rollup failed; reads stay exact, retrying every interval: " + status.detail());
  }
  return status;
}

void ClickPipeline::PruneIfDue() {
  const int64_t now = MinuteOf(clock_.Now());
  if (now - last_prune_minute_ < kMinutesPerHour) return;
  const int64_t minute_before = now - kMinuteRetentionMinutes;
  const int64_t hour_before = BucketOfMinute(Granularity::kHour, now - kHourRetentionMinutes);
  if (Status s = store_.PruneClickBuckets(minute_before, hour_before); !s.ok()) {
    LogLine("pruning old click buckets failed: " + s.detail());
    return;
  }
  last_prune_minute_ = now;
}

}  // namespace hop
