// API keys: who may call hop's API, and what each caller may do.
//
// A key is "hop_" followed by 43 base62 characters that spell 32 bytes from OpenSSL's CSPRNG
// (62^43 > 2^256, so the 43 characters carry all 256 bits). The prefix lets people and secret
// scanners recognize a leaked key. hop keeps only the key's SHA-256, in hex: a key has 256 bits of
// entropy, so there is nothing to guess and a fast, unsalted hash is the right tool; the hash is
// also what a key is looked up by. A key is shown once, when it is created.
//
// A key has a role (admin: every link; user: only the links it created) and scopes that narrow
// what it may do, whatever its role: links:read, links:write, stats:read.
//
// Thread-safety: everything here is a plain value or a pure function, GenerateApiKey included.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace hop {

enum class Role { kAdmin, kUser };

std::string_view RoleName(Role role);  // "admin", "user"
std::optional<Role> ParseRole(std::string_view name);

enum class Scope : uint8_t {
  kLinksRead = 1 << 0,
  kLinksWrite = 1 << 1,
  kStatsRead = 1 << 2,
};

std::string_view ScopeName(Scope scope);  // "links:read", "links:write", "stats:read"

// A set of scopes.
class ScopeSet {
 public:
  static ScopeSet None() { return ScopeSet(0); }
  static ScopeSet All();
  static ScopeSet Of(Scope scope) { return ScopeSet(static_cast<uint8_t>(scope)); }

  // Scope names separated by commas or spaces ("links:read,stats:read"); kInvalidRequest naming
  // an unknown one, or for an empty list.
  static Result<ScopeSet> Parse(std::string_view text);

  bool Has(Scope scope) const { return (bits_ & static_cast<uint8_t>(scope)) != 0; }
  // The names in a fixed order, separated by single spaces; Parse reads it back.
  std::string ToString() const;

  bool operator==(const ScopeSet&) const = default;

 private:
  explicit ScopeSet(uint8_t bits) : bits_(bits) {}
  uint8_t bits_;
};

struct ApiKey {
  int64_t id = 0;  // store-assigned; links remember the key that created them by it
  std::string name;
  std::string hash;  // HashApiKey of the key
  Role role = Role::kUser;
  ScopeSet scopes = ScopeSet::All();
  TimePoint created_at;
  std::optional<TimePoint> expires_at;
  std::optional<TimePoint> revoked_at;
};

// Whether a key may be used at `now`. Revoked wins over expired: it is the deliberate act.
enum class KeyState { kActive, kRevoked, kExpired };
KeyState KeyStateOf(const ApiKey& key, TimePoint now);

inline constexpr std::string_view kApiKeyPrefix = "hop_";
inline constexpr size_t kApiKeySecretBytes = 32;
inline constexpr size_t kApiKeyLength = kApiKeyPrefix.size() + 43;

// A new key from the CSPRNG. Aborts if the CSPRNG fails: there is no safe fallback.
std::string GenerateApiKey();

// The key that spells `bytes`; GenerateApiKey feeds it the CSPRNG. Exposed for tests.
std::string ApiKeyFromBytes(const std::array<unsigned char, kApiKeySecretBytes>& bytes);

// True when `text` has a key's shape: the prefix and 43 base62 characters. Anything else can be
// refused without looking it up.
bool LooksLikeApiKey(std::string_view text);

// SHA-256 of `key`, 64 lower-case hex digits.
std::string HashApiKey(std::string_view key);

// Compares two hashes in time that depends only on their lengths (OpenSSL's CRYPTO_memcmp).
bool SameKeyHash(std::string_view a, std::string_view b);

// Key names: 1 to 64 of [A-Za-z0-9._@-], so that they are safe to print and to pass on a command
// line. kInvalidRequest saying so otherwise.
Status ValidateKeyName(std::string_view name);

}  // namespace hop
