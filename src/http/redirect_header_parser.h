// RedirectHeaderParser: reads a request's header with Beast's parser, keeping only what a redirect
// needs. Internal to src/http (it includes Beast).
//
// Beast's request_parser stores every field in a basic_fields: an allocation and a tree insert per
// field when parsing, a tree search per lookup after, and a list to free at the end. That was a
// sixth of a redirect's user-space instructions (callgrind), to answer four questions: the method,
// the target, keep-alive and the User-Agent. This parser is Beast's basic_parser with views of
// those and nothing else, so it checks the bytes exactly as request_parser does.
//
// It gives up early on a request that is not a redirect (IsRedirectRequest): an error at the
// request line, before any field is parsed. The session then reads the same bytes again with its
// full parser, which answers everything else, malformed requests included, as it always has; the
// request line parsed twice is what that costs the API.
//
// The views point into the bytes given to Parse(), and are valid while they are unchanged. A field
// folded over several lines (obsolete, RFC 9112 5.2) is one Beast joins in a buffer of its own,
// which its next folded field overwrites: a request whose User-Agent is folded is left to the full
// parser too. One parser reads one request, as Beast's parsers do.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/verb.hpp>
#include <string_view>

namespace hop {

class RedirectHeaderParser final : public boost::beast::http::basic_parser<true> {
 public:
  RedirectHeaderParser() = default;

  // basic_parser::put of the one buffer `bytes`: the bytes of the header used, and `ec` as put sets
  // it, with an error for a request that is not a redirect.
  size_t Parse(std::string_view bytes, boost::beast::error_code& ec);

  // After a complete header (is_header_done()); keep_alive() is basic_parser's.
  bool head() const { return method_ == boost::beast::http::verb::head; }
  std::string_view path() const { return target_.substr(0, path_length_); }
  std::string_view query() const;  // after the '?', or empty
  std::string_view user_agent() const { return user_agent_; }

 private:
  void on_request_impl(boost::beast::http::verb method, boost::beast::string_view method_string,
                       boost::beast::string_view target, int version,
                       boost::beast::error_code& ec) override;
  void on_response_impl(int, boost::beast::string_view, int, boost::beast::error_code&) override {}
  void on_field_impl(boost::beast::http::field name, boost::beast::string_view name_string,
                     boost::beast::string_view value, boost::beast::error_code& ec) override;
  void on_header_impl(boost::beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>&,
                         boost::beast::error_code&) override {}
  std::size_t on_body_impl(boost::beast::string_view body, boost::beast::error_code&) override {
    return body.size();
  }
  void on_chunk_header_impl(std::uint64_t, boost::beast::string_view,
                            boost::beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, boost::beast::string_view body,
                                 boost::beast::error_code&) override {
    return body.size();
  }
  void on_finish_impl(boost::beast::error_code&) override {}

  boost::beast::http::verb method_ = boost::beast::http::verb::unknown;
  std::string_view input_;  // what Parse() was given
  std::string_view target_;
  size_t path_length_ = 0;  // of target_, up to its '?'
  std::string_view user_agent_;
  bool user_agent_seen_ = false;  // the first User-Agent counts, as message[field] finds it
};

}  // namespace hop
