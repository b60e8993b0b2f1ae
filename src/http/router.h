// Router: maps a request to its API handler, through the ApiGuard for everything under /api/v1.
//
// Redirects (GET|HEAD /{code}) do not come through here: the session answers them on its hot path,
// because they must not allocate. IsRedirectRequest is the one place that decides which is which.
//
// Answers go through a Respond (message.h). Most are given before Handle returns; creates are
// answered once their links are committed, from the thread that committed them, which is what
// lets the creates of many connections share one commit. A session therefore waits for its answer
// before it reads the next request.
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

  // Answers every request that is not a redirect through `respond`, exactly once, now or later;
  // errors as problem+json, never an exception. `request` need only live until Handle returns.
  void Handle(const Request& request, Respond respond) const;

  // Handle, waiting on the calling thread for the answer: for callers without an event loop, the
  // unit tests and the fuzzer. Not for a worker: a create would block it until its commit.
  Response HandleAndWait(const Request& request) const;

 private:
  void Dispatch(const Request& request, const Respond& respond) const;
  void RouteLinks(const Request& request, std::string_view rest, const Respond& respond) const;

  ApiContext& api_;
  ApiGuard guard_;
  const ServerMetrics* metrics_;
};

}  // namespace hop
