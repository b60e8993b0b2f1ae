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

#include <string>
#include <unordered_set>

#include "core/status.h"
#include "store/postgres/pg_params.h"
#include "store/postgres/pg_result.h"

namespace hop {

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
  explicit PgConnection(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // Connects unless connected and healthy. kStoreUnavailable when the server cannot be reached.
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
  PGconn* conn_ = nullptr;
  std::unordered_set<const PgStatement*> prepared_;  // on conn_, which forgets them when it closes
};

}  // namespace hop
