// Request and Response: HTTP messages as plain values, free of Beast.
//
// The session (the only code that sees sockets and Beast types) converts the parsed request into a
// Request and writes a Response back; everything in between (router, handlers) is a plain function
// of these two, answering through a Respond, which is what the unit tests and the fuzzer call.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/client_address.h"

namespace hop {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // origin-form: "/api/v1/links?limit=10"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Who sent it: the TCP peer, or the client a trusted proxy names (see http/trusted_proxies.h).
  ClientAddress client{};

  // The value of the first header named `name` (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  std::string_view Path() const;   // target up to '?'
  std::string_view Query() const;  // target after '?', or ""
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(std::string name, std::string value);
};

// Where the answer to a request goes: called exactly once, on any thread. Most handlers answer
// before they return; a create answers once its link is committed, from the thread that committed
// it.
using Respond = std::function<void(Response)>;

// True when the client would rather read HTML than JSON: a browser following a dead short link.
bool PrefersHtml(const Request& request);

}  // namespace hop
