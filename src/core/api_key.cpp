// API keys: generating, recognizing and hashing them, and the rules for roles, scopes and names.
#include "core/api_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>

namespace hop {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr size_t kKeyDigits = kApiKeyLength - kApiKeyPrefix.size();
constexpr size_t kMaxKeyNameLength = 64;

constexpr Scope kScopes[] = {Scope::kLinksRead, Scope::kLinksWrite, Scope::kStatsRead};

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

std::optional<Scope> ParseScope(std::string_view name) {
  for (Scope scope : kScopes) {
    if (ScopeName(scope) == name) return scope;
  }
  return std::nullopt;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kUser:
      return "user";
  }
  return "user";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "user") return Role::kUser;
  return std::nullopt;
}

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kLinksRead:
      return "links:read";
    case Scope::kLinksWrite:
      return "links:write";
    case Scope::kStatsRead:
      return "stats:read";
  }
  return "";
}

ScopeSet ScopeSet::All() {
  uint8_t bits = 0;
  for (Scope scope : kScopes) bits |= static_cast<uint8_t>(scope);
  return ScopeSet(bits);
}

Result<ScopeSet> ScopeSet::Parse(std::string_view text) {
  uint8_t bits = 0;
  while (!text.empty()) {
    size_t end = text.find_first_of(", ");
    std::string_view name = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (name.empty()) continue;
    std::optional<Scope> scope = ParseScope(name);
    if (!scope) {
      return Status::Error(
          ErrorCode::kInvalidRequest,
          "unknown scope \"" + std::string(name) + "\": use links:read, links:write or stats:read");
    }
    bits |= static_cast<uint8_t>(*scope);
  }
  if (bits == 0) {
    return Status::Error(ErrorCode::kInvalidRequest, "a key needs at least one scope");
  }
  return ScopeSet(bits);
}

std::string ScopeSet::ToString() const {
  std::string text;
  for (Scope scope : kScopes) {
    if (!Has(scope)) continue;
    if (!text.empty()) text += ' ';
    text += ScopeName(scope);
  }
  return text;
}

KeyState KeyStateOf(const ApiKey& key, TimePoint now) {
  if (key.revoked_at) return KeyState::kRevoked;
  if (key.expires_at && now >= *key.expires_at) return KeyState::kExpired;
  return KeyState::kActive;
}

std::string ApiKeyFromBytes(const std::array<unsigned char, kApiKeySecretBytes>& bytes) {
  // The bytes as one big-endian number, written in base 62 by repeated long division: each pass
  // divides the number by 62 in place and yields the next digit, least significant first.
  std::array<unsigned char, kApiKeySecretBytes> number = bytes;
  std::string digits(kKeyDigits, '0');
  for (size_t i = 0; i < kKeyDigits; ++i) {
    unsigned remainder = 0;
    for (unsigned char& byte : number) {
      unsigned value = remainder * 256 + byte;
      byte = static_cast<unsigned char>(value / kBase62.size());
      remainder = value % kBase62.size();
    }
    digits[kKeyDigits - 1 - i] = kBase62[remainder];
  }
  return std::string(kApiKeyPrefix) + digits;
}

std::string GenerateApiKey() {
  std::array<unsigned char, kApiKeySecretBytes> bytes;
  // A failing CSPRNG cannot be worked around: any fallback would hand out guessable keys.
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) std::abort();
  std::string key = ApiKeyFromBytes(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

bool LooksLikeApiKey(std::string_view text) {
  return text.size() == kApiKeyLength && text.starts_with(kApiKeyPrefix) &&
         std::all_of(text.begin() + kApiKeyPrefix.size(), text.end(), IsBase62);
}

std::string HashApiKey(std::string_view key) {
  // Fetched once: with EVP_sha256(), every EVP_Digest looks the implementation up again, which
  // cost a third of hashing the key that every API request presents. Kept for the process's life.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // SHA-256 of a short buffer only fails when OpenSSL cannot allocate; no answer would be safe.
  if (sha256 == nullptr ||
      EVP_Digest(key.data(), key.size(), digest, &length, sha256, nullptr) != 1) {
    std::abort();
  }
  constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return hex;
}

bool SameKeyHash(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status ValidateKeyName(std::string_view name) {
  bool valid = !name.empty() && name.size() <= kMaxKeyNameLength &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return IsBase62(c) || c == '.' || c == '_' || c == '@' || c == '-';
               });
  if (valid) return Status::Ok();
  return Status::Error(ErrorCode::kInvalidRequest,
                       "a key name must be 1 to 64 of A-Z, a-z, 0-9, '.', '_', '@' and '-'");
}

}  // namespace hop
