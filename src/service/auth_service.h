// AuthService: turns the API key a request presents into the Principal it acts as.
//
// A key is looked up by its SHA-256 (core/api_key.h); the hash found is compared with the
// presented one in constant time before it is trusted. Keys that pass are remembered for a short
// time (`cache_ttl`), so a client's burst of calls costs one store read, not one each; that same
// time bounds how long a key revoked by `hop keys revoke` (another process, writing the store
// directly) keeps working on a running server. Expiry is judged on every call, from the cached
// key, so an expired key stops working at once. Unknown keys are not remembered: every guess costs
// the guesser a store read and a token of its address's rate limit, never an entry in memory.
//
// Thread-safety: Authenticate may be called concurrently.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/api_key.h"
#include "core/clock.h"
#include "core/status.h"
#include "service/principal.h"
#include "store/store.h"

namespace hop {

struct AuthOptions {
  Millis cache_ttl{1000};
  size_t cache_capacity = 10'000;
};

class AuthService {
 public:
  AuthService(Store& store, const Clock& clock, AuthOptions options = {});
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // The principal of `key`, the credential as the client sent it. kUnauthorized when it is not
  // shaped like a key, or is unknown, revoked or expired (the detail says which); the store's
  // errors as they come.
  Result<Principal> Authenticate(std::string_view key);

 private:
  struct Remembered {
    ApiKey key;
    TimePoint forget_at;
  };

  Result<ApiKey> Lookup(const std::string& hash, TimePoint now);
  void Remember(const ApiKey& key, TimePoint now);

  Store& store_;
  const Clock& clock_;
  const AuthOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Remembered> remembered_;  // by hash; guarded by mutex_
};

}  // namespace hop
