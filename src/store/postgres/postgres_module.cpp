#include "store/postgres/postgres_module.h"

#include "store/postgres/postgres_store.h"

// Fills `store` with OpenPostgresStore(conninfo). An out-parameter, because a function with C
// linkage cannot return a C++ class portably.
extern "C" __attribute__((visibility("default"))) void hop_open_postgres_store(
    std::string_view conninfo, hop::Result<std::unique_ptr<hop::Store>>* store) {
  *store = hop::OpenPostgresStore(conninfo);
}

// The module's type must match what the loader calls.
static_assert(std::is_same_v<decltype(&hop_open_postgres_store), hop::OpenPostgresStoreFunction>);
