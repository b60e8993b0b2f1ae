#include "http/session.h"

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "core/bot_detector.h"
#include "http/problem.h"
#include "http/redirect_response.h"
#include "http/worker.h"

namespace hop {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

// Enough for a request line and headers of a typical client in one read.
constexpr size_t kFirstReadBytes = 4096;

Request ToRequest(http::request<http::string_body>&& message) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  return request;
}

}  // namespace

Session::Session(asio::ip::tcp::socket socket, Worker& worker, std::atomic<size_t>& connections)
    : stream_(std::move(socket)), worker_(worker), connections_(connections) {
  connections_.fetch_add(1, std::memory_order_relaxed);
  boost::system::error_code ignored;
  stream_.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
}

Session::~Session() {
  worker_.Unregister(this);
  connections_.fetch_sub(1, std::memory_order_relaxed);
}

void Session::Start() {
  worker_.Register(this);
  WaitForRequest();
}

void Session::Shutdown() {
  closing_ = true;
  if (idle_) Close();
}

void Session::WaitForRequest() {
  if (closing_) return Close();
  // Pipelined requests are already buffered: no need to wait for the network.
  if (buffer_.size() > 0) return ReadRequest();
  idle_ = true;
  stream_.expires_after(worker_.options().idle_timeout);
  stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
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
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(worker_.options().max_header_bytes));
  parser_->body_limit(worker_.options().max_body_bytes);
  stream_.expires_after(worker_.options().read_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](boost::system::error_code ec, size_t bytes) {
                            self->OnHeader(ec, bytes);
                          });
}

void Session::OnHeader(boost::system::error_code ec, size_t header_bytes) {
  if (ec) return AnswerReadError(ec);
  // Beast checks header_limit only while the header is incomplete in its buffer; a whole oversized
  // header that arrived in one read would pass. The bytes consumed so far are exactly the header.
  if (header_bytes > worker_.options().max_header_bytes) {
    return AnswerReadError(http::error::header_limit);
  }
  if (parser_->is_done()) return Answer();
  http::async_read(
      stream_, buffer_, *parser_,
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
  const bool keep_alive = message.keep_alive();
  WriteResponse(worker_.router().Handle(ToRequest(parser_->release())), keep_alive);
}

void Session::AnswerRedirect(std::string_view code) {
  auto& message = parser_->get();
  ServerParts& parts = worker_.parts();
  const TimePoint now = parts.clock.Now();
  Resolution resolution = parts.resolver.Resolve(code, worker_.cache(), now);
  if (resolution.verdict == Verdict::kRedirect) {
    const bool head = message.method() == http::verb::head;
    const bool bot = head || IsKnownBot(message[http::field::user_agent]);
    worker_.recorder().Record({resolution.link->id, static_cast<int32_t>(MinuteOf(now)), bot});
    worker_.counters().CountRedirect();
    const std::string_view target = message.target();
    const size_t q = target.find('?');
    const std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
    const std::time_t second = std::chrono::system_clock::to_time_t(now);
    const bool keep_alive = message.keep_alive() && !closing_;
    BuildRedirectResponse(redirect_, *resolution.link, query, worker_.date().Get(second),
                          keep_alive);
    return WriteRedirect(keep_alive);
  }
  const bool keep_alive = message.keep_alive();
  if (resolution.verdict == Verdict::kUnavailable) {
    return WriteResponse(ProblemResponse(ErrorCode::kStoreUnavailable, resolution.error.detail()),
                         keep_alive);
  }
  const ErrorCode code_of_error =
      resolution.verdict == Verdict::kGone ? ErrorCode::kGone : ErrorCode::kNotFound;
  Request request = ToRequest(parser_->release());
  Response response = PrefersHtml(request)
                          ? HtmlErrorPage(code_of_error)
                          : ProblemResponse(code_of_error, code_of_error == ErrorCode::kGone
                                                               ? "this link is no longer available"
                                                               : "no link has this code");
  if (request.method == "HEAD") response.body.clear();
  WriteResponse(std::move(response), keep_alive);
}

void Session::WriteRedirect(bool keep_alive) {
  stream_.expires_after(worker_.options().read_timeout);
  asio::async_write(stream_, asio::buffer(redirect_),
                    [self = shared_from_this(), keep_alive](boost::system::error_code ec, size_t) {
                      self->OnWrite(ec, keep_alive);
                    });
}

void Session::WriteResponse(Response response, bool keep_alive) {
  keep_alive = keep_alive && !closing_;
  worker_.counters().CountResponse(response.status);
  response_ = {};
  response_.result(static_cast<unsigned>(response.status));
  response_.version(11);
  for (auto& [name, value] : response.headers) response_.set(name, value);
  response_.set(http::field::date, worker_.date().Get(std::time(nullptr)));
  response_.body() = std::move(response.body);
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  stream_.expires_after(worker_.options().read_timeout);
  http::async_write(stream_, response_,
                    [self = shared_from_this(), keep_alive](boost::system::error_code ec, size_t) {
                      self->OnWrite(ec, keep_alive);
                    });
}

void Session::OnWrite(boost::system::error_code ec, bool keep_alive) {
  if (ec || !keep_alive) return Close();
  WaitForRequest();
}

void Session::Close() {
  boost::system::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace hop
