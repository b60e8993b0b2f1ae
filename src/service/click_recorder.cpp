#include "service/click_recorder.h"

#include <algorithm>

namespace hop {

ClickRecorder::ClickRecorder(size_t capacity)
    : mask_(capacity - 1), ring_(new ClickEvent[capacity]) {}

void ClickRecorder::Record(const ClickEvent& event) {
  const uint64_t head = head_.load(std::memory_order_relaxed);
  // Re-reading the consumer's index only when the ring looks full keeps the shared line out of the
  // common case.
  if (head - tail_seen_by_producer_ > mask_) {
    tail_seen_by_producer_ = tail_.load(std::memory_order_acquire);
    if (head - tail_seen_by_producer_ > mask_) return Spill(event);
  }
  ring_[head & mask_] = event;
  head_.store(head + 1, std::memory_order_release);
}

void ClickRecorder::Spill(const ClickEvent& event) {
  std::lock_guard lock(spill_mutex_);
  spill_.push_back(event);
}

void ClickRecorder::DrainInto(std::vector<ClickEvent>& out) {
  const uint64_t tail = tail_.load(std::memory_order_relaxed);
  const uint64_t head = head_.load(std::memory_order_acquire);
  // The ring's part from tail to head is at most two contiguous ranges: up to its end, and on
  // from its start.
  const size_t first = tail & mask_;
  const size_t count = static_cast<size_t>(head - tail);
  const size_t before_end = std::min(count, mask_ + 1 - first);
  out.insert(out.end(), &ring_[first], &ring_[first] + before_end);
  out.insert(out.end(), &ring_[0], &ring_[0] + (count - before_end));
  tail_.store(head, std::memory_order_release);

  std::lock_guard lock(spill_mutex_);
  out.insert(out.end(), spill_.begin(), spill_.end());
  spill_.clear();
}

size_t ClickRecorder::queued() const {
  // The tail is read first: the head only grows, so the difference is never negative.
  const uint64_t tail = tail_.load(std::memory_order_acquire);
  const uint64_t head = head_.load(std::memory_order_acquire);
  std::lock_guard lock(spill_mutex_);
  return static_cast<size_t>(head - tail) + spill_.size();
}

}  // namespace hop
