#include "http/redirect_response.h"

namespace hop {

namespace {

std::string_view StatusLine(uint16_t status) {
  switch (status) {
    case 301:
      return "HTTP/1.1 301 Moved Permanently\r\n";
    case 307:
      return "HTTP/1.1 307 Temporary Redirect\r\n";
    case 308:
      return "HTTP/1.1 308 Permanent Redirect\r\n";
    default:
      return "HTTP/1.1 302 Found\r\n";
  }
}

bool IsPermanent(uint16_t status) { return status == 301 || status == 308; }

// The target with the visitor's query merged in, before any fragment.
void AppendLocation(std::string& out, std::string_view url, std::string_view query) {
  if (query.empty()) {
    out.append(url);
    return;
  }
  const size_t hash = url.find('#');
  const std::string_view before = url.substr(0, hash);
  out.append(before);
  out.push_back(before.find('?') == std::string_view::npos ? '?' : '&');
  out.append(query);
  if (hash != std::string_view::npos) out.append(url.substr(hash));
}

}  // namespace

void BuildRedirectResponse(std::string& out, const CachedLink& link, std::string_view query,
                           std::string_view date, bool keep_alive) {
  out.clear();
  out.append(StatusLine(link.redirect_status()));
  out.append("Location: ");
  AppendLocation(out, link.url(), link.forward_query() ? query : std::string_view());
  out.append(IsPermanent(link.redirect_status()) ? "\r\nCache-Control: private, max-age=90\r\n"
                                                 : "\r\nCache-Control: no-store\r\n");
  out.append("Date: ").append(date).append("\r\nContent-Length: 0\r\n");
  if (!keep_alive) out.append("Connection: close\r\n");
  out.append("\r\n");
}

}  // namespace hop
