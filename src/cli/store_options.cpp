#include "cli/store_options.h"

namespace hop {

void AddStoreOptions(CLI::App* cmd, StoreOptions& options) {
  cmd->add_option("--data-dir", options.data_dir,
                  "Directory for instance-local data (the SQLite file by default)")
      ->envname("HOP_DATA_DIR")
      ->capture_default_str();
  cmd->add_option("--store", options.store,
                  "sqlite:PATH or postgres://... (default: sqlite:<data dir>/hop.db)")
      ->envname("HOP_STORE");
}

std::string StoreSpec(const StoreOptions& options) {
  return options.store.empty() ? "sqlite:" + options.data_dir + "/hop.db" : options.store;
}

Result<std::unique_ptr<Store>> OpenMigratedStore(const StoreOptions& options) {
  Result<std::unique_ptr<Store>> store = OpenStore(StoreSpec(options));
  if (!store.ok()) {
    return Status::Error(store.status().code(),
                         "cannot open the store: " + store.status().detail());
  }
  if (Status s = store.value()->Migrate(); !s.ok()) {
    return Status::Error(s.code(), "migration failed: " + s.detail());
  }
  return store;
}

}  // namespace hop
