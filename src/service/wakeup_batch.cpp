#include "service/wakeup_batch.h"

namespace hop {
namespace {

thread_local WakeupBatch* current_batch = nullptr;

}  // namespace

WakeupBatch::WakeupBatch() : outer_(current_batch) {
  if (outer_ == nullptr) current_batch = this;
}

WakeupBatch::~WakeupBatch() {
  if (outer_ != nullptr) return;
  current_batch = nullptr;
  for (std::function<void()>& wake : deferred_) wake();
}

bool WakeupBatch::Defer(std::function<void()> wake) {
  if (current_batch == nullptr) return false;
  current_batch->deferred_.push_back(std::move(wake));
  return true;
}

}  // namespace hop
