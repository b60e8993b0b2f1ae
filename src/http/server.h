// Server: hop's HTTP front, N workers each with its own event loop.
//
// Each worker owns an io_context, a SO_REUSEPORT acceptor on the shared port (the kernel spreads
// new connections across them), its LinkCache and its ClickRecorder: a connection lives on one
// thread from accept to close, so nothing on the redirect path is shared between threads. The
// header keeps Beast and Asio out of every file that includes it.
//
// Lifecycle: Listen() binds; Run() serves until SIGINT or SIGTERM, then stops accepting, lets
// requests in flight finish (closing idle keep-alive connections at once), and returns within
// shutdown_timeout. SIGHUP asks the caller to reload what it can (the block list).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "http/api_context.h"
#include "service/click_pipeline.h"
#include "service/link_events.h"
#include "service/link_resolver.h"

namespace hop {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port, see Server::port()
  size_t threads = 1;    // REQUIRES: equal to the number of recorders of the ClickPipeline
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 16 << 10;
  Millis read_timeout{10'000};  // from a request's first byte to its last
  Millis idle_timeout{60'000};  // keep-alive: waiting for the next request's first byte
  Millis shutdown_timeout{10'000};
  size_t max_connections = 10'000;    // beyond this, new connections are closed at once
  size_t cache_capacity = 1'000'000;  // links per worker
  size_t missing_cache_capacity = 100'000;
  // CIDR networks ("10.0.0.0/8", "::1") of proxies whose X-Forwarded-For names the client; see
  // http/trusted_proxies.h.
  std::vector<std::string> trusted_proxies;
  size_t penalty_box_capacity = 10'000;  // client addresses held for scanning, per worker
};

// What the server borrows; all must outlive it.
struct ServerParts {
  ApiContext& api;
  const LinkResolver& resolver;
  ClickPipeline& clicks;
  const Clock& clock;
  LinkEvents& events;  // the server subscribes its workers' caches in its constructor
};

class Server {
 public:
  Server(const ServerOptions& options, ServerParts parts);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every worker's acceptor. kInvalidRequest when the address or a trusted proxy is not
  // usable.
  Status Listen();

  // The bound port. REQUIRES: Listen() returned Ok.
  uint16_t port() const;

  // Serves until SIGINT or SIGTERM, then shuts down as described above. Each SIGHUP calls
  // `on_hangup` on the calling thread, while the workers go on serving.
  void Run(const std::function<void()>& on_hangup = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hop
