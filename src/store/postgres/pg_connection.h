// PgConnection: one libpq connection to PostgreSQL, used by one thread at a time (the pool lends it
// out).
//
// It connects on first use, and when it finds itself broken (the server restarted, the network
// dropped, an administrator ended the session) it reconnects on the next use rather than failing
// forever, so a store rides out an outage of its database without being reopened. Statements are
// prepared the first time they run on a connection and executed by name afterwards: the server
// parses and plans each once per connection, not once per call.
//
// Not thread-safe.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <span>
#include <string>
#include <unordered_set>

#include "core/status.h"
#include "store/postgres/pg_circuit_breaker.h"
#include "store/postgres/pg_params.h"
#include "store/postgres/pg_result.h"

namespace hop {

// A libpq connection parameter ("connect_timeout", "2").
struct PgSetting {
  const char* keyword;
  const char* value;
};

struct PgFinish {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using PgSession = std::unique_ptr<PGconn, PgFinish>;

// Opens a session with hop's defaults (short timeouts, keepalives, a statement timeout: see
// pg_connection.cpp), then `settings`, then what `conninfo` says, each overriding the one before.
// kStoreUnavailable when the server cannot be reached.
Result<PgSession> OpenPgSession(const std::string& conninfo,
                                std::span<const PgSetting> settings = {});

// A statement hop runs with parameters. Defined once, as a constant, by the file that runs it.
struct PgStatement {
  const char* name;  // unique among hop's statements: it names the prepared statement
  const char* sql;   // every placeholder cast to its type ($1::bigint), which PgParams relies on
  // Planned anew for each call, with the call's values, instead of prepared once. For the rare
  // statement whose best plan depends on the values: after a few calls PostgreSQL runs a prepared
  // statement with a generic plan, chosen as if it did not know them.
  bool plan_each_call = false;
};

class PgConnection {
 public:
  // `breaker`, when given, decides whether a broken connection may try to reconnect now (see
  // pg_circuit_breaker.h); it must outlive the connection.
  explicit PgConnection(std::string conninfo, PgCircuitBreaker* breaker = nullptr)
      : conninfo_(std::move(conninfo)), breaker_(breaker) {}
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // Connects unless connected and healthy. kStoreUnavailable when the server cannot be reached, or
  // at once, without trying, while the circuit breaker says the server is down.
  Status Connect();

  // Runs `statement` with `params` and returns its rows, if any, in binary.
  Result<PgResult> Execute(const PgStatement& statement, const PgParams& params = {});

  // Runs SQL text without parameters: one or more statements separated by semicolons, their results
  // discarded. For fixed SQL only (migrations, transaction control), never for anything built at
  // run time.
  Status Run(const char* sql);

 private:
  bool Healthy() const;
  bool InTransaction() const;
  void Close();

  const std::string conninfo_;
  PgCircuitBreaker* const breaker_;
  PGconn* conn_ = nullptr;
  std::unordered_set<const PgStatement*> prepared_;  // on conn_, which forgets them when it closes
};

}  // namespace hop
