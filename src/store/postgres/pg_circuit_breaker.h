// PgCircuitBreaker: keeps a store's callers from waiting on, and its connections from hammering, a
// PostgreSQL server that is down.
//
// Connecting to a server that is down costs the caller up to connect_timeout (a host that drops
// packets) and achieves nothing. Callers are often HTTP workers, event-loop threads that must not
// block, so once a connection attempt fails the breaker opens: every further attempt fails at once
// with kStoreUnavailable, quoting the last failure, until the retry time comes. Then one caller,
// the probe, tries to connect while the others go on failing fast. A failed probe doubles the wait,
// up to `max_retry`; any successful connection closes the breaker. A closed breaker limits nothing:
// after a server restart every pooled connection reconnects at once.
//
// Thread-safe. Time is passed in, so that tests can drive it.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace hop {

class PgCircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;

  // REQUIRES: 0 < first_retry <= max_retry.
  PgCircuitBreaker(Millis first_retry, Millis max_retry)
      : first_retry_(first_retry), max_retry_(max_retry) {}
  PgCircuitBreaker(const PgCircuitBreaker&) = delete;
  PgCircuitBreaker& operator=(const PgCircuitBreaker&) = delete;

  // Ok when the caller may try to connect now; it must then report the outcome to AfterConnect.
  // kStoreUnavailable while the breaker is open and the retry time has not come, or another caller
  // is already trying.
  Status BeforeConnect(Clock::time_point now);

  // The outcome of an attempt that BeforeConnect allowed.
  void AfterConnect(const Status& outcome, Clock::time_point now);

 private:
  Millis RetryDelay() const;

  const Millis first_retry_;
  const Millis max_retry_;
  std::mutex mutex_;
  bool open_ = false;           // guarded by mutex_, as are the members below
  bool probing_ = false;        // a caller is trying to connect while the breaker is open
  int failed_probes_ = 0;       // since the breaker opened; the first failure counts as one
  Clock::time_point retry_at_;  // when the next probe may start
  std::string last_error_;
};

}  // namespace hop
