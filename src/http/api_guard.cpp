// ApiGuard: rate limits, authentication and scopes, and the headers that report them.
#include "http/api_guard.h"

#include "core/ascii.h"
#include "http/problem.h"

namespace hop {
namespace {

constexpr std::string_view kBearer = "Bearer ";

Response Unauthorized(std::string detail) {
  Response response = ProblemResponse(ErrorCode::kUnauthorized, std::move(detail));
  response.SetHeader("WWW-Authenticate", "Bearer realm=\"hop\"");
  return response;
}

Response RateLimited(const LimitDecision& decision) {
  Response response = ProblemResponse(
      ErrorCode::kRateLimited,
      "too many requests; retry in " + std::to_string(decision.retry_after_seconds) + " s");
  response.SetHeader("Retry-After", std::to_string(decision.retry_after_seconds));
  return response;
}

void AddLimitHeaders(const LimitDecision& decision, Response& response) {
  if (decision.limit == 0) return;  // no limit applied
  response.SetHeader("RateLimit-Limit", std::to_string(decision.limit));
  response.SetHeader("RateLimit-Remaining", std::to_string(decision.remaining));
  response.SetHeader("RateLimit-Reset", std::to_string(decision.reset_seconds));
}

Response WithLimitHeaders(const LimitDecision& decision, Response response) {
  AddLimitHeaders(decision, response);
  return response;
}

}  // namespace

Credential PresentedCredential(const Request& request) {
  const std::string_view authorization = request.Header("Authorization");
  if (!authorization.empty()) {
    // The scheme is case-insensitive (RFC 9110); the key follows one space.
    if (authorization.size() <= kBearer.size() ||
        !EqualsIgnoreAsciiCase(authorization.substr(0, kBearer.size()), kBearer)) {
      return {Credential::Kind::kMalformed, {}};
    }
    return {Credential::Kind::kKey, authorization.substr(kBearer.size())};
  }
  const std::string_view api_key = request.Header("X-Api-Key");
  if (!api_key.empty()) return {Credential::Kind::kKey, api_key};
  return {};
}

void ApiGuard::Admit(const Request& request, Access access, const Handler& handler,
                     Respond respond) const {
  const TimePoint now = api_.clock.Now();
  LimitDecision decision = api_.limits.TakeForAddress(request.client, access.creates, now);
  if (!decision.allowed) return respond(WithLimitHeaders(decision, RateLimited(decision)));

  const Credential credential = PresentedCredential(request);
  Principal caller = Principal::Anonymous();
  switch (credential.kind) {
    case Credential::Kind::kMalformed:
      return respond(WithLimitHeaders(
          decision, Unauthorized("send the API key as \"Authorization: Bearer <key>\"")));
    case Credential::Kind::kNone:
      if (!access.creates || !api_.allow_anonymous_create) {
        return respond(WithLimitHeaders(decision, Unauthorized("this call needs an API key")));
      }
      break;
    case Credential::Kind::kKey: {
      Result<Principal> authenticated = api_.auth.Authenticate(credential.key);
      if (!authenticated.ok()) {
        const Status& error = authenticated.status();
        return respond(WithLimitHeaders(decision, error.code() == ErrorCode::kUnauthorized
                                                      ? Unauthorized(error.detail())
                                                      : ProblemResponse(error)));
      }
      caller = authenticated.value();
      decision = RateLimits::Stricter(decision,
                                      api_.limits.TakeForKey(*caller.key_id, access.creates, now));
      if (!decision.allowed) return respond(WithLimitHeaders(decision, RateLimited(decision)));
      if (!caller.scopes.Has(access.scope)) {
        return respond(WithLimitHeaders(
            decision,
            ProblemResponse(ErrorCode::kForbidden, "this API key lacks the scope " +
                                                       std::string(ScopeName(access.scope)))));
      }
      break;
    }
  }
  if (decision.limit == 0) return handler(caller, std::move(respond));
  handler(caller, [decision, respond = std::move(respond)](Response response) {
    AddLimitHeaders(decision, response);
    respond(std::move(response));
  });
}

}  // namespace hop
