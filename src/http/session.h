// Session: one HTTP/1.1 connection, from accept to close. Internal to src/http (it includes Beast).
//
// The session owns everything a connection needs (socket, read buffer, parser, response) and lives
// as long as one of its handlers is pending, through shared_from_this. Its life is
// WaitForRequest -> ReadRequest -> Answer -> Write -> WaitForRequest, one small step per member.
// Two timeouts guard it: idle_timeout while waiting for a request's first byte (keep-alive), and
// read_timeout from that byte to the request's last, so a client that trickles bytes (slowloris) is
// cut off after read_timeout however slowly it sends; writing a response gets read_timeout too.
//
// The redirect path makes no system call but one read and one write, as nginx's: a keep-alive
// connection waits for its next request in the worker's ReadinessPoller (no read that fails with
// EAGAIN, see readiness_poller.h), bytes already buffered are parsed in place rather than through
// an asynchronous read, a response (any response, the API's too) is first written directly (a short
// one nearly always fits the socket buffer at once), and the timeouts are enforced by one timer per
// session that moves only when a deadline comes earlier than the timer, so a request served without
// waiting arms no timer (see SetDeadline).
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "http/message.h"
#include "http/readiness_poller.h"
#include "http/redirect_header_parser.h"
#include "service/link_resolver.h"

namespace hop {

class Worker;

class Session final : public std::enable_shared_from_this<Session>,
                      public ReadinessPoller::Watcher {
 public:
  Session(boost::asio::ip::tcp::socket socket, Worker& worker, std::atomic<size_t>& connections);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();
  void OnReadable() override;
  // The server is stopping: close now if idle, else after the response in flight.
  void Shutdown();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body,
                                                    std::pmr::polymorphic_allocator<char>>;
  using Clock = std::chrono::steady_clock;

  enum class ReadOutcome { kRead, kWouldBlock, kClosed };

  void WaitForRequest();
  // One non-blocking read of whatever has arrived, into buffer_.
  ReadOutcome ReadAvailable();
  void WaitThroughAsio();
  void OnFirstBytes(boost::system::error_code ec, size_t bytes);
  void ReadRequest();
  // The common request, a redirect whose header is buffered whole, answered without building a
  // message (redirect_header_parser.h). False when the full parser must read it instead: it is not
  // such a request, a client is held for scanning, or its code has no redirect to answer (then the
  // resolution waits in resolved_, so that the store is not asked twice).
  bool AnswerBufferedRedirect();
  void ParseHeader();
  void ReadMoreHeader();
  void OnMoreHeader(boost::system::error_code ec, size_t bytes);
  void OnHeader(size_t header_bytes);
  void OnBody(boost::system::error_code ec);
  void AnswerReadError(boost::system::error_code ec);
  void Answer();
  void AnswerRedirect(std::string_view code);
  struct RedirectAsk {
    bool head;
    std::string_view query;
    std::string_view user_agent;
    bool keep_alive;
  };
  // `unconsumed_header` bytes at the front of buffer_ are the request's, which `ask` views: they
  // are consumed once the response no longer needs them.
  void WriteRedirect(const CachedLink& link, const RedirectAsk& ask, TimePoint now,
                     size_t unconsumed_header);
  void AnswerMissingLink(const ClientAddress& client, TimePoint now, bool keep_alive);
  void AnswerRateLimited(int64_t retry_after_seconds, bool keep_alive);
  // 404 or 410 for a redirect request: an HTML page for browsers, problem+json for the rest.
  void AnswerLinkError(ErrorCode code, std::string detail, bool keep_alive);
  ClientAddress Client() const;
  bool IsBot(std::string_view user_agent);
  void WriteResponse(Response response, bool keep_alive);
  // Writes `buffers` (the session's own, alive until the write ends): directly, and through the
  // event loop only for what the socket buffer had no room for.
  template <typename Buffers>
  void Write(const Buffers& buffers, bool keep_alive);
  void OnWrite(boost::system::error_code ec, bool keep_alive);
  void AfterResponse(bool keep_alive);
  // The connection is closed at `deadline` unless a later one is set by then.
  void SetDeadline(Clock::time_point deadline);
  // The deadline of the request being read: read_timeout from when reading it first had to wait.
  void SetRequestDeadline();
  void OnTimer(boost::system::error_code ec);
  void Close();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timer_waiting_ = false;
  bool request_deadline_set_ = false;
  boost::beast::flat_buffer buffer_;
  // Beast allocates each header field on its own; the fields of the request being read come from
  // here instead, and are dropped together before the next request. Declared before the parser,
  // which must go first.
  alignas(std::max_align_t) std::byte field_bytes_[1024];
  std::pmr::monotonic_buffer_resource fields_memory_{field_bytes_, sizeof(field_bytes_)};
  std::optional<Parser> parser_;
  std::optional<RedirectHeaderParser> redirect_header_;
  std::optional<Resolution> resolved_;  // see AnswerBufferedRedirect
  size_t header_bytes_ = 0;
  std::string redirect_;       // reused: after the first redirect, writing one allocates nothing
  std::string response_head_;  // reused likewise, for every other response
  std::string response_body_;
  boost::asio::ip::address peer_;  // read once: asking the socket costs a system call
  std::string last_user_agent_;
  std::optional<bool> last_user_agent_is_bot_;  // IsKnownBot(last_user_agent_), once known
  Worker& worker_;
  std::atomic<size_t>& connections_;
  // Waiting for the next request in the worker's poller, which holds no reference: this does.
  std::shared_ptr<Session> waiting_;
  bool watched_ = false;  // the worker's poller reports this socket's edges
  // The poller pass during which the socket was last read (see WaitForRequest); none yet.
  uint64_t read_in_pass_ = UINT64_MAX;
  bool idle_ = false;
  bool closing_ = false;
};

}  // namespace hop
