#include "http/response_head.h"

#include <boost/beast/http/status.hpp>
#include <ostream>  // status.hpp uses it without including it

namespace hop {

void BuildResponseHead(std::string& out, const Response& response, std::string_view date,
                       bool keep_alive) {
  namespace http = boost::beast::http;
  out.assign("HTTP/1.1 ");
  out.append(std::to_string(response.status)).push_back(' ');
  out.append(http::obsolete_reason(static_cast<http::status>(response.status)));
  out.append("\r\n");
  for (const auto& [name, value] : response.headers) {
    out.append(name).append(": ").append(value).append("\r\n");
  }
  out.append("Date: ").append(date).append("\r\nContent-Length: ");
  out.append(std::to_string(response.body.size())).append("\r\n");
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
}

}  // namespace hop
