// Session: one HTTP/1.1 connection, from accept to close. Internal to src/http (it includes Beast).
//
// The session owns everything a connection needs (socket stream, read buffer, parser, response) and
// lives as long as one of its handlers is pending, through shared_from_this. Its life is
// WaitForRequest -> ReadRequest -> Answer -> Write -> WaitForRequest, one small step per member.
// Two timeouts guard it: idle_timeout while waiting for a request's first byte (keep-alive), and
// read_timeout from that byte to the request's last, so a client that trickles bytes (slowloris) is
// cut off after read_timeout however slowly it sends.
#pragma once

#include <atomic>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"

namespace hop {

class Worker;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, Worker& worker, std::atomic<size_t>& connections);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();
  // The server is stopping: close now if idle, else after the response in flight.
  void Shutdown();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  void WaitForRequest();
  void OnFirstBytes(boost::system::error_code ec, size_t bytes);
  void ReadRequest();
  void OnHeader(boost::system::error_code ec, size_t header_bytes);
  void OnBody(boost::system::error_code ec);
  void AnswerReadError(boost::system::error_code ec);
  void Answer();
  void AnswerRedirect(std::string_view code);
  void WriteRedirect(bool keep_alive);
  void WriteResponse(Response response, bool keep_alive);
  void OnWrite(boost::system::error_code ec, bool keep_alive);
  void Close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::string redirect_;  // reused: after the first redirect, writing one allocates nothing
  Worker& worker_;
  std::atomic<size_t>& connections_;
  bool idle_ = false;
  bool closing_ = false;
};

}  // namespace hop
