#include "service/click_pipeline.h"

#include <algorithm>
#include <chrono>
#include <span>
#include <string>

#include "service/click_sort.h"
#include "service/log.h"
#include "service/thread_name.h"

namespace hop {
namespace {

// (minute, link) order.
bool Before(const MinuteClicks& a, const MinuteClicks& b) {
  return a.minute != b.minute ? a.minute < b.minute : a.link_id < b.link_id;
}

// Sums each run of entries of one (link, minute) into one entry. REQUIRES: sorted by Before.
void SumRuns(std::vector<MinuteClicks>& entries) {
  size_t kept = 0;
  for (const MinuteClicks& entry : entries) {
    MinuteClicks* last = kept > 0 ? &entries[kept - 1] : nullptr;
    if (last != nullptr && last->minute == entry.minute && last->link_id == entry.link_id) {
      last->humans += entry.humans;
      last->bots += entry.bots;
    } else {
      entries[kept++] = entry;
    }
  }
  entries.resize(kept);
}

}  // namespace

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
  if (pending_.empty()) {
    CloseIdleMinutes();
    return Status::Ok();
  }

  uint64_t written = 0;
  const size_t per_write = store_.max_clicks_per_write();
  for (size_t first = 0; first < pending_.size(); first += per_write) {
    const auto part = std::span<const MinuteClicks>(pending_).subspan(
        first, std::min(per_write, pending_.size() - first));
    if (Status status = store_.AddClicks(part); !status.ok()) {
      // Only what was written leaves the buffer; the rest is tried again next interval.
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(first));
      CountWritten(written);
      return Failed(status);
    }
    for (const MinuteClicks& entry : part)
      written += static_cast<uint64_t>(entry.humans + entry.bots);
  }
  pending_.clear();
  store_may_hold_minutes_ = true;
  CountWritten(written);
  if (failed_flushes_ > 0) {
    LogLine("click flush succeeded after " + std::to_string(failed_flushes_) +
            " failed attempts: " + std::to_string(written) + " kept clicks written");
    failed_flushes_ = 0;
  }
  return Status::Ok();
}

// With nothing to write, every click recorded so far is written, and none recorded from now on
// can be of a minute the clock has passed. A failure loses nothing, and the next idle flush tries
// again.
void ClickPipeline::CloseIdleMinutes() {
  if (!store_may_hold_minutes_) return;
  Result<bool> closed = store_.CloseMinutesBefore(MinuteOf(clock_.Now()));
  if (closed.ok()) store_may_hold_minutes_ = !closed.value();
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
  pending_clicks_.fetch_add(drained_.size(), std::memory_order_relaxed);
  CollapseDrained();
  if (pending_.empty()) {
    pending_.swap(collapsed_);
  } else {  // what a failed flush left
    const auto old_end = static_cast<ptrdiff_t>(pending_.size());
    pending_.insert(pending_.end(), collapsed_.begin(), collapsed_.end());
    std::inplace_merge(pending_.begin(), pending_.begin() + old_end, pending_.end(), Before);
    SumRuns(pending_);
  }
  pending_size_.store(pending_.size(), std::memory_order_relaxed);
}

void ClickPipeline::CollapseDrained() {
  SortClicks(drained_, sort_scratch_);
  collapsed_.clear();
  for (const ClickEvent& event : drained_) {
    if (collapsed_.empty() || collapsed_.back().minute != event.minute ||
        collapsed_.back().link_id != event.link_id) {
      collapsed_.push_back({event.link_id, event.minute, 0, 0});
    }
    ++(event.bot ? collapsed_.back().bots : collapsed_.back().humans);
  }
}

void ClickPipeline::DropOldestBeyondLimit() {
  if (pending_.size() <= options_.max_pending) return;
  const auto excess = static_cast<ptrdiff_t>(pending_.size() - options_.max_pending);
  uint64_t dropped = 0;
  for (auto it = pending_.begin(); it != pending_.begin() + excess; ++it)
    dropped += static_cast<uint64_t>(it->humans + it->bots);
  pending_.erase(pending_.begin(), pending_.begin() + excess);
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
