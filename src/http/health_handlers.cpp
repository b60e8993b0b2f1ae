// Liveness says the process answers; readiness says it can do its job, which needs the store.
#include "http/handlers.h"
#include "http/json_body.h"
#include "http/problem.h"

namespace hop {

Response Liveness() { return JsonResponse(200, boost::json::object{{"status", "ok"}}); }

Response Readiness(ApiContext& api) {
  if (Status s = api.store.Ping(); !s.ok())
    return ProblemResponse(ErrorCode::kStoreUnavailable, s.detail());
  return JsonResponse(200, boost::json::object{{"status", "ready"}});
}

}  // namespace hop
