// `hop keys`: create prints the key once, on stdout alone, so that it can be piped into a secret
// store; everything else goes to stderr. list never shows a key (hop does not have them), only
// what is known about each.
#include "cli/keys_command.h"

#include <iostream>
#include <memory>

#include "cli/serve_command.h"
#include "core/api_key.h"
#include "core/rfc3339.h"
#include "store/store.h"

namespace hop {
namespace {

struct Failure {
  std::string message;
};

std::optional<TimePoint> ParseExpiry(const std::string& text, TimePoint now) {
  if (text.empty()) return std::nullopt;
  std::optional<TimePoint> at = ParseRfc3339(text);
  if (!at && text.size() == 10) at = ParseRfc3339(text + "T00:00:00Z");
  if (!at) throw Failure{"--expires must be an RFC 3339 time or a date (YYYY-MM-DD), not " + text};
  if (*at <= now) throw Failure{"--expires must be in the future"};
  return at;
}

void Create(Store& store, const KeysFlags& flags) {
  if (Status s = ValidateKeyName(flags.name); !s.ok()) throw Failure{s.detail()};
  std::optional<Role> role = ParseRole(flags.role);
  if (!role) throw Failure{"--role must be admin or user, not " + flags.role};
  Result<ScopeSet> scopes = ScopeSet::Parse(flags.scopes);
  if (!scopes.ok()) throw Failure{scopes.status().detail()};
  SystemClock clock;
  const std::string secret = GenerateApiKey();
  ApiKey key;
  key.name = flags.name;
  key.hash = HashApiKey(secret);
  key.role = *role;
  key.scopes = scopes.value();
  key.created_at = clock.Now();
  key.expires_at = ParseExpiry(flags.expires, key.created_at);
  Result<ApiKey> created = store.CreateApiKey(key);
  if (!created.ok()) throw Failure{"cannot create the key: " + created.status().detail()};
  std::cout << secret << std::endl;
  std::cerr << "hop: created " << RoleName(key.role) << " key \"" << key.name << "\" ("
            << key.scopes.ToString() << "; expires "
            << (key.expires_at ? FormatRfc3339(*key.expires_at) : "never")
            << "). It is shown only now: store it.\n";
}

std::string StateOf(const ApiKey& key, TimePoint now) {
  switch (KeyStateOf(key, now)) {
    case KeyState::kActive:
      return "active";
    case KeyState::kRevoked:
      return "revoked " + FormatRfc3339(*key.revoked_at);
    case KeyState::kExpired:
      return "expired";
  }
  return "";
}

void List(Store& store) {
  Result<std::vector<ApiKey>> keys = store.ListApiKeys();
  if (!keys.ok()) throw Failure{"cannot list the keys: " + keys.status().detail()};
  const TimePoint now = SystemClock().Now();
  std::cout << "NAME\tROLE\tSCOPES\tCREATED\tEXPIRES\tSTATE\n";
  for (const ApiKey& key : keys.value()) {
    std::cout << key.name << '\t' << RoleName(key.role) << '\t' << key.scopes.ToString() << '\t'
              << FormatRfc3339(key.created_at) << '\t'
              << (key.expires_at ? FormatRfc3339(*key.expires_at) : "never") << '\t'
              << StateOf(key, now) << '\n';
  }
}

void Revoke(Store& store, const KeysFlags& flags) {
  Result<ApiKey> key = store.RevokeApiKey(flags.name, SystemClock().Now());
  if (!key.ok()) throw Failure{"cannot revoke the key: " + key.status().detail()};
  std::cerr << "hop: revoked key \"" << key.value().name << "\"; running servers refuse it within "
            << "a second\n";
}

}  // namespace

KeysCommands AddKeysCommands(CLI::App& app, KeysFlags& flags) {
  CLI::App* keys = app.add_subcommand("keys", "Manage API keys (on the store directly)");
  keys->require_subcommand(1);
  KeysCommands commands;
  commands.create = keys->add_subcommand("create", "Create a key and print it, once");
  commands.create->add_option("--name", flags.name, "A unique name for the key")->required();
  commands.create->add_option("--role", flags.role, "admin (every link) or user (its own links)")
      ->capture_default_str();
  commands.create
      ->add_option("--scopes", flags.scopes, "Comma-separated: links:read, links:write, stats:read")
      ->capture_default_str();
  commands.create->add_option("--expires", flags.expires,
                              "When the key stops working: RFC 3339 time or YYYY-MM-DD (UTC)");
  commands.list = keys->add_subcommand("list", "List the keys (never the keys themselves)");
  commands.revoke = keys->add_subcommand("revoke", "Revoke a key; it cannot be undone");
  commands.revoke->add_option("name", flags.name, "The key's name")->required();
  for (CLI::App* cmd : {commands.create, commands.list, commands.revoke}) {
    AddStoreOptions(cmd, flags.storage);
  }
  return commands;
}

int RunKeysCommand(const KeysCommands& commands, const KeysFlags& flags) {
  if (!commands.create->parsed() && !commands.list->parsed() && !commands.revoke->parsed()) {
    return -1;
  }
  try {
    Result<std::unique_ptr<Store>> store = OpenMigratedStore(flags.storage);
    if (!store.ok()) throw Failure{store.status().detail()};
    if (commands.create->parsed()) Create(*store.value(), flags);
    if (commands.list->parsed()) List(*store.value());
    if (commands.revoke->parsed()) Revoke(*store.value(), flags);
    return 0;
  } catch (const Failure& failure) {
    std::cerr << "hop: " << failure.message << "\n";
    return 1;
  }
}

}  // namespace hop
