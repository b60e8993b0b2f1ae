// `hop serve`: the server process.
#pragma once

#include <CLI/App.hpp>
#include <string>

#include "cli/store_options.h"

namespace hop {

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string base_url;  // default: http://<listen address>
  StoreOptions storage;
  size_t threads = 0;  // default: hardware threads
  std::string flush_interval = "500ms";
  size_t max_body = 1 << 20;
  size_t max_header = 16 << 10;
  std::string read_timeout = "10s";
  std::string idle_timeout = "60s";
  std::string shutdown_timeout = "10s";
  size_t max_connections = 10'000;
  size_t cache_size = 1'000'000;
  size_t click_buffer = 1'000'000;  // ClickPipelineOptions::max_pending
  std::string block_list;
  // Security: who may call the API, how often, and whom to believe about client addresses.
  bool allow_anonymous_create = false;
  std::string trust_proxy;  // CIDR,... of proxies whose X-Forwarded-For is believed
  double api_rate = 20;     // API requests per second, per client address and per key; 0: none
  double api_burst = 100;
  double create_rate = 2;  // link creations per second, per client address and per key
  double create_burst = 30;
  double scan_rate = 1;  // redirects to unknown codes per second, per client address
  double scan_burst = 30;
};

// Declares the subcommand and its flags (each also read from a HOP_* environment variable).
CLI::App* AddServeCommand(CLI::App& app, ServeFlags& flags);

// Runs the server until SIGINT/SIGTERM; returns the process exit code.
int RunServe(const ServeFlags& flags);

}  // namespace hop
