#include "cli/migrate_command.h"

#include <iostream>

#include "cli/serve_command.h"
#include "store/store.h"

namespace hop {

CLI::App* AddMigrateCommand(CLI::App& app, MigrateFlags& flags) {
  CLI::App* cmd = app.add_subcommand("migrate", "Apply pending schema migrations to the store");
  cmd->add_option("--data-dir", flags.data_dir, "Directory for instance-local data")
      ->envname("HOP_DATA_DIR")
      ->capture_default_str();
  cmd->add_option("--store", flags.store,
                  "sqlite:PATH or postgres://... (default: sqlite:<data dir>/hop.db)")
      ->envname("HOP_STORE");
  return cmd;
}

int RunMigrate(const MigrateFlags& flags) {
  Result<std::unique_ptr<Store>> store = OpenStore(StoreSpec(flags.store, flags.data_dir));
  if (!store.ok()) {
    std::cerr << "hop: cannot open the store: " << store.status().detail() << "\n";
    return 1;
  }
  if (Status s = store.value()->Migrate(); !s.ok()) {
    std::cerr << "hop: migration failed: " << s.detail() << "\n";
    return 1;
  }
  std::cerr << "hop: the schema is up to date\n";
  return 0;
}

}  // namespace hop
