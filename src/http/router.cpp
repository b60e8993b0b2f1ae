#include "http/router.h"

#include <exception>

#include "core/alias.h"
#include "core/short_code.h"
#include "http/handlers.h"
#include "http/problem.h"
#include "service/log.h"

namespace hop {

namespace {

constexpr std::string_view kLinksPrefix = "/api/v1/links";
// "assets" is a reserved word, so no link code can shadow the UI's files.
constexpr std::string_view kAssetsPrefix = "/assets/";

Response MethodNotAllowed(std::string_view allow) {
  Response response =
      ProblemResponse(ErrorCode::kMethodNotAllowed, "this path accepts " + std::string(allow));
  response.SetHeader("Allow", std::string(allow));
  return response;
}

Response NotFound() {
  return ProblemResponse(ErrorCode::kNotFound, "there is nothing at this path");
}

bool Is(const Request& r, std::string_view method) { return r.method == method; }

}  // namespace

bool IsLinkPath(std::string_view path) {
  // Reserved words look like codes ("healthz") but name hop's own paths, and no link can have one.
  return path.size() > 1 && path[0] == '/' && LooksLikeLinkCode(path.substr(1)) &&
         !IsReservedWord(path.substr(1));
}

bool IsRedirectRequest(std::string_view method, std::string_view path) {
  return (method == "GET" || method == "HEAD") && IsLinkPath(path);
}

Response Router::Handle(const Request& request) const {
  try {
    return Dispatch(request);
  } catch (const std::exception& e) {
    // Handlers report errors as values; reaching here is a bug, and the client still deserves JSON.
    LogLine(std::string("internal error while answering ") + request.method + " " +
            std::string(request.Path()) + ": " + e.what());
    return ProblemResponse(ErrorCode::kInternal, "an internal error occurred");
  }
}

Response Router::Dispatch(const Request& request) const {
  const std::string_view path = request.Path();
  if (path == "/healthz") return Is(request, "GET") ? Liveness() : MethodNotAllowed("GET");
  if (path == "/readyz") return Is(request, "GET") ? Readiness(api_) : MethodNotAllowed("GET");
  if (path == "/metrics" && metrics_) {
    return Is(request, "GET") ? metrics_->Scrape() : MethodNotAllowed("GET");
  }
  if (path == "/" || path.starts_with(kAssetsPrefix)) {
    return Is(request, "GET") ? ServeWebUi(request) : MethodNotAllowed("GET");
  }
  if (path.starts_with(kLinksPrefix)) return RouteLinks(request, path.substr(kLinksPrefix.size()));
  if (IsLinkPath(path)) return MethodNotAllowed("GET, HEAD");
  return NotFound();
}

// `rest` is what follows "/api/v1/links": "", "/bulk", "/{code}", "/{code}/stats", ... Paths and
// methods that do not exist are answered before the guard: the shape of the API is no secret.
Response Router::RouteLinks(const Request& request, std::string_view rest) const {
  const Access read{Scope::kLinksRead};
  const Access write{Scope::kLinksWrite};
  const Access create{Scope::kLinksWrite, /*creates=*/true};
  const Access stats{Scope::kStatsRead};
  auto guarded = [&](Access access, auto handler) {
    return guard_.Admit(request, access, handler);
  };
  if (rest.empty() || rest == "/") {
    if (Is(request, "GET")) {
      return guarded(read, [&](const Principal& p) { return ListLinks(api_, request, p); });
    }
    if (Is(request, "POST")) {
      return guarded(create, [&](const Principal& p) { return CreateLink(api_, request, p); });
    }
    return MethodNotAllowed("GET, POST");
  }
  if (rest[0] != '/') return NotFound();
  rest.remove_prefix(1);
  if (rest == "bulk") {
    if (!Is(request, "POST")) return MethodNotAllowed("POST");
    return guarded(create, [&](const Principal& p) { return CreateLinksInBulk(api_, request, p); });
  }
  const std::string_view code = rest.substr(0, rest.find('/'));
  const std::string_view sub = rest.substr(code.size());
  if (!LooksLikeLinkCode(code)) return NotFound();
  if (sub.empty()) {
    if (Is(request, "GET")) {
      return guarded(read, [&](const Principal& p) { return GetLink(api_, code, p); });
    }
    if (Is(request, "PATCH")) {
      return guarded(write, [&](const Principal& p) { return UpdateLink(api_, code, request, p); });
    }
    if (Is(request, "DELETE")) {
      return guarded(write, [&](const Principal& p) { return DeleteLink(api_, code, p); });
    }
    return MethodNotAllowed("GET, PATCH, DELETE");
  }
  if (sub == "/stats") {
    if (!Is(request, "GET")) return MethodNotAllowed("GET");
    return guarded(stats, [&](const Principal& p) { return GetLinkStats(api_, code, p); });
  }
  if (sub == "/stats/series") {
    if (!Is(request, "GET")) return MethodNotAllowed("GET");
    return guarded(stats,
                   [&](const Principal& p) { return GetLinkSeries(api_, code, request, p); });
  }
  if (sub == "/qr") {
    if (!Is(request, "GET")) return MethodNotAllowed("GET");
    return guarded(read, [&](const Principal& p) { return GetLinkQr(api_, code, request, p); });
  }
  return NotFound();
}

}  // namespace hop
