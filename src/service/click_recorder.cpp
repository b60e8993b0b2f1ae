#include "service/click_recorder.h"

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
  for (uint64_t i = tail; i < head; ++i) out.push_back(ring_[i & mask_]);
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
