// ApiContext: what the API handlers work with. Owned by the server; handlers only borrow it.
#pragma once

#include <string>

#include "core/clock.h"
#include "service/auth_service.h"
#include "service/link_service.h"
#include "service/rate_limits.h"
#include "service/stats_service.h"
#include "store/store.h"

namespace hop {

struct ApiContext {
  LinkService& links;
  StatsService& stats;
  Store& store;
  std::string base_url;  // no trailing slash; short_url = base_url + "/" + code
  AuthService& auth;
  RateLimits& limits;
  const Clock& clock;
  bool allow_anonymous_create = false;  // creates may come without a key
};

}  // namespace hop
