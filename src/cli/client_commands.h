// Client commands: `hop create`, `hop stats`, `hop list` talk to a running server over its public
// API, so they work the same against a laptop instance and a production cluster behind TLS. The
// server is HOP_URL (or --url), the key HOP_API_KEY (or --api-key).
#pragma once

#include <CLI/App.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace hop {

struct ClientFlags {
  std::string url = "http://127.0.0.1:8080";
  std::string api_key;
  bool json = false;  // print the API's JSON instead of a summary

  // create
  std::string target;
  std::string alias;
  std::string title;
  std::vector<std::string> tags;
  std::string expires_at;
  int64_t max_visits = 0;
  int redirect_status = 0;
  bool forward_query = false;

  // stats
  std::string code;

  // list
  std::string query;
  std::string tag;
  int limit = 50;
};

struct ClientCommands {
  CLI::App* create = nullptr;
  CLI::App* stats = nullptr;
  CLI::App* list = nullptr;
};

ClientCommands AddClientCommands(CLI::App& app, ClientFlags& flags);

// Runs whichever client command was parsed; returns the process exit code (1 on any error, with the
// server's problem detail on stderr).
int RunClientCommand(const ClientCommands& commands, const ClientFlags& flags);

}  // namespace hop
