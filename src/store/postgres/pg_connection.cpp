// PgConnection: connecting, noticing a dead connection before using it, and preparing statements
// once.
#include "store/postgres/pg_connection.h"

#include <poll.h>

#include "store/postgres/pg_status.h"

namespace hop {
namespace {

struct ClearResult {
  void operator()(PGresult* result) const { PQclear(result); }
};
using OwnedResult = std::unique_ptr<PGresult, ClearResult>;

bool Succeeded(const PGresult* result) {
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

void IgnoreNotice(void*, const char*) {}

}  // namespace

PgConnection::~PgConnection() { Close(); }

Status PgConnection::Connect() {
  if (Healthy()) return Status::Ok();
  Close();
  // Defaults that the conninfo may override, since libpq lets later parameters win and the expanded
  // conninfo comes last: without connect_timeout libpq would wait for an unreachable host for as
  // long as the kernel keeps trying (minutes), and the application name tells hop's sessions apart
  // in pg_stat_activity.
  const char* const keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                                  nullptr};
  const char* const values[] = {"5", "hop", conninfo_.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) {
    // libpq prints the server's notices and warnings to stderr by default ("relation already
    // exists, skipping"); they are not errors, and hop reports its errors itself.
    PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
    return Status::Ok();
  }
  Status error = PgConnectError(conn_);
  Close();
  return error;
}

// A connection is usable when libpq thinks it is, it is outside any transaction, and the server has
// not spoken since the last answer. An idle session has nothing to read: the server only speaks
// unasked to say goodbye (a shutdown or pg_terminate_backend sends a FATAL error, then closes).
// Noticing that here, without a round trip, means the first statement after a server restart runs
// on a fresh connection instead of failing on the stale one.
bool PgConnection::Healthy() const {
  if (conn_ == nullptr || PQtransactionStatus(conn_) != PQTRANS_IDLE) return false;
  pollfd socket{.fd = PQsocket(conn_), .events = POLLIN, .revents = 0};
  return poll(&socket, 1, 0) == 0;
}

// A transaction is the caller's: its statements must all run on the same session, so a connection
// in one is never replaced, even when it broke (the caller sees the error and ends the
// transaction).
bool PgConnection::InTransaction() const {
  PGTransactionStatusType status = conn_ ? PQtransactionStatus(conn_) : PQTRANS_UNKNOWN;
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
}

void PgConnection::Close() {
  PQfinish(conn_);  // accepts null
  conn_ = nullptr;
  prepared_.clear();
}

Result<PgResult> PgConnection::Execute(const PgStatement& statement, const PgParams& params) {
  if (!InTransaction()) {
    if (Status connected = Connect(); !connected.ok()) return connected;
  }
  PgParams::Arrays bound = params.Bind();
  PGresult* result = nullptr;
  if (statement.plan_each_call) {
    result = PQexecParams(conn_, statement.sql, params.size(), /*paramTypes=*/nullptr,
                          bound.values.data(), bound.lengths.data(), bound.formats.data(),
                          /*resultFormat=*/1);
  } else {
    if (!prepared_.contains(&statement)) {
      OwnedResult prepared(PQprepare(conn_, statement.name, statement.sql, 0, nullptr));
      if (!Succeeded(prepared.get())) return PgError(conn_, prepared.get());
      prepared_.insert(&statement);
    }
    result = PQexecPrepared(conn_, statement.name, params.size(), bound.values.data(),
                            bound.lengths.data(), bound.formats.data(), /*resultFormat=*/1);
  }
  if (!Succeeded(result)) {
    OwnedResult failed(result);
    return PgError(conn_, failed.get());
  }
  return PgResult(result);
}

Status PgConnection::Run(const char* sql) {
  if (!InTransaction()) {
    if (Status connected = Connect(); !connected.ok()) return connected;
  }
  OwnedResult result(PQexec(conn_, sql));
  return Succeeded(result.get()) ? Status::Ok() : PgError(conn_, result.get());
}

}  // namespace hop
