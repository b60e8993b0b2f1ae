#include "http/worker.h"

#include <sys/socket.h>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <utility>

#include "http/session.h"
#include "service/log.h"
#include "service/thread_name.h"
#include "service/wakeup_batch.h"

namespace hop {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Accept can fail for reasons that pass (EMFILE while connections close); retrying at once would
// spin.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);

}  // namespace

Worker::Worker(const ServerOptions& options, ServerParts& parts, const Router& router,
               ClickRecorder& recorder, std::atomic<size_t>& connections,
               const TrustedProxies& proxies, HoldEverywhere hold_everywhere)
    : options_(options),
      parts_(parts),
      router_(router),
      recorder_(recorder),
      connections_(connections),
      proxies_(proxies),
      hold_everywhere_(std::move(hold_everywhere)),
      cache_(options.cache_capacity, options.missing_cache_capacity),
      penalty_box_(options.penalty_box_capacity) {}

uint16_t Worker::Listen(const tcp::endpoint& endpoint, std::string& error) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) {
    int one = 1;
    if (::setsockopt(acceptor_.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0) {
      ec = boost::system::error_code(errno, boost::system::system_category());
    }
  }
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = ec.message();
    return 0;
  }
  return acceptor_.local_endpoint().port();
}

void Worker::Start() {
  if (!poller_.Start()) LogLine("epoll_create1 failed; connections wait through Asio's reads");
  Accept();
  thread_ = std::thread([this] {
    NameThisThread("hop-worker");
    ioc_.run();
    finished_.set_value();
  });
}

void Worker::Accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Worker::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (shutting_down_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    LogLine("accept failed: " + ec.message());
    accept_retry_.expires_after(kAcceptRetryDelay);
    accept_retry_.async_wait([this](boost::system::error_code) {
      if (!shutting_down_) Accept();
    });
    return;
  }
  // Past the limit a connection is closed at once: cheaper for everyone than a slow answer.
  if (connections_.load(std::memory_order_relaxed) >= options_.max_connections) {
    socket.close(ec);
  } else {
    std::make_shared<Session>(std::move(socket), *this, connections_)->Start();
  }
  Accept();
}

void Worker::Unregister(Session* session) { sessions_.erase(session); }

void Worker::BeginShutdown() {
  asio::post(ioc_, [this] {
    shutting_down_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    CloseIdleSessions();
    // The poller waits forever; the loop must run dry once the last request is answered.
    poller_.Stop();
  });
}

void Worker::CloseIdleSessions() {
  // Copied: a session may unregister itself while being told to stop.
  std::vector<Session*> sessions(sessions_.begin(), sessions_.end());
  for (Session* session : sessions) session->Shutdown();
}

void Worker::Join(std::chrono::steady_clock::time_point deadline) {
  if (!thread_.joinable()) return;
  if (finished_.get_future().wait_until(deadline) == std::future_status::timeout) {
    LogLine("shutdown timeout: closing connections still in flight");
    ioc_.stop();
  }
  thread_.join();
}

void Worker::Send(std::function<void()> task) {
  if (ioc_.get_executor().running_in_this_thread()) return task();
  bool post = false;
  {
    std::lock_guard lock(sent_mutex_);
    sent_.push_back(std::move(task));
    post = !std::exchange(sent_posted_, true);
  }
  if (!post) return;
  auto wake = [this] { asio::post(ioc_, [this] { RunSentTasks(); }); };
  if (!WakeupBatch::Defer(wake)) wake();
}

void Worker::RunSentTasks() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(sent_mutex_);
    tasks.swap(sent_);
    sent_posted_ = false;
  }
  for (std::function<void()>& task : tasks) task();
}

void Worker::Forget(std::span<const std::string> codes) {
  Send([this, codes = std::vector<std::string>(codes.begin(), codes.end())] {
    for (const std::string& code : codes) cache_.Erase(code);
  });
}

void Worker::ForgetAll() {
  Send([this] { cache_.Clear(); });
}

void Worker::Hold(const ClientAddress& client, TimePoint until) {
  Send([this, client, until] { penalty_box_.Hold(client, until); });
}

}  // namespace hop
