#include "cli/serve_command.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/admin_key.h"
#include "cli/duration.h"
#include "cli/open_file_limit.h"
#include "core/block_list.h"
#include "core/clock.h"
#include "core/target_url.h"
#include "http/server.h"
#include "service/auth_service.h"
#include "service/click_pipeline.h"
#include "service/link_events.h"
#include "service/link_resolver.h"
#include "service/link_service.h"
#include "service/log.h"
#include "service/rate_limits.h"
#include "service/stats_service.h"

namespace hop {

namespace {

// How long a "no such code" answer is cached: long enough to blunt a scan, short enough that a link
// created on another instance is found soon even if its change notice is lost.
constexpr Millis kMissingTtl{2000};

struct Failure {
  std::string message;
};

std::string DurationCheck(const std::string& text) {
  return ParseDuration(text) ? "" : "expected a duration such as 500ms, 10s, 2m or 1h";
}

Millis DurationOf(const std::string& text) { return *ParseDuration(text); }

std::string ToUpper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "host:port" or "[v6]:port" -> host, port.
bool SplitListen(const std::string& listen, std::string& host, uint16_t& port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const char* first = listen.data() + colon + 1;
  const char* last = listen.data() + listen.size();
  auto [end, ec] = std::from_chars(first, last, port);
  return ec == std::errc() && end == last;
}

// Descriptors kept back from --max-connections for what else hop opens: listening sockets, the
// store's files or connections, log output.
constexpr uint64_t kReservedDescriptors = 128;

// The hosts of the block list file at `path`.
Result<std::vector<std::string>> ReadBlockList(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    return Status::Error(ErrorCode::kInvalidRequest, "cannot read the block list " + path);
  }
  Result<std::vector<std::string>> hosts = ParseBlockList(text.str());
  if (!hosts.ok()) {
    return Status::Error(ErrorCode::kInvalidRequest,
                         "block list " + path + ", " + hosts.status().detail());
  }
  return hosts;
}

// Puts the block list at `path` in force and disables the links it blocks. Returns the log line.
Result<std::string> ApplyBlockList(const std::string& path, LinkService& links) {
  Result<std::vector<std::string>> hosts = ReadBlockList(path);
  if (!hosts.ok()) return hosts.status();
  const size_t count = hosts.value().size();
  Result<size_t> disabled = links.SetBlockedHosts(std::move(hosts).value());
  if (!disabled.ok()) return disabled.status();
  return "block list " + path + ": " + std::to_string(count) + " hosts; " +
         std::to_string(disabled.value()) + " links to them are disabled";
}

RateLimit RateLimitOf(double per_second, double burst, const char* flag) {
  if (per_second > 0 && burst < 1) {
    throw Failure{std::string("--") + flag + "-burst must be at least 1"};
  }
  return RateLimit{.per_second = per_second, .burst = burst};
}

RateLimitOptions RateLimitOptionsOf(const ServeFlags& flags) {
  RateLimitOptions options;
  options.api = RateLimitOf(flags.api_rate, flags.api_burst, "api");
  options.create = RateLimitOf(flags.create_rate, flags.create_burst, "create");
  options.scan = RateLimitOf(flags.scan_rate, flags.scan_burst, "scan");
  return options;
}

// Raises the open file limit, and keeps --max-connections within it.
void FitConnectionsToFileLimit(ServerOptions& options) {
  const uint64_t limit = RaiseOpenFileLimit();
  if (limit == 0 || options.max_connections + kReservedDescriptors <= limit) return;
  const size_t fitting = limit > kReservedDescriptors ? limit - kReservedDescriptors : 1;
  LogLine("the open file limit is " + std::to_string(limit) + ": serving at most " +
          std::to_string(fitting) + " connections instead of --max-connections " +
          std::to_string(options.max_connections) + " (raise the limit with ulimit -n)");
  options.max_connections = fitting;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

ServerOptions ServerOptionsOf(const ServeFlags& flags) {
  ServerOptions options;
  if (!SplitListen(flags.listen, options.host, options.port)) {
    throw Failure{"--listen must be HOST:PORT, got \"" + flags.listen + "\""};
  }
  options.threads =
      flags.threads > 0 ? flags.threads : std::max(1u, std::thread::hardware_concurrency());
  options.max_body_bytes = flags.max_body;
  options.max_header_bytes = flags.max_header;
  options.read_timeout = DurationOf(flags.read_timeout);
  options.idle_timeout = DurationOf(flags.idle_timeout);
  options.shutdown_timeout = DurationOf(flags.shutdown_timeout);
  options.max_connections = flags.max_connections;
  options.cache_capacity = flags.cache_size;
  options.trusted_proxies = SplitCommas(flags.trust_proxy);
  return options;
}

std::string HostForUrl(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

int Serve(const ServeFlags& flags) {
  ServerOptions options = ServerOptionsOf(flags);
  std::filesystem::create_directories(flags.storage.data_dir);
  Result<std::unique_ptr<Store>> opened = OpenMigratedStore(flags.storage);
  if (!opened.ok()) throw Failure{opened.status().detail()};
  Store& store = *opened.value();

  std::string base_url = flags.base_url;
  while (base_url.ends_with('/')) base_url.pop_back();
  const std::string url_host = HostForUrl(options.host);
  TargetUrlPolicy policy{.own_host = HostOfUrl(base_url.empty() ? "http://" + url_host : base_url),
                         .blocked_hosts = {}};

  SystemClock clock;
  LinkEvents events;
  LinkService links(store, clock, std::move(policy), events);
  if (!flags.block_list.empty()) {
    Result<std::string> applied = ApplyBlockList(flags.block_list, links);
    if (!applied.ok()) throw Failure{applied.status().detail()};
    LogLine(applied.value());
  }
  Result<std::string> admin_key = EnsureAdminKey(store, clock, flags.storage.data_dir);
  if (!admin_key.ok()) throw Failure{"cannot create the admin key: " + admin_key.status().detail()};
  if (!admin_key.value().empty()) {
    LogLine("created the first API key, an admin key; it is in " + admin_key.value() +
            " (readable by this user only)");
  }
  StatsService stats(store, clock);
  AuthService auth(store, clock);
  RateLimits limits(RateLimitOptionsOf(flags));
  LinkResolver resolver(store, kMissingTtl);
  ClickPipeline clicks(store, clock, options.threads,
                       ClickPipelineOptions{.flush_interval = DurationOf(flags.flush_interval),
                                            .max_pending = flags.click_buffer});
  ApiContext api{links, stats, store, base_url, auth, limits, clock, flags.allow_anonymous_create};
  FitConnectionsToFileLimit(options);
  Server server(options, ServerParts{api, resolver, clicks, clock, events});
  if (Status s = server.Listen(); !s.ok()) throw Failure{s.detail()};
  // Other instances sharing the store change links too; their changes reach this one's caches
  // through the feed (none for SQLite, which no other instance shares). Declared after the
  // server, so it stops before the workers it posts to go away.
  Result<std::unique_ptr<LinkChangeFeed>> feed = store.WatchLinkChanges(
      {.changed = [&events](const std::string& code) { events.Publish(code); },
       .all_changed = [&events] { events.PublishAllChanged(); }});
  if (!feed.ok()) throw Failure{feed.status().detail()};
  const std::string address = "http://" + url_host + ":" + std::to_string(server.port());
  if (api.base_url.empty()) api.base_url = address;

  clicks.Start();
  LogLine("listening on " + address + " (" + std::to_string(options.threads) +
          " workers, base URL " + api.base_url + ")");
  server.Run([&] {
    if (flags.block_list.empty()) return LogLine("SIGHUP: there is no --block-list to reload");
    Result<std::string> applied = ApplyBlockList(flags.block_list, links);
    LogLine(applied.ok() ? "SIGHUP: " + applied.value()
                         : "SIGHUP: the block list was not reloaded: " + applied.status().detail());
  });
  // Normally every create was answered before Run returned. After a shutdown timeout some may
  // still be in flight: they are committed now, and their answers go to the stopped workers,
  // which must still exist to take them, so this comes before the server is destroyed.
  links.FinishCreates();
  Status flushed = clicks.Stop();
  if (!flushed.ok()) {
    throw Failure{"could not write the last " + std::to_string(clicks.pending_clicks()) +
                  " clicks, which are lost: " + flushed.detail()};
  }
  LogLine("stopped; " + std::to_string(clicks.flushed_clicks()) + " clicks written since start");
  return 0;
}

}  // namespace

CLI::App* AddServeCommand(CLI::App& app, ServeFlags& f) {
  CLI::App* cmd = app.add_subcommand("serve", "Run the HTTP server: API, redirects and statistics");
  auto duration = CLI::Validator(DurationCheck, "DURATION");
  cmd->add_option("--listen", f.listen, "Address to listen on, HOST:PORT (port 0: any free port)")
      ->envname("HOP_LISTEN")
      ->capture_default_str();
  cmd->add_option("--base-url", f.base_url,
                  "Public URL of this service, used in short_url (default: http://<listen>)")
      ->envname("HOP_BASE_URL");
  AddStoreOptions(cmd, f.storage);
  cmd->add_option("--threads", f.threads, "Worker threads (default: hardware threads)")
      ->envname("HOP_THREADS")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--flush-interval", f.flush_interval,
                  "How often counted clicks are written to the store")
      ->envname("HOP_FLUSH_INTERVAL")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--max-body", f.max_body, "Largest request body accepted, in bytes")
      ->envname("HOP_MAX_BODY")
      ->capture_default_str();
  cmd->add_option("--max-header", f.max_header, "Largest request header section accepted, in bytes")
      ->envname("HOP_MAX_HEADER")
      ->capture_default_str();
  cmd->add_option("--read-timeout", f.read_timeout,
                  "Time allowed from a request's first byte to its last")
      ->envname("HOP_READ_TIMEOUT")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--idle-timeout", f.idle_timeout,
                  "How long an idle keep-alive connection is kept open")
      ->envname("HOP_IDLE_TIMEOUT")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--shutdown-timeout", f.shutdown_timeout,
                  "How long a stopping server waits for requests in flight")
      ->envname("HOP_SHUTDOWN_TIMEOUT")
      ->check(duration)
      ->capture_default_str();
  cmd->add_option("--max-connections", f.max_connections,
                  "Open connections beyond which new ones are closed")
      ->envname("HOP_MAX_CONNECTIONS")
      ->capture_default_str();
  cmd->add_option("--cache-size", f.cache_size, "Links each worker keeps in memory")
      ->envname("HOP_CACHE_SIZE")
      ->capture_default_str();
  cmd->add_option("--click-buffer", f.click_buffer,
                  "Link-minutes of clicks kept while the store is unreachable; beyond, the oldest "
                  "are dropped and counted")
      ->envname("HOP_CLICK_BUFFER")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--block-list", f.block_list,
                  "File of target hosts to refuse, one per line (subdomains too); reloaded on "
                  "SIGHUP, and links to its hosts are disabled")
      ->envname("HOP_BLOCK_LIST");
  cmd->add_flag("--allow-anonymous-create", f.allow_anonymous_create,
                "Let clients without an API key create links")
      ->envname("HOP_ALLOW_ANONYMOUS_CREATE");
  cmd->add_option("--trust-proxy", f.trust_proxy,
                  "CIDR,... of proxies whose X-Forwarded-For names the client address")
      ->envname("HOP_TRUST_PROXY");
  struct Limit {
    const char* name;
    double* rate;
    double* burst;
    const char* what;
  };
  for (const Limit& limit :
       {Limit{"api", &f.api_rate, &f.api_burst, "API requests"},
        Limit{"create", &f.create_rate, &f.create_burst, "link creations"},
        Limit{"scan", &f.scan_rate, &f.scan_burst, "redirects to unknown codes"}}) {
    const std::string name = limit.name;
    const std::string env = "HOP_" + ToUpper(name);
    const std::string per = name == "scan" ? "per client address" : "per client address and key";
    cmd->add_option("--" + name + "-rate", *limit.rate,
                    std::string(limit.what) + " per second, " + per + " (0: unlimited)")
        ->envname(env + "_RATE")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->add_option("--" + name + "-burst", *limit.burst,
                    std::string(limit.what) + " allowed at once before the rate applies")
        ->envname(env + "_BURST")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
  }
  return cmd;
}

int RunServe(const ServeFlags& flags) {
  try {
    return Serve(flags);
  } catch (const Failure& failure) {
    LogLine(failure.message);
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    LogLine(std::string("cannot use the data dir: ") + e.what());
    return 1;
  }
}

}  // namespace hop
