#include "http/server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <vector>

#include "http/router.h"
#include "http/server_metrics.h"
#include "http/trusted_proxies.h"
#include "http/worker.h"
#include "service/log.h"

namespace hop {

namespace asio = boost::asio;

struct Server::Impl {
  Impl(const ServerOptions& options, ServerParts parts)
      : options(options),
        parts(parts),
        metrics(parts.clicks, parts.api.links.creator(), parts.api.store, parts.clock.Now()),
        router(parts.api, &metrics),
        proxies(TrustedProxies::Parse(options.trusted_proxies)) {
    const TrustedProxies& trusted = proxies.ok() ? proxies.value() : kNoProxies;
    auto hold_everywhere = [this](const ClientAddress& client, TimePoint until) {
      for (auto& worker : workers) worker->Hold(client, until);
    };
    for (size_t i = 0; i < options.threads; ++i) {
      workers.push_back(std::make_unique<Worker>(this->options, this->parts, router,
                                                 parts.clicks.recorder(i), connections, trusted,
                                                 hold_everywhere));
      const Worker& worker = *workers.back();
      metrics.AddWorker(worker.counters(), worker.cache());
    }
    for (auto& worker : workers) {
      parts.events.Subscribe(
          {.changed = [w = worker.get()](std::span<const std::string> codes) { w->Forget(codes); },
           .all_changed = [w = worker.get()] { w->ForgetAll(); }});
    }
  }

  static inline const TrustedProxies kNoProxies{};

  const ServerOptions options;
  ServerParts parts;
  ServerMetrics metrics;
  Router router;
  const Result<TrustedProxies> proxies;
  // Caught from construction on, not from Run(): a signal that arrives as soon as the caller has
  // announced the server (a supervisor stopping it at once) must still shut it down gracefully.
  asio::io_context signals_loop;
  asio::signal_set signals{signals_loop, SIGINT, SIGTERM, SIGHUP};
  std::atomic<size_t> connections{0};
  std::vector<std::unique_ptr<Worker>> workers;
  uint16_t port = 0;
};

Server::Server(const ServerOptions& options, ServerParts parts)
    : impl_(std::make_unique<Impl>(options, parts)) {}

Server::~Server() = default;

Status Server::Listen() {
  if (!impl_->proxies.ok()) return impl_->proxies.status();
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return Status::Error(ErrorCode::kInvalidRequest,
                         "cannot listen on \"" + impl_->options.host + "\": not an IP address");
  }
  // The first acceptor may pick a free port (port 0); the others must share the one it got.
  uint16_t port = impl_->options.port;
  for (auto& worker : impl_->workers) {
    std::string error;
    port = worker->Listen(asio::ip::tcp::endpoint(address, port), error);
    if (port == 0) {
      return Status::Error(ErrorCode::kInvalidRequest,
                           "cannot listen on " + impl_->options.host + ":" +
                               std::to_string(impl_->options.port) + ": " + error);
    }
  }
  impl_->port = port;
  return Status::Ok();
}

uint16_t Server::port() const { return impl_->port; }

void Server::Run(const std::function<void()>& on_hangup) {
  asio::io_context& signals_loop = impl_->signals_loop;
  asio::signal_set& signals = impl_->signals;
  int received = 0;
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec,
                                                                      int signal) {
    if (ec) return;
    if (signal != SIGHUP) {
      received = signal;
      return;
    }
    if (on_hangup) on_hangup();
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);
  for (auto& worker : impl_->workers) worker->Start();
  signals_loop.run();

  LogLine(std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") +
          ", finishing requests in flight");
  for (auto& worker : impl_->workers) worker->BeginShutdown();
  const auto deadline = std::chrono::steady_clock::now() + impl_->options.shutdown_timeout;
  for (auto& worker : impl_->workers) worker->Join(deadline);
}

}  // namespace hop
