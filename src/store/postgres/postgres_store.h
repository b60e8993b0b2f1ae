// OpenPostgresStore: the Store on a PostgreSQL server, for production, where several stateless hop
// instances share one database.
//
// Each instance keeps a small pool of connections that reconnect by themselves after an outage.
// Every store call is one statement, so one round trip and one implicit transaction; nothing holds
// a transaction open between calls, and what several instances do at once composes: click counts
// add up exactly, a visit is claimed by one conditional UPDATE, and migrations take turns under an
// advisory lock. The tables live in the first schema of the session's search_path, so a conninfo
// with options=-csearch_path=NAME puts hop in a schema of its own.
//
// Thread-safe, as the Store contract requires.
#pragma once

#include <memory>
#include <string_view>

#include "store/store.h"

namespace hop {

// Opens a store on the server named by `conninfo`: a postgres:// or postgresql:// URI or libpq's
// "key=value ..." form. Connects once, to fail early; the schema is not touched: call Migrate().
// kInvalidRequest when `conninfo` does not parse, kStoreUnavailable when the server cannot be
// reached.
Result<std::unique_ptr<Store>> OpenPostgresStore(std::string_view conninfo);

}  // namespace hop
