#include "http/redirect_header_parser.h"

#include <algorithm>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>

#include "http/router.h"

namespace hop {

namespace http = boost::beast::http;

size_t RedirectHeaderParser::Parse(std::string_view bytes, boost::beast::error_code& ec) {
  input_ = bytes;
  return put(boost::asio::const_buffer(bytes.data(), bytes.size()), ec);
}

std::string_view RedirectHeaderParser::query() const {
  return path_length_ < target_.size() ? target_.substr(path_length_ + 1) : std::string_view();
}

void RedirectHeaderParser::on_request_impl(http::verb method,
                                           boost::beast::string_view method_string,
                                           boost::beast::string_view target, int,
                                           boost::beast::error_code& ec) {
  method_ = method;
  target_ = std::string_view(target.data(), target.size());
  path_length_ = std::min(target_.find('?'), target_.size());
  if (!IsRedirectRequest(std::string_view(method_string.data(), method_string.size()), path())) {
    ec = http::error::bad_method;  // any error: put() stops here, and the full parser takes over
  }
}

void RedirectHeaderParser::on_field_impl(http::field name, boost::beast::string_view,
                                         boost::beast::string_view value,
                                         boost::beast::error_code& ec) {
  if (name != http::field::user_agent || user_agent_seen_) return;
  const auto* const begin = reinterpret_cast<const char*>(input_.data());
  if (value.data() < begin || value.data() + value.size() > begin + input_.size()) {
    ec = http::error::bad_value;  // folded: see the header
    return;
  }
  user_agent_ = std::string_view(value.data(), value.size());
  user_agent_seen_ = true;
}

}  // namespace hop
