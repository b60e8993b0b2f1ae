// `hop migrate`: brings a store's schema to the current version without serving.
#pragma once

#include <CLI/App.hpp>
#include <string>

#include "cli/store_options.h"

namespace hop {

struct MigrateFlags {
  StoreOptions storage;
};

CLI::App* AddMigrateCommand(CLI::App& app, MigrateFlags& flags);
int RunMigrate(const MigrateFlags& flags);

}  // namespace hop
