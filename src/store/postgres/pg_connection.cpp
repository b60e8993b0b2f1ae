// PgConnection: connecting, noticing a dead connection before using it, and preparing statements
// once.
#include "store/postgres/pg_connection.h"

#include <poll.h>

#include <vector>

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

// Connection parameters hop sets unless the conninfo does: libpq lets later parameters win, and the
// expanded conninfo comes last.
constexpr PgSetting kConnectionDefaults[] = {
    // Connecting happens on the caller's thread, which may be an HTTP worker's event loop: an
    // unreachable host must fail the call in seconds, not after the kernel's minutes of retries.
    // Two seconds is libpq's smallest timeout.
    {"connect_timeout", "2"},
    // A server gone without closing its connections (host down, network partition) is noticed
    // within a minute, not after the kernel's default of two hours.
    {"keepalives_idle", "30"},
    {"keepalives_interval", "10"},
    {"keepalives_count", "3"},
    // A statement sent into a partition is not answered and not acknowledged either; without this
    // the kernel retransmits for about fifteen minutes before the call fails.
    {"tcp_user_timeout", "5000"},
    // Tells hop's sessions apart in pg_stat_activity.
    {"fallback_application_name", "hop"},
};

// A statement stuck behind a lock or a failing disk must not hold a pool connection forever: past
// the timeout it fails, as kStoreUnavailable. A timeout the operator configured (for the role, the
// database, or options in the conninfo) is kept.
constexpr char kSessionDefaults[] =
    "SELECT set_config('statement_timeout', '10s', false) "
    "WHERE current_setting('statement_timeout') = '0'";

}  // namespace

Result<PgSession> OpenPgSession(const std::string& conninfo, std::span<const PgSetting> settings) {
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (std::span<const PgSetting> list :
       {std::span<const PgSetting>(kConnectionDefaults), settings}) {
    for (const PgSetting& setting : list) {
      keywords.push_back(setting.keyword);
      values.push_back(setting.value);
    }
  }
  keywords.insert(keywords.end(), {"dbname", nullptr});
  values.insert(values.end(), {conninfo.c_str(), nullptr});
  PgSession session(PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1));
  if (session == nullptr || PQstatus(session.get()) != CONNECTION_OK)
    return PgConnectError(session.get());
  // libpq prints the server's notices and warnings to stderr by default ("relation already exists,
  // skipping"); they are not errors, and hop reports its errors itself.
  PQsetNoticeProcessor(session.get(), IgnoreNotice, nullptr);
  OwnedResult limited(PQexec(session.get(), kSessionDefaults));
  if (!Succeeded(limited.get())) return PgError(session.get(), limited.get());
  return session;
}

PgConnection::~PgConnection() { Close(); }

Status PgConnection::Connect() {
  if (Healthy()) return Status::Ok();
  Close();
  if (breaker_ != nullptr) {
    if (Status may = breaker_->BeforeConnect(PgCircuitBreaker::Clock::now()); !may.ok()) return may;
  }
  Result<PgSession> session = OpenPgSession(conninfo_);
  if (breaker_ != nullptr) {
    breaker_->AfterConnect(session.ok() ? Status::Ok() : session.status(),
                           PgCircuitBreaker::Clock::now());
  }
  if (!session.ok()) return session.status();
  conn_ = session.value().release();
  return Status::Ok();
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
