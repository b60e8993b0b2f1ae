// `hop keys create|list|revoke`: managing API keys on the store directly, like `hop migrate`, so
// an operator needs no key to make the first ones, and a revoked key cannot revoke anything.
#pragma once

#include <CLI/App.hpp>
#include <string>

#include "cli/store_options.h"

namespace hop {

struct KeysFlags {
  StoreOptions storage;
  std::string name;
  std::string role = "user";
  std::string scopes = "links:read,links:write,stats:read";
  std::string expires;  // RFC 3339 time or YYYY-MM-DD (midnight UTC); empty: never
};

struct KeysCommands {
  CLI::App* create = nullptr;
  CLI::App* list = nullptr;
  CLI::App* revoke = nullptr;
};

KeysCommands AddKeysCommands(CLI::App& app, KeysFlags& flags);

// Runs whichever keys command was parsed; returns the exit code, or -1 when none was.
int RunKeysCommand(const KeysCommands& commands, const KeysFlags& flags);

}  // namespace hop
