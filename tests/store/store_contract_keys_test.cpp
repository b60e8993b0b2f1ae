// Store contract: API keys, kept by hash, found by hash, listed, revoked.
#include <chrono>

#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

using std::chrono::hours;

ApiKey NewKey(std::string name, Role role = Role::kUser) {
  ApiKey key;
  key.name = std::move(name);
  key.hash = HashApiKey(GenerateApiKey());
  key.role = role;
  key.created_at = kNow;
  return key;
}

void ExpectSameKey(const ApiKey& actual, const ApiKey& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.hash, expected.hash);
  EXPECT_EQ(actual.role, expected.role);
  EXPECT_EQ(actual.scopes, expected.scopes);
  EXPECT_EQ(actual.created_at, expected.created_at);
  EXPECT_EQ(actual.expires_at, expected.expires_at);
  EXPECT_EQ(actual.revoked_at, expected.revoked_at);
}

TEST_P(StoreContract, CreateApiKeyAssignsAnIdAndFindByHashReadsItBack) {
  ApiKey key = NewKey("dashboard", Role::kAdmin);
  key.scopes = Must(ScopeSet::Parse("links:read stats:read"));
  key.expires_at = kNow + hours(24);
  ApiKey created = Must(store().CreateApiKey(key));
  EXPECT_GT(created.id, 0);
  key.id = created.id;
  ExpectSameKey(created, key);
  ExpectSameKey(Must(store().FindApiKeyByHash(key.hash)), key);
}

TEST_P(StoreContract, ApiKeyDefaultsAreAllScopesAndNoExpiry) {
  ApiKey created = Must(store().CreateApiKey(NewKey("plain")));
  ApiKey found = Must(store().FindApiKeyByHash(created.hash));
  EXPECT_EQ(found.role, Role::kUser);
  EXPECT_EQ(found.scopes, ScopeSet::All());
  EXPECT_FALSE(found.expires_at.has_value());
  EXPECT_FALSE(found.revoked_at.has_value());
}

TEST_P(StoreContract, ApiKeyNamesAreUniqueEvenAfterRevocation) {
  ApiKey first = Must(store().CreateApiKey(NewKey("ci")));
  Result<ApiKey> again = store().CreateApiKey(NewKey("ci"));
  ASSERT_TRUE(FailsWith(again, ErrorCode::kInvalidRequest));
  EXPECT_NE(again.status().detail().find("\"ci\""), std::string::npos) << again.status().detail();
  Must(store().RevokeApiKey("ci", kNow));
  EXPECT_TRUE(FailsWith(store().CreateApiKey(NewKey("ci")), ErrorCode::kInvalidRequest));
  EXPECT_EQ(Must(store().ListApiKeys()).size(), 1u);
  EXPECT_EQ(Must(store().FindApiKeyByHash(first.hash)).id, first.id);
}

TEST_P(StoreContract, FindApiKeyByUnknownHashIsNotFound) {
  Must(store().CreateApiKey(NewKey("known")));
  EXPECT_TRUE(
      FailsWith(store().FindApiKeyByHash(HashApiKey(GenerateApiKey())), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(store().FindApiKeyByHash(""), ErrorCode::kNotFound));
}

TEST_P(StoreContract, ListApiKeysIsOldestFirstWithRevokedOnesIncluded) {
  EXPECT_TRUE(Must(store().ListApiKeys()).empty());
  Must(store().CreateApiKey(NewKey("one")));
  Must(store().CreateApiKey(NewKey("two")));
  Must(store().CreateApiKey(NewKey("three")));
  Must(store().RevokeApiKey("two", kNow));
  std::vector<ApiKey> keys = Must(store().ListApiKeys());
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].name, "one");
  EXPECT_EQ(keys[1].name, "two");
  EXPECT_EQ(keys[1].revoked_at, kNow);
  EXPECT_EQ(keys[2].name, "three");
  EXPECT_FALSE(keys[2].revoked_at.has_value());
}

TEST_P(StoreContract, RevokeKeepsTheFirstRevocationTime) {
  ApiKey key = Must(store().CreateApiKey(NewKey("leaked")));
  EXPECT_EQ(Must(store().RevokeApiKey("leaked", kNow + hours(1))).revoked_at, kNow + hours(1));
  EXPECT_EQ(Must(store().RevokeApiKey("leaked", kNow + hours(2))).revoked_at, kNow + hours(1));
  EXPECT_EQ(Must(store().FindApiKeyByHash(key.hash)).revoked_at, kNow + hours(1));
}

TEST_P(StoreContract, RevokeUnknownNameIsNotFound) {
  EXPECT_TRUE(FailsWith(store().RevokeApiKey("nobody", kNow), ErrorCode::kNotFound));
}

TEST_P(StoreContract, ApiKeysSurviveMigratingAgain) {
  ApiKey key = Must(store().CreateApiKey(NewKey("kept")));
  ASSERT_TRUE(IsOk(store().Migrate()));
  EXPECT_EQ(Must(store().FindApiKeyByHash(key.hash)).name, "kept");
}

}  // namespace
}  // namespace hop
