// Fuzz target: the redirect's own header parser against Beast's full request parser.
//
// A connection answers a redirect from RedirectHeaderParser when it reads a whole request, and
// everything else through request_parser (http/session.cpp). Both are Beast's basic_parser, so a
// request the first accepts must be one the second accepts alike: the same bytes, method, target,
// keep-alive and User-Agent. Any difference aborts.
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/redirect_header_parser.h"

namespace {

namespace http = boost::beast::http;

// The server's default --max-header.
constexpr uint32_t kHeaderLimit = 16384;

void Expect(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const boost::asio::const_buffer bytes(data, size);
  hop::RedirectHeaderParser redirect;
  redirect.header_limit(kHeaderLimit);
  boost::beast::error_code ec;
  const size_t used =
      redirect.Parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec || !redirect.is_done()) return 0;

  http::request_parser<http::string_body> full;
  full.header_limit(kHeaderLimit);
  boost::beast::error_code full_ec;
  const size_t full_used = full.put(bytes, full_ec);
  Expect(!full_ec && full.is_done() && full_used == used);
  const auto& message = full.get();
  Expect(message.method() == (redirect.head() ? http::verb::head : http::verb::get));
  const std::string_view target(message.target().data(), message.target().size());
  Expect(target == redirect.path() ||
         target == std::string(redirect.path()) + "?" + std::string(redirect.query()));
  // The session asks either parser, never the message: message::keep_alive() reads only the first
  // Connection field, the parser every one.
  Expect(full.keep_alive() == redirect.keep_alive());
  const auto user_agent = message[http::field::user_agent];
  Expect(std::string_view(user_agent.data(), user_agent.size()) == redirect.user_agent());
  return 0;
}
