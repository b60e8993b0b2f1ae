// `hop migrate`: brings a store's schema to the current version without serving.
#pragma once

#include <CLI/App.hpp>
#include <string>

namespace hop {

struct MigrateFlags {
  std::string data_dir = "./hop-data";
  std::string store;
};

CLI::App* AddMigrateCommand(CLI::App& app, MigrateFlags& flags);
int RunMigrate(const MigrateFlags& flags);

}  // namespace hop
