#include "cli/migrate_command.h"

#include <iostream>

#include "cli/serve_command.h"
#include "store/store.h"

namespace hop {

CLI::App* AddMigrateCommand(CLI::App& app, MigrateFlags& flags) {
  CLI::App* cmd = app.add_subcommand("migrate", "Apply pending schema migrations to the store");
  AddStoreOptions(cmd, flags.storage);
  return cmd;
}

int RunMigrate(const MigrateFlags& flags) {
  if (Result<std::unique_ptr<Store>> store = OpenMigratedStore(flags.storage); !store.ok()) {
    std::cerr << "hop: " << store.status().detail() << "\n";
    return 1;
  }
  std::cerr << "hop: the schema is up to date\n";
  return 0;
}

}  // namespace hop
