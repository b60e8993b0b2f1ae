// PgConnectionPool: a fixed set of connections behind a mutex and a condition variable.
#include "store/postgres/pg_connection_pool.h"

namespace hop {
namespace {

// After a failed connection attempt the next one waits 250 ms, then 0.5, 1, 2 and at most 4 s: a
// restarting server is found again within seconds, a dead one costs an attempt every 4 s.
constexpr Millis kFirstRetry{250};
constexpr Millis kMaxRetry{4000};

}  // namespace

PgConnectionPool::PgConnectionPool(const std::string& conninfo, size_t size)
    : breaker_(kFirstRetry, kMaxRetry) {
  for (size_t i = 0; i < size; ++i) {
    connections_.push_back(std::make_unique<PgConnection>(conninfo, &breaker_));
    idle_.push_back(connections_.back().get());
  }
}

PgConnectionPool::Lease PgConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty(); });
  // Last returned, first lent: under light load the same connection serves every call and the
  // others stay unopened, so an idle instance holds one server process, not the pool's size.
  PgConnection* connection = idle_.back();
  idle_.pop_back();
  return Lease(this, connection);
}

void PgConnectionPool::Return(PgConnection* connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(connection);
  }
  returned_.notify_one();
}

}  // namespace hop
