// AuthService: key lookup, the short-lived cache of keys that passed, and the verdicts.
#include "service/auth_service.h"

namespace hop {
namespace {

Status Unauthorized(std::string detail) {
  return Status::Error(ErrorCode::kUnauthorized, std::move(detail));
}

}  // namespace

AuthService::AuthService(Store& store, const Clock& clock, AuthOptions options)
    : store_(store), clock_(clock), options_(options) {}

Result<Principal> AuthService::Authenticate(std::string_view key) {
  if (!LooksLikeApiKey(key)) {
    return Unauthorized(
        "the API key is malformed: hop keys are \"hop_\" and 43 letters and digits");
  }
  const TimePoint now = clock_.Now();
  const std::string hash = HashApiKey(key);
  Result<ApiKey> found = Lookup(hash, now);
  if (!found.ok()) {
    if (found.status().code() != ErrorCode::kNotFound) return found.status();
    return Unauthorized("the API key is not known to this server");
  }
  const ApiKey& stored = found.value();
  // The store found the key by its hash; comparing the whole hash again, in constant time, makes
  // the verdict independent of how the lookup compared it.
  if (!SameKeyHash(stored.hash, hash)) return Unauthorized("the API key is not known");
  switch (KeyStateOf(stored, now)) {
    case KeyState::kRevoked:
      return Unauthorized("the API key \"" + stored.name + "\" has been revoked");
    case KeyState::kExpired:
      return Unauthorized("the API key \"" + stored.name + "\" has expired");
    case KeyState::kActive:
      break;
  }
  return Principal::Of(stored);
}

Result<ApiKey> AuthService::Lookup(const std::string& hash, TimePoint now) {
  {
    std::lock_guard lock(mutex_);
    auto it = remembered_.find(hash);
    if (it != remembered_.end() && now < it->second.forget_at) return it->second.key;
  }
  Result<ApiKey> key = store_.FindApiKeyByHash(hash);
  if (key.ok() && KeyStateOf(key.value(), now) == KeyState::kActive) Remember(key.value(), now);
  return key;
}

void AuthService::Remember(const ApiKey& key, TimePoint now) {
  std::lock_guard lock(mutex_);
  if (remembered_.size() >= options_.cache_capacity && !remembered_.contains(key.hash)) {
    std::erase_if(remembered_, [now](const auto& entry) { return entry.second.forget_at <= now; });
    // Still full of fresh entries: more keys are active at once than the cache holds. Dropping
    // them all is cheap and correct; each is read again on its next use.
    if (remembered_.size() >= options_.cache_capacity) remembered_.clear();
  }
  remembered_[key.hash] = Remembered{key, now + options_.cache_ttl};
}

}  // namespace hop
