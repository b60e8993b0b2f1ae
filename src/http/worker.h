// Worker: one event loop thread and everything its connections share without locks.
// Internal to src/http (it includes Asio).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <future>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "http/http_date.h"
#include "http/readiness_poller.h"
#include "http/router.h"
#include "http/server.h"
#include "http/serving_counters.h"
#include "http/trusted_proxies.h"
#include "service/click_recorder.h"
#include "service/link_cache.h"
#include "service/penalty_box.h"

namespace hop {

class Session;

class Worker {
 public:
  // Holds a scanning client in every worker's penalty box (see Hold).
  using HoldEverywhere = std::function<void(const ClientAddress&, TimePoint until)>;

  Worker(const ServerOptions& options, ServerParts& parts, const Router& router,
         ClickRecorder& recorder, std::atomic<size_t>& connections, const TrustedProxies& proxies,
         HoldEverywhere hold_everywhere);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Binds a SO_REUSEPORT acceptor to `endpoint`. Returns the bound port, or 0 with `error` set.
  uint16_t Listen(const boost::asio::ip::tcp::endpoint& endpoint, std::string& error);

  void Start();
  // Stops accepting and closes idle connections; requests in flight finish. Callable from any
  // thread.
  void BeginShutdown();
  // Waits for the loop to run dry until `deadline`, then stops it, and joins the thread.
  void Join(std::chrono::steady_clock::time_point deadline);

  // Runs `task` on this worker's thread: at once when called there, else soon. Callable from any
  // thread. Tasks sent from another thread share one trip through the event loop until it runs
  // them: the loop is woken once for them, not once each, and within a WakeupBatch
  // (service/wakeup_batch.h) only when the batch ends, so that a committer handing over the
  // answers to a batch of creates is not preempted by the worker it wakes after the first.
  void Send(std::function<void()> task);

  // Forgets `codes` in this worker's cache, on this worker's thread. Callable from any thread.
  void Forget(std::span<const std::string> codes);
  // Forgets every link in this worker's cache, on this worker's thread. Callable from any thread.
  void ForgetAll();
  // Holds `client` in this worker's penalty box until `until`, on this worker's thread. Callable
  // from any thread.
  void Hold(const ClientAddress& client, TimePoint until);

  // For metrics, from any thread: see the thread-safety notes of each class.
  const ServingCounters& counters() const { return counters_; }
  const LinkCache& cache() const { return cache_; }

  // For sessions, on this worker's thread only.
  const ServerOptions& options() const { return options_; }
  ServerParts& parts() { return parts_; }
  const Router& router() const { return router_; }
  LinkCache& cache() { return cache_; }
  ServingCounters& counters() { return counters_; }
  ClickRecorder& recorder() { return recorder_; }
  HttpDate& date() { return date_; }
  PenaltyBox& penalty_box() { return penalty_box_; }
  ReadinessPoller& poller() { return poller_; }
  const TrustedProxies& proxies() const { return proxies_; }
  const HoldEverywhere& hold_everywhere() const { return hold_everywhere_; }
  bool shutting_down() const { return shutting_down_; }
  void Register(Session* session) { sessions_.insert(session); }
  void Unregister(Session* session);

 private:
  void Accept();
  void OnAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void CloseIdleSessions();
  void RunSentTasks();

  const ServerOptions& options_;
  ServerParts& parts_;
  const Router& router_;
  ClickRecorder& recorder_;
  std::atomic<size_t>& connections_;
  const TrustedProxies& proxies_;
  const HoldEverywhere hold_everywhere_;

  // Declared before the io_context so they outlive it: destroying the loop destroys the handlers it
  // still holds, and with them sessions that unregister themselves here.
  std::unordered_set<Session*> sessions_;
  bool shutting_down_ = false;
  boost::asio::io_context ioc_{1};
  // After the io_context, so destroyed before it: a task may hold a session and a claim on the
  // loop's work, which must go while the loop exists.
  std::mutex sent_mutex_;
  std::vector<std::function<void()>> sent_;  // guarded by sent_mutex_
  bool sent_posted_ = false;                 // a RunSentTasks is on its way; guarded
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  boost::asio::steady_timer accept_retry_{ioc_};
  ReadinessPoller poller_{ioc_};
  LinkCache cache_;
  PenaltyBox penalty_box_;
  ServingCounters counters_;
  HttpDate date_;
  std::thread thread_;
  std::promise<void> finished_;
};

}  // namespace hop
