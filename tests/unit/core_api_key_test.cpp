#include "core/api_key.h"

#include <gtest/gtest.h>

#include <unordered_set>

#include "../store/store_test_support.h"

namespace hop {
namespace {

using std::chrono::hours;

TEST(ApiKey, GeneratedKeysHaveThePrefixAnd43Base62Characters) {
  for (int i = 0; i < 1'000; ++i) {
    std::string key = GenerateApiKey();
    ASSERT_EQ(key.size(), kApiKeyLength) << key;
    ASSERT_TRUE(key.starts_with("hop_")) << key;
    ASSERT_TRUE(LooksLikeApiKey(key)) << key;
  }
}

TEST(ApiKey, TenThousandKeysAreAllDistinct) {
  std::unordered_set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) seen.insert(GenerateApiKey());
  EXPECT_EQ(seen.size(), 10'000u);
}

TEST(ApiKey, BytesSpellAsABase62NumberWithLeadingZeros) {
  std::array<unsigned char, kApiKeySecretBytes> bytes{};
  EXPECT_EQ(ApiKeyFromBytes(bytes), "hop_" + std::string(43, '0'));
  bytes.back() = 61;
  EXPECT_EQ(ApiKeyFromBytes(bytes), "hop_" + std::string(42, '0') + "z");
  bytes.back() = 62;
  EXPECT_EQ(ApiKeyFromBytes(bytes), "hop_" + std::string(41, '0') + "10");
}

TEST(ApiKey, TheLargest256BitNumberStillFitsIn43Digits) {
  std::array<unsigned char, kApiKeySecretBytes> bytes;
  bytes.fill(0xFF);
  std::string key = ApiKeyFromBytes(bytes);
  EXPECT_TRUE(LooksLikeApiKey(key)) << key;
  EXPECT_NE(key[4], '0') << "2^256-1 needs all 43 digits: " << key;
}

TEST(ApiKey, DifferentBytesNeverSpellTheSameKey) {
  std::array<unsigned char, kApiKeySecretBytes> a{};
  std::array<unsigned char, kApiKeySecretBytes> b{};
  b[0] = 1;  // the most significant byte
  EXPECT_NE(ApiKeyFromBytes(a), ApiKeyFromBytes(b));
}

TEST(ApiKey, ShapeCheckRefusesWrongPrefixLengthAndCharacters) {
  std::string key = GenerateApiKey();
  EXPECT_FALSE(LooksLikeApiKey(""));
  EXPECT_FALSE(LooksLikeApiKey(key.substr(0, key.size() - 1)));
  EXPECT_FALSE(LooksLikeApiKey(key + "a"));
  EXPECT_FALSE(LooksLikeApiKey("HOP_" + key.substr(4)));
  std::string with_dash = key;
  with_dash[10] = '-';
  EXPECT_FALSE(LooksLikeApiKey(with_dash));
}

TEST(ApiKey, HashIsSha256InLowerCaseHex) {
  EXPECT_EQ(HashApiKey(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HashApiKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKey, SameKeyHashComparesWholeValues) {
  std::string hash = HashApiKey("hop_x");
  EXPECT_TRUE(SameKeyHash(hash, HashApiKey("hop_x")));
  EXPECT_FALSE(SameKeyHash(hash, HashApiKey("hop_y")));
  EXPECT_FALSE(SameKeyHash(hash, hash.substr(0, 63)));
  EXPECT_FALSE(SameKeyHash("", hash));
}

TEST(ApiKey, RolesRoundTripByName) {
  EXPECT_EQ(ParseRole("admin"), Role::kAdmin);
  EXPECT_EQ(ParseRole("user"), Role::kUser);
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(RoleName(Role::kAdmin), "admin");
  EXPECT_EQ(RoleName(Role::kUser), "user");
}

TEST(ApiKey, ScopesParseFromCommasOrSpacesAndPrintInAFixedOrder) {
  ScopeSet scopes = Must(ScopeSet::Parse("stats:read, links:read"));
  EXPECT_TRUE(scopes.Has(Scope::kLinksRead));
  EXPECT_TRUE(scopes.Has(Scope::kStatsRead));
  EXPECT_FALSE(scopes.Has(Scope::kLinksWrite));
  EXPECT_EQ(scopes.ToString(), "links:read stats:read");
  EXPECT_EQ(Must(ScopeSet::Parse(scopes.ToString())), scopes);
  EXPECT_EQ(ScopeSet::All().ToString(), "links:read links:write stats:read");
}

TEST(ApiKey, UnknownOrNoScopesAreRefused) {
  EXPECT_TRUE(FailsWith(ScopeSet::Parse("links:read,links:delete"), ErrorCode::kInvalidRequest));
  EXPECT_TRUE(FailsWith(ScopeSet::Parse(""), ErrorCode::kInvalidRequest));
  EXPECT_TRUE(FailsWith(ScopeSet::Parse(" , "), ErrorCode::kInvalidRequest));
}

TEST(ApiKey, RevokedWinsOverExpired) {
  ApiKey key;
  EXPECT_EQ(KeyStateOf(key, kNow), KeyState::kActive);
  key.expires_at = kNow + hours(1);
  EXPECT_EQ(KeyStateOf(key, kNow), KeyState::kActive);
  EXPECT_EQ(KeyStateOf(key, kNow + hours(1)), KeyState::kExpired);
  key.revoked_at = kNow;
  EXPECT_EQ(KeyStateOf(key, kNow + hours(1)), KeyState::kRevoked);
}

TEST(ApiKey, NamesAreShortAndPrintable) {
  EXPECT_TRUE(IsOk(ValidateKeyName("dashboard")));
  EXPECT_TRUE(IsOk(ValidateKeyName("team-a.ci_bot@example")));
  EXPECT_TRUE(FailsWith(ValidateKeyName(""), ErrorCode::kInvalidRequest));
  EXPECT_TRUE(FailsWith(ValidateKeyName(std::string(65, 'a')), ErrorCode::kInvalidRequest));
  EXPECT_TRUE(FailsWith(ValidateKeyName("two words"), ErrorCode::kInvalidRequest));
  EXPECT_TRUE(FailsWith(ValidateKeyName("tab\there"), ErrorCode::kInvalidRequest));
}

}  // namespace
}  // namespace hop
