// How PostgreSQL's failures become hop's errors.
//
// A failure that waiting can cure is kStoreUnavailable: the server is unreachable, restarting or
// out of connections, a standby after a failover refuses writes, or a statement lost a deadlock or
// ran past a timeout. Everything else is kInternal with the server's own message: no input a caller
// may pass makes hop's statements fail (a taken alias is an ON CONFLICT, not an error).
#pragma once

#include <libpq-fe.h>

#include "core/status.h"

namespace hop {

// The error of a failed statement; `result` may be null (libpq returns none when the connection is
// lost or memory runs out).
Status PgError(PGconn* conn, const PGresult* result);

// kStoreUnavailable with libpq's reason why `conn` could not connect.
Status PgConnectError(PGconn* conn);

}  // namespace hop
