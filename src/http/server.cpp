#include "http/server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <vector>

#include "http/router.h"
#include "http/worker.h"
#include "service/log.h"

namespace hop {

namespace asio = boost::asio;

struct Server::Impl {
  Impl(const ServerOptions& options, ServerParts parts)
      : options(options), parts(parts), router(parts.api) {
    for (size_t i = 0; i < options.threads; ++i) {
      workers.push_back(std::make_unique<Worker>(this->options, this->parts, router,
                                                 parts.clicks.recorder(i), connections));
    }
    for (auto& worker : workers) {
      parts.events.Subscribe([w = worker.get()](const std::string& code) { w->Forget(code); });
    }
  }

  const ServerOptions options;
  ServerParts parts;
  Router router;
  std::atomic<size_t> connections{0};
  std::vector<std::unique_ptr<Worker>> workers;
  uint16_t port = 0;
};

Server::Server(const ServerOptions& options, ServerParts parts)
    : impl_(std::make_unique<Impl>(options, parts)) {}

Server::~Server() = default;

Status Server::Listen() {
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

void Server::Run() {
  asio::io_context signals_loop;
  asio::signal_set signals(signals_loop, SIGINT, SIGTERM);
  int received = 0;
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (!ec) received = signal;
  });
  for (auto& worker : impl_->workers) worker->Start();
  signals_loop.run();

  LogLine(std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM") +
          ", finishing requests in flight");
  for (auto& worker : impl_->workers) worker->BeginShutdown();
  const auto deadline = std::chrono::steady_clock::now() + impl_->options.shutdown_timeout;
  for (auto& worker : impl_->workers) worker->Join(deadline);
}

}  // namespace hop
