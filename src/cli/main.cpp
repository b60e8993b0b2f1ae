// hop: a URL shortener. `hop serve` runs the server; admin commands work on its store directly;
// client commands talk to a running server over the API.
#include <CLI/CLI.hpp>

#include "cli/client_commands.h"
#include "cli/keys_command.h"
#include "cli/migrate_command.h"
#include "cli/serve_command.h"

int main(int argc, char** argv) {
  CLI::App app("hop: a self-hosted URL shortener");
  app.require_subcommand(1);
  hop::ServeFlags serve_flags;
  CLI::App* serve = hop::AddServeCommand(app, serve_flags);
  hop::MigrateFlags migrate_flags;
  CLI::App* migrate = hop::AddMigrateCommand(app, migrate_flags);
  hop::KeysFlags keys_flags;
  hop::KeysCommands keys = hop::AddKeysCommands(app, keys_flags);
  hop::ClientFlags client_flags;
  hop::ClientCommands client = hop::AddClientCommands(app, client_flags);
  CLI11_PARSE(app, argc, argv);
  if (serve->parsed()) return hop::RunServe(serve_flags);
  if (migrate->parsed()) return hop::RunMigrate(migrate_flags);
  if (int code = hop::RunKeysCommand(keys, keys_flags); code >= 0) return code;
  return hop::RunClientCommand(client, client_flags);
}
