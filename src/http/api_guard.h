// ApiGuard: what every /api/v1 request passes before its handler runs, in this order:
//   1. its client address's rate limits, before the key is looked at, so guessing keys is
//      throttled like anything else (429);
//   2. its API key, from "Authorization: Bearer <key>" or "X-Api-Key: <key>": missing, malformed,
//      unknown, revoked and expired keys answer 401 with WWW-Authenticate, except that creates may
//      come without any key when the operator allows anonymous creation;
//   3. the key's rate limits (429);
//   4. the scope the endpoint needs (403). Whether the link is the caller's own is the service's
//      to judge, and another key's link answers 404 like a missing one.
// A refusal for rate says Retry-After; every answer says RateLimit-Limit, -Remaining and -Reset
// for the strictest bucket the request took from.
//
// Thread-safety: Admit may be called concurrently.
#pragma once

#include <functional>
#include <string_view>

#include "core/api_key.h"
#include "http/api_context.h"
#include "http/message.h"
#include "service/principal.h"

namespace hop {

// What an endpoint asks of its caller.
struct Access {
  Scope scope;
  bool creates = false;  // takes from the create limits; open to anonymous callers if allowed
};

// The key a request presents, as found in its headers.
struct Credential {
  enum class Kind { kNone, kKey, kMalformed };
  Kind kind = Kind::kNone;
  std::string_view key;  // for kKey
};
Credential PresentedCredential(const Request& request);

class ApiGuard {
 public:
  explicit ApiGuard(ApiContext& api) : api_(api) {}

  // What an endpoint does for an admitted caller: answers through the Respond it is given.
  using Handler = std::function<void(const Principal&, Respond)>;

  // Runs `handler` as the request's principal if the request passes, otherwise answers the
  // refusal; either answer goes to `respond` with the rate limit headers.
  void Admit(const Request& request, Access access, const Handler& handler, Respond respond) const;

 private:
  ApiContext& api_;
};

}  // namespace hop
