#include "http/router.h"

#include <atomic>
#include <exception>
#include <future>
#include <memory>

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

void Router::Handle(const Request& request, Respond respond) const {
  // Only the first answer goes out: should a handler throw after answering, or after handing the
  // answer to a create still in flight, the last resort below must not answer a second time.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  const Respond once = [answered, respond = std::move(respond)](Response response) {
    if (!answered->exchange(true)) respond(std::move(response));
  };
  try {
    Dispatch(request, once);
  } catch (const std::exception& e) {
    // Handlers report errors as values; reaching here is a bug, and the client still deserves JSON.
    LogLine(std::string("internal error while answering ") + request.method + " " +
            std::string(request.Path()) + ": " + e.what());
    once(ProblemResponse(ErrorCode::kInternal, "an internal error occurred"));
  }
}

Response Router::HandleAndWait(const Request& request) const {
  std::promise<Response> answer;
  std::future<Response> answered = answer.get_future();
  Handle(request, [&answer](Response response) { answer.set_value(std::move(response)); });
  return answered.get();
}

void Router::Dispatch(const Request& request, const Respond& respond) const {
  const std::string_view path = request.Path();
  if (path == "/healthz") return respond(Is(request, "GET") ? Liveness() : MethodNotAllowed("GET"));
  if (path == "/readyz") {
    return respond(Is(request, "GET") ? Readiness(api_) : MethodNotAllowed("GET"));
  }
  if (path == "/metrics" && metrics_) {
    return respond(Is(request, "GET") ? metrics_->Scrape() : MethodNotAllowed("GET"));
  }
  if (path == "/" || path.starts_with(kAssetsPrefix)) {
    return respond(Is(request, "GET") ? ServeWebUi(request) : MethodNotAllowed("GET"));
  }
  if (path.starts_with(kLinksPrefix)) {
    return RouteLinks(request, path.substr(kLinksPrefix.size()), respond);
  }
  if (IsLinkPath(path)) return respond(MethodNotAllowed("GET, HEAD"));
  respond(NotFound());
}

// `rest` is what follows "/api/v1/links": "", "/bulk", "/{code}", "/{code}/stats", ... Paths and
// methods that do not exist are answered before the guard: the shape of the API is no secret.
void Router::RouteLinks(const Request& request, std::string_view rest,
                        const Respond& respond) const {
  const Access read{Scope::kLinksRead};
  const Access write{Scope::kLinksWrite};
  const Access create{Scope::kLinksWrite, /*creates=*/true};
  const Access stats{Scope::kStatsRead};
  // A handler that answers when it returns...
  auto guarded = [&](Access access, auto handler) {
    guard_.Admit(
        request, access, [&](const Principal& p, const Respond& r) { r(handler(p)); }, respond);
  };
  // ... and one that answers through the Respond it is given, possibly later.
  auto guarded_later = [&](Access access, auto handler) {
    guard_.Admit(
        request, access, [&](const Principal& p, Respond r) { handler(p, std::move(r)); }, respond);
  };
  if (rest.empty() || rest == "/") {
    if (Is(request, "GET")) {
      return guarded(read, [&](const Principal& p) { return ListLinks(api_, request, p); });
    }
    if (Is(request, "POST")) {
      return guarded_later(create, [&](const Principal& p, Respond r) {
        CreateLink(api_, request, p, std::move(r));
      });
    }
    return respond(MethodNotAllowed("GET, POST"));
  }
  if (rest[0] != '/') return respond(NotFound());
  rest.remove_prefix(1);
  if (rest == "bulk") {
    if (!Is(request, "POST")) return respond(MethodNotAllowed("POST"));
    return guarded_later(create, [&](const Principal& p, Respond r) {
      CreateLinksInBulk(api_, request, p, std::move(r));
    });
  }
  const std::string_view code = rest.substr(0, rest.find('/'));
  const std::string_view sub = rest.substr(code.size());
  if (!LooksLikeLinkCode(code)) return respond(NotFound());
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
    return respond(MethodNotAllowed("GET, PATCH, DELETE"));
  }
  if (sub == "/stats") {
    if (!Is(request, "GET")) return respond(MethodNotAllowed("GET"));
    return guarded(stats, [&](const Principal& p) { return GetLinkStats(api_, code, p); });
  }
  if (sub == "/stats/series") {
    if (!Is(request, "GET")) return respond(MethodNotAllowed("GET"));
    return guarded(stats,
                   [&](const Principal& p) { return GetLinkSeries(api_, code, request, p); });
  }
  if (sub == "/qr") {
    if (!Is(request, "GET")) return respond(MethodNotAllowed("GET"));
    return guarded(read, [&](const Principal& p) { return GetLinkQr(api_, code, request, p); });
  }
  respond(NotFound());
}

}  // namespace hop
