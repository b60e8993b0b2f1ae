// Router: maps a request to its API handler, through the ApiGuard for everything under /api/v1.
//
// Redirects (GET|HEAD /{code}) do not come through here: the session answers them on its hot path,
// because they must not allocate. IsRedirectRequest is the one place that decides which is which.
//
// Thread-safety: Handle may be called concurrently.
#pragma once

#include <string_view>

#include "http/api_context.h"
#include "http/api_guard.h"
#include "http/message.h"
#include "http/server_metrics.h"

namespace hop {

// True for a single path segment that can name a link: code characters, and not a reserved word.
bool IsLinkPath(std::string_view path);
// True for GET or HEAD of a link path.
bool IsRedirectRequest(std::string_view method, std::string_view path);

class Router {
 public:
  // Without `metrics` (tests of the API alone), /metrics is not served.
  explicit Router(ApiContext& api, const ServerMetrics* metrics = nullptr)
      : api_(api), guard_(api), metrics_(metrics) {}

  // Answers every request that is not a redirect; errors as problem+json, never an exception.
  Response Handle(const Request& request) const;

 private:
  Response Dispatch(const Request& request) const;
  Response RouteLinks(const Request& request, std::string_view rest) const;

  ApiContext& api_;
  ApiGuard guard_;
  const ServerMetrics* metrics_;
};

}  // namespace hop
