#include "http/session.h"

#include <array>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/read.hpp>

#include "core/bot_detector.h"
#include "http/beast_request.h"
#include "http/problem.h"
#include "http/redirect_response.h"
#include "http/response_head.h"
#include "http/worker.h"

namespace hop {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

// Enough for a request line and headers of a typical client in one read.
constexpr size_t kFirstReadBytes = 4096;
// The most read at once when a header needs more bytes, as Beast's own reads do.
constexpr size_t kMaxReadBytes = 65536;

std::string_view QueryOf(std::string_view target) {
  const size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

int64_t WholeSecondsUntil(TimePoint until, TimePoint now) {
  return std::max<int64_t>(1, std::chrono::ceil<std::chrono::seconds>(until - now).count());
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, Worker& worker, std::atomic<size_t>& connections)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      worker_(worker),
      connections_(connections) {
  connections_.fetch_add(1, std::memory_order_relaxed);
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  // A response is first written directly (Write): a full socket buffer must answer
  // would_block rather than block the worker.
  socket_.non_blocking(true, ignored);
  peer_ = socket_.remote_endpoint(ignored).address();
}

Session::~Session() {
  worker_.Unregister(this);
  connections_.fetch_sub(1, std::memory_order_relaxed);
}

void Session::Start() {
  worker_.Register(this);
  watched_ = worker_.poller().Watch(socket_.native_handle(), *this);
  WaitForRequest();
}

void Session::Shutdown() {
  closing_ = true;
  if (idle_) Close();
}

// A keep-alive connection waits for its next request in the worker's ReadinessPoller, which reports
// edges only (epoll's EPOLLET): an edge that came while the session was not waiting is not
// repeated. Waiting is therefore safe only when the socket was read since the poller last took
// edges: any byte that arrives after that read makes a new edge, reported in a later pass.
// Otherwise the session first reads once, which catches whatever a consumed edge announced.
void Session::WaitForRequest() {
  if (closing_) return Close();
  // Pipelined requests are already buffered: no need to wait for the network.
  if (buffer_.size() > 0) return ReadRequest();
  if (!watched_) return WaitThroughAsio();
  if (read_in_pass_ != worker_.poller().pass()) {
    if (ReadOutcome outcome = ReadAvailable(); outcome != ReadOutcome::kWouldBlock) {
      return outcome == ReadOutcome::kRead ? ReadRequest() : Close();
    }
  }
  idle_ = true;
  SetDeadline(Clock::now() + worker_.options().idle_timeout);
  waiting_ = shared_from_this();
}

void Session::OnReadable() {
  if (!waiting_) return;  // an edge while busy: WaitForRequest reads before it waits again
  const std::shared_ptr<Session> self = std::move(waiting_);
  idle_ = false;
  switch (ReadAvailable()) {
    case ReadOutcome::kRead:
      return ReadRequest();
    case ReadOutcome::kClosed:
      return Close();
    case ReadOutcome::kWouldBlock:
      return WaitForRequest();  // a stale edge, whose bytes came with an earlier read
  }
}

Session::ReadOutcome Session::ReadAvailable() {
  read_in_pass_ = worker_.poller().pass();
  boost::system::error_code ec;
  const size_t bytes = socket_.read_some(buffer_.prepare(kFirstReadBytes), ec);
  if (ec == asio::error::would_block) return ReadOutcome::kWouldBlock;
  if (ec) return ReadOutcome::kClosed;
  buffer_.commit(bytes);
  return ReadOutcome::kRead;
}

// Without the poller (it could not be set up), as Asio waits: one read try, then epoll.
void Session::WaitThroughAsio() {
  idle_ = true;
  SetDeadline(Clock::now() + worker_.options().idle_timeout);
  socket_.async_read_some(buffer_.prepare(kFirstReadBytes),
                          [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                            self->OnFirstBytes(ec, n);
                          });
}

void Session::OnFirstBytes(boost::system::error_code ec, size_t bytes) {
  idle_ = false;
  if (ec) return Close();
  buffer_.commit(bytes);
  ReadRequest();
}

void Session::ReadRequest() {
  if (AnswerBufferedRedirect()) return;
  parser_.reset();
  fields_memory_.release();
  parser_.emplace(std::piecewise_construct, std::make_tuple(),
                  std::make_tuple(std::pmr::polymorphic_allocator<char>(&fields_memory_)));
  parser_->header_limit(static_cast<uint32_t>(worker_.options().max_header_bytes));
  parser_->body_limit(worker_.options().max_body_bytes);
  header_bytes_ = 0;
  request_deadline_set_ = false;
  ParseHeader();
}

// What http::async_read_header does, minus its trip through the event loop when the header is
// already buffered, which is nearly always.
void Session::ParseHeader() {
  boost::system::error_code ec;
  const size_t used = parser_->put(buffer_.data(), ec);
  buffer_.consume(used);
  header_bytes_ += used;
  if (ec == http::error::need_more) return ReadMoreHeader();
  if (ec) return AnswerReadError(ec);
  if (!parser_->is_header_done()) return ParseHeader();
  OnHeader(header_bytes_);
}

void Session::ReadMoreHeader() {
  SetRequestDeadline();
  const size_t size = beast::read_size(buffer_, kMaxReadBytes);
  if (size == 0) return AnswerReadError(http::error::buffer_overflow);
  socket_.async_read_some(buffer_.prepare(size),
                          [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                            self->OnMoreHeader(ec, n);
                          });
}

void Session::OnMoreHeader(boost::system::error_code ec, size_t bytes) {
  buffer_.commit(bytes);
  if (ec == asio::error::eof) {
    // Named as Beast names them: the peer closed between requests, or within one.
    return AnswerReadError(parser_->got_some() ? http::error::partial_message
                                               : http::error::end_of_stream);
  }
  if (ec) return AnswerReadError(ec);
  ParseHeader();
}

void Session::OnHeader(size_t header_bytes) {
  // Beast checks header_limit only while the header is incomplete in its buffer; a whole oversized
  // header that arrived in one read would pass. The bytes consumed so far are exactly the header.
  if (header_bytes > worker_.options().max_header_bytes) {
    return AnswerReadError(http::error::header_limit);
  }
  if (parser_->is_done()) return Answer();
  SetRequestDeadline();
  http::async_read(
      socket_, buffer_, *parser_,
      [self = shared_from_this()](boost::system::error_code ec, size_t) { self->OnBody(ec); });
}

void Session::OnBody(boost::system::error_code ec) {
  if (ec) return AnswerReadError(ec);
  Answer();
}

void Session::AnswerReadError(boost::system::error_code ec) {
  // The connection's framing can't be trusted after any of these, so every answer closes it.
  if (ec == http::error::body_limit) {
    return WriteResponse(
        ProblemResponse(
            ErrorCode::kPayloadTooLarge,
            "the body exceeds " + std::to_string(worker_.options().max_body_bytes) + " bytes"),
        false);
  }
  if (ec == http::error::header_limit) {
    return WriteResponse(
        ProblemResponse(
            Status::Error(ErrorCode::kInvalidRequest,
                          "the header section exceeds " +
                              std::to_string(worker_.options().max_header_bytes) + " bytes"),
            kRequestHeaderFieldsTooLarge),
        false);
  }
  const bool malformed = ec.category() == make_error_code(http::error::bad_target).category() &&
                         ec != http::error::end_of_stream && ec != http::error::partial_message;
  if (malformed) {
    return WriteResponse(
        ProblemResponse(ErrorCode::kInvalidRequest, "malformed HTTP request: " + ec.message()),
        false);
  }
  Close();  // the peer closed, timed out, or the server is stopping
}

void Session::Answer() {
  auto& message = parser_->get();
  const std::string_view target = message.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (IsRedirectRequest(message.method_string(), path)) return AnswerRedirect(path.substr(1));
  const bool keep_alive = parser_->keep_alive();
  const ClientAddress client = Client();
  Request request = ToRequest(parser_->release());
  request.client = client;
  // A create is answered after its commit, from the committing thread: the answer is carried back
  // to this session's thread before anything touches the socket. Meanwhile no deadline runs (the
  // wait is the server's, not the client's), nothing more is read, so pipelined requests are
  // answered in order, and the session is not idle, so a graceful shutdown waits for the answer;
  // the work guard keeps the worker's loop from running dry until then.
  SetDeadline(Clock::time_point::max());
  worker_.router().Handle(
      request, [self = shared_from_this(), keep_alive,
                work = asio::make_work_guard(socket_.get_executor())](Response response) {
        self->worker_.Send([self, keep_alive, work, response = std::move(response)]() mutable {
          self->WriteResponse(std::move(response), keep_alive);
        });
      });
}

// The TCP peer, or the client a trusted proxy names. Off the hot path: a redirect only asks when
// someone is held for scanning or its code was not found.
ClientAddress Session::Client() const {
  const TrustedProxies& proxies = worker_.proxies();
  if (proxies.empty()) return ToClientAddress(peer_);
  std::string forwarded_for;
  for (const auto& field : parser_->get()) {
    if (!beast::iequals(field.name_string(), "X-Forwarded-For")) continue;
    if (!forwarded_for.empty()) forwarded_for += ',';
    forwarded_for.append(field.value());
  }
  return proxies.ClientOf(peer_, forwarded_for);
}

bool Session::AnswerBufferedRedirect() {
  resolved_.reset();
  // Who is held is decided by the client's address, which may need X-Forwarded-For: a field this
  // parser does not keep. The box is empty unless someone is scanning.
  if (!worker_.penalty_box().empty()) return false;
  RedirectHeaderParser& header = redirect_header_.emplace();
  header.header_limit(static_cast<uint32_t>(worker_.options().max_header_bytes));
  boost::system::error_code ec;
  const auto bytes = buffer_.data();
  const size_t used =
      header.Parse(std::string_view(static_cast<const char*>(bytes.data()), bytes.size()), ec);
  // Beast checks header_limit only while a header is incomplete, as in OnHeader.
  if (ec || !header.is_done() || used > worker_.options().max_header_bytes) return false;
  ServerParts& parts = worker_.parts();
  const TimePoint now = parts.clock.Now();
  Resolution resolution = parts.resolver.Resolve(header.path().substr(1), worker_.cache(), now);
  if (resolution.verdict != Verdict::kRedirect) {
    resolved_ = std::move(resolution);
    return false;
  }
  WriteRedirect(*resolution.link,
                {.head = header.head(),
                 .query = header.query(),
                 .user_agent = header.user_agent(),
                 .keep_alive = header.keep_alive()},
                now, used);
  return true;
}

void Session::AnswerRedirect(std::string_view code) {
  auto& message = parser_->get();
  ServerParts& parts = worker_.parts();
  const TimePoint now = parts.clock.Now();
  // A client held for scanning gets no answer about any code, found or not (penalty_box.h). The
  // box is empty unless someone is scanning, and then this is one lookup.
  if (!worker_.penalty_box().empty()) {
    if (std::optional<TimePoint> until = worker_.penalty_box().HeldUntil(Client(), now)) {
      return AnswerRateLimited(WholeSecondsUntil(*until, now), parser_->keep_alive());
    }
  }
  const Resolution resolution = resolved_ ? *std::exchange(resolved_, std::nullopt)
                                          : parts.resolver.Resolve(code, worker_.cache(), now);
  const bool keep_alive = parser_->keep_alive();
  if (resolution.verdict == Verdict::kRedirect) {
    return WriteRedirect(*resolution.link,
                         {.head = message.method() == http::verb::head,
                          .query = QueryOf(message.target()),
                          .user_agent = message[http::field::user_agent],
                          .keep_alive = keep_alive},
                         now, 0);
  }
  if (resolution.verdict == Verdict::kUnavailable) {
    return WriteResponse(ProblemResponse(ErrorCode::kStoreUnavailable, resolution.error.detail()),
                         keep_alive);
  }
  if (resolution.verdict == Verdict::kNotFound) return AnswerMissingLink(Client(), now, keep_alive);
  AnswerLinkError(ErrorCode::kGone, "this link is no longer available", keep_alive);
}

void Session::WriteRedirect(const CachedLink& link, const RedirectAsk& ask, TimePoint now,
                            size_t unconsumed_header) {
  const bool bot = ask.head || IsBot(ask.user_agent);
  worker_.recorder().Record({link.id(), static_cast<int32_t>(MinuteOf(now)), bot});
  worker_.counters().CountRedirect();
  const std::time_t second = std::chrono::system_clock::to_time_t(now);
  const bool keep_alive = ask.keep_alive && !closing_;
  BuildRedirectResponse(redirect_, link, ask.query, worker_.date().Get(second), keep_alive);
  buffer_.consume(unconsumed_header);
  Write(asio::buffer(redirect_), keep_alive);
}

// A 404 costs the client a token of its scan budget; the one that empties it puts the client in
// every worker's penalty box until the budget has a token again.
void Session::AnswerMissingLink(const ClientAddress& client, TimePoint now, bool keep_alive) {
  const LimitDecision decision = worker_.parts().api.limits.TakeForMiss(client, now);
  if (!decision.allowed) {
    worker_.hold_everywhere()(client, now + std::chrono::seconds(decision.retry_after_seconds));
    return AnswerRateLimited(decision.retry_after_seconds, keep_alive);
  }
  AnswerLinkError(ErrorCode::kNotFound, "no link has this code", keep_alive);
}

void Session::AnswerLinkError(ErrorCode code, std::string detail, bool keep_alive) {
  Request request = ToRequest(parser_->release());
  Response response =
      PrefersHtml(request) ? HtmlErrorPage(code) : ProblemResponse(code, std::move(detail));
  if (request.method == "HEAD") response.body.clear();
  WriteResponse(std::move(response), keep_alive);
}

void Session::AnswerRateLimited(int64_t retry_after_seconds, bool keep_alive) {
  const bool head = parser_->get().method() == http::verb::head;
  Response response = ProblemResponse(ErrorCode::kRateLimited,
                                      "too many requests for codes that do not exist; retry in " +
                                          std::to_string(retry_after_seconds) + " s");
  response.SetHeader("Retry-After", std::to_string(retry_after_seconds));
  if (head) response.body.clear();
  WriteResponse(std::move(response), keep_alive);
}

bool Session::IsBot(std::string_view user_agent) {
  // A client sends the same User-Agent on every request of a connection: checking it against the
  // bot list once per connection rather than once per redirect saves a fifth of a redirect's work.
  if (!last_user_agent_is_bot_ || user_agent != last_user_agent_) {
    last_user_agent_.assign(user_agent);
    last_user_agent_is_bot_ = IsKnownBot(user_agent);
  }
  return *last_user_agent_is_bot_;
}

void Session::WriteResponse(Response response, bool keep_alive) {
  keep_alive = keep_alive && !closing_;
  worker_.counters().CountResponse(response.status);
  BuildResponseHead(response_head_, response, worker_.date().Get(std::time(nullptr)), keep_alive);
  response_body_ = std::move(response.body);
  const std::array<asio::const_buffer, 2> buffers = {asio::buffer(response_head_),
                                                     asio::buffer(response_body_)};
  Write(buffers, keep_alive);
}

template <typename Buffers>
void Session::Write(const Buffers& buffers, bool keep_alive) {
  boost::system::error_code ec;
  const size_t written = socket_.write_some(buffers, ec);
  if (!ec && written == asio::buffer_size(buffers)) return AfterResponse(keep_alive);
  if (ec && ec != asio::error::would_block) return Close();
  SetDeadline(Clock::now() + worker_.options().read_timeout);
  beast::buffers_suffix<Buffers> rest(buffers);
  rest.consume(written);
  asio::async_write(socket_, rest,
                    [self = shared_from_this(), keep_alive](boost::system::error_code ec, size_t) {
                      self->OnWrite(ec, keep_alive);
                    });
}

void Session::OnWrite(boost::system::error_code ec, bool keep_alive) {
  if (ec || !keep_alive) return Close();
  WaitForRequest();
}

// After a response written without waiting. A request the client already sent (pipelining) is taken
// up through the event loop rather than by recursion, so a long pipeline can't exhaust the stack.
void Session::AfterResponse(bool keep_alive) {
  if (!keep_alive) return Close();
  if (buffer_.size() == 0) return WaitForRequest();
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
}

void Session::SetDeadline(Clock::time_point deadline) {
  deadline_ = deadline;
  // A later deadline leaves the timer where it is: when it fires, OnTimer finds the deadline moved
  // and waits again. Only an earlier one moves it, so a request served without waiting for the
  // client (its deadlines only grow) costs no timer operation.
  if (timer_waiting_ && timer_.expiry() <= deadline) return;
  timer_.expires_at(deadline);
  timer_waiting_ = true;
  timer_.async_wait(
      [self = shared_from_this()](boost::system::error_code ec) { self->OnTimer(ec); });
}

void Session::SetRequestDeadline() {
  if (request_deadline_set_) return;
  request_deadline_set_ = true;
  SetDeadline(Clock::now() + worker_.options().read_timeout);
}

void Session::OnTimer(boost::system::error_code ec) {
  if (ec == asio::error::operation_aborted) return;  // moved earlier, or the session closed
  timer_waiting_ = false;
  if (Clock::now() < deadline_) return SetDeadline(deadline_);
  Close();  // the read or write in flight then completes with an error and ends the session
}

void Session::Close() {
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  socket_.close(ignored);
  timer_.cancel();
  // Released from a handler of its own: the caller (the worker telling every session to stop, or a
  // poller pass) may still hold a plain pointer to this session.
  if (waiting_) asio::post(socket_.get_executor(), [self = std::move(waiting_)] {});
}

}  // namespace hop
