// PgCircuitBreaker: closed, open, and open with a probe in flight.
#include "store/postgres/pg_circuit_breaker.h"

#include <algorithm>

namespace hop {

Status PgCircuitBreaker::BeforeConnect(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (!open_) return Status::Ok();
  if (!probing_ && now >= retry_at_) {
    probing_ = true;
    return Status::Ok();
  }
  const auto wait = std::chrono::ceil<Millis>(std::max(retry_at_ - now, Clock::duration::zero()));
  return Status::Error(
      ErrorCode::kStoreUnavailable,
      "PostgreSQL is unreachable; hop tries to reconnect " +
          (probing_ ? std::string("now") : "in " + std::to_string(wait.count()) + " ms") +
          " (last error: " + last_error_ + ")");
}

void PgCircuitBreaker::AfterConnect(const Status& outcome, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (outcome.ok()) {
    open_ = probing_ = false;
    failed_probes_ = 0;
    return;
  }
  // Attempts that started while the breaker was still closed fail together when the server goes
  // away; only the first of them, and then each probe, lengthens the wait.
  if (!open_ || probing_) ++failed_probes_;
  open_ = true;
  probing_ = false;
  retry_at_ = now + RetryDelay();
  last_error_ = outcome.detail();
}

Millis PgCircuitBreaker::RetryDelay() const {
  Millis delay = first_retry_;
  for (int i = 1; i < failed_probes_ && delay < max_retry_; ++i) delay *= 2;
  return std::min(delay, max_retry_);
}

}  // namespace hop
