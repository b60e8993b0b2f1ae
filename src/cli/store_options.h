// Where a command finds its store: --data-dir and --store, the same for `hop serve`, `hop migrate`
// and `hop keys`, so that each finds the store the others use.
#pragma once

#include <CLI/App.hpp>
#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace hop {

struct StoreOptions {
  std::string data_dir = "./hop-data";
  std::string store;  // default: sqlite:<data dir>/hop.db
};

void AddStoreOptions(CLI::App* cmd, StoreOptions& options);

// The store spec the options name: --store, or the SQLite file in the data dir.
std::string StoreSpec(const StoreOptions& options);

// Opens the store and brings its schema to the newest version. The error says which of the two
// failed.
Result<std::unique_ptr<Store>> OpenMigratedStore(const StoreOptions& options);

}  // namespace hop
