// PgConnectionPool: the few PostgreSQL connections of one store, shared by all its threads.
//
// A caller borrows a connection for one store call and gives it back; when every connection is lent
// out it waits for one. A handful is plenty: each store call is a single short round trip
// (AddClicks too, whatever the number of clicks), and every connection costs a server process that
// all hop instances draw from PostgreSQL's max_connections. Connections connect lazily and heal
// themselves after an outage (see pg_connection.h). While the server is down, the pool's circuit
// breaker (pg_circuit_breaker.h) makes calls fail at once instead of each waiting on a connection
// attempt: a lease is then returned within microseconds, so callers rarely wait for one.
//
// Thread-safe. Leases must not outlive the pool.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/pg_connection.h"

namespace hop {

class PgConnectionPool {
 public:
  class Lease;

  // REQUIRES: size >= 1. Opens no connection yet.
  PgConnectionPool(const std::string& conninfo, size_t size);
  PgConnectionPool(const PgConnectionPool&) = delete;
  PgConnectionPool& operator=(const PgConnectionPool&) = delete;

  // Blocks until a connection is free.
  Lease Acquire();

 private:
  void Return(PgConnection* connection);

  PgCircuitBreaker breaker_;  // shared by the connections, so declared before them
  std::vector<std::unique_ptr<PgConnection>> connections_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<PgConnection*> idle_;  // guarded by mutex_
};

class PgConnectionPool::Lease {
 public:
  Lease(Lease&& other) noexcept
      : pool_(other.pool_), connection_(std::exchange(other.connection_, nullptr)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (connection_) pool_->Return(connection_);
  }

  PgConnection& operator*() const { return *connection_; }
  PgConnection* operator->() const { return connection_; }

 private:
  friend class PgConnectionPool;
  Lease(PgConnectionPool* pool, PgConnection* connection) : pool_(pool), connection_(connection) {}

  PgConnectionPool* pool_;
  PgConnection* connection_;
};

}  // namespace hop
