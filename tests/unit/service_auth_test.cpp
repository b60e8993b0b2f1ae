#include "service/auth_service.h"

#include <gtest/gtest.h>

#include "service_test_support.h"

namespace hop {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

class AuthServiceTest : public ::testing::Test {
 protected:
  TempSqliteStore real_store_;
  CountingStore store_{*real_store_};
  ManualClock clock_{kNow};
  AuthService auth_{store_, clock_,
                    AuthOptions{.cache_ttl = milliseconds(1000), .cache_capacity = 4}};
};

TEST_F(AuthServiceTest, AnActiveKeyActsAsItsPrincipal) {
  std::string secret =
      CreateTestKey(store_, "dash", Role::kUser, Must(ScopeSet::Parse("links:read,stats:read")));
  Principal principal = Must(auth_.Authenticate(secret));
  ASSERT_TRUE(principal.key_id.has_value());
  EXPECT_EQ(principal.role, Role::kUser);
  EXPECT_TRUE(principal.scopes.Has(Scope::kLinksRead));
  EXPECT_FALSE(principal.scopes.Has(Scope::kLinksWrite));
  EXPECT_FALSE(principal.SeesAllLinks());
  EXPECT_EQ(principal.OwnerFilter(), principal.key_id);
}

TEST_F(AuthServiceTest, AdminKeysSeeAllLinks) {
  Principal principal = Must(auth_.Authenticate(CreateTestKey(store_, "root", Role::kAdmin)));
  EXPECT_TRUE(principal.SeesAllLinks());
  EXPECT_EQ(principal.OwnerFilter(), std::nullopt);
}

TEST_F(AuthServiceTest, MalformedKeysAreRefusedWithoutAStoreRead) {
  for (const char* key : {"", "hop_", "Bearer x", "hop_tooshort", "not-a-key-at-all"}) {
    EXPECT_TRUE(FailsWith(auth_.Authenticate(key), ErrorCode::kUnauthorized)) << key;
  }
  EXPECT_EQ(store_.key_lookups(), 0);
}

TEST_F(AuthServiceTest, UnknownKeysAreRefusedAndNotRemembered) {
  const std::string unknown = GenerateApiKey();
  Result<Principal> first = auth_.Authenticate(unknown);
  ASSERT_TRUE(FailsWith(first, ErrorCode::kUnauthorized));
  EXPECT_NE(first.status().detail().find("not known"), std::string::npos);
  EXPECT_TRUE(FailsWith(auth_.Authenticate(unknown), ErrorCode::kUnauthorized));
  EXPECT_EQ(store_.key_lookups(), 2);
}

TEST_F(AuthServiceTest, RevokedAndExpiredKeysAreRefusedSayingWhy) {
  std::string revoked = CreateTestKey(store_, "old");
  Must(store_.RevokeApiKey("old", kNow));
  std::string expired = CreateTestKey(store_, "temp", Role::kUser, ScopeSet::All(), kNow);
  Result<Principal> a = auth_.Authenticate(revoked);
  Result<Principal> b = auth_.Authenticate(expired);
  ASSERT_TRUE(FailsWith(a, ErrorCode::kUnauthorized));
  ASSERT_TRUE(FailsWith(b, ErrorCode::kUnauthorized));
  EXPECT_NE(a.status().detail().find("revoked"), std::string::npos) << a.status().detail();
  EXPECT_NE(b.status().detail().find("expired"), std::string::npos) << b.status().detail();
}

TEST_F(AuthServiceTest, AKeyIsReadOncePerCacheTtl) {
  std::string secret = CreateTestKey(store_, "busy");
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(IsOk(auth_.Authenticate(secret)));
  EXPECT_EQ(store_.key_lookups(), 1);
  clock_.Advance(milliseconds(1000));
  ASSERT_TRUE(IsOk(auth_.Authenticate(secret)));
  EXPECT_EQ(store_.key_lookups(), 2);
}

TEST_F(AuthServiceTest, ARevocationByAnotherProcessTakesEffectWithinTheTtl) {
  std::string secret = CreateTestKey(store_, "leaked");
  ASSERT_TRUE(IsOk(auth_.Authenticate(secret)));
  Must(real_store_->RevokeApiKey("leaked", kNow));  // `hop keys revoke`, writing the store
  clock_.Advance(milliseconds(999));
  EXPECT_TRUE(IsOk(auth_.Authenticate(secret)));  // still cached
  clock_.Advance(milliseconds(1));
  EXPECT_TRUE(FailsWith(auth_.Authenticate(secret), ErrorCode::kUnauthorized));
}

TEST_F(AuthServiceTest, ExpiryIsJudgedOnEveryCallEvenFromTheCache) {
  std::string secret =
      CreateTestKey(store_, "brief", Role::kUser, ScopeSet::All(), kNow + milliseconds(500));
  ASSERT_TRUE(IsOk(auth_.Authenticate(secret)));
  clock_.Advance(milliseconds(500));
  EXPECT_TRUE(FailsWith(auth_.Authenticate(secret), ErrorCode::kUnauthorized));
  EXPECT_EQ(store_.key_lookups(), 1);
}

TEST_F(AuthServiceTest, MoreActiveKeysThanTheCacheHoldsStillAuthenticate) {
  std::vector<std::string> secrets;
  for (int i = 0; i < 10; ++i) secrets.push_back(CreateTestKey(store_, "k" + std::to_string(i)));
  for (int round = 0; round < 3; ++round) {
    for (const std::string& secret : secrets) ASSERT_TRUE(IsOk(auth_.Authenticate(secret)));
  }
}

TEST_F(AuthServiceTest, AStoreOutageIsNotAnAuthenticationFailure) {
  std::string secret = CreateTestKey(store_, "any");
  class DownStore final : public CountingStore {
   public:
    using CountingStore::CountingStore;
    Result<ApiKey> FindApiKeyByHash(std::string_view) override {
      return Status::Error(ErrorCode::kStoreUnavailable, "down");
    }
  } down(*real_store_);
  AuthService auth(down, clock_);
  EXPECT_TRUE(FailsWith(auth.Authenticate(secret), ErrorCode::kStoreUnavailable));
}

TEST_F(AuthServiceTest, AnonymousCallersSeeNoLinks) {
  Principal anonymous = Principal::Anonymous();
  Link link;
  link.fields.owner_key_id = std::nullopt;
  EXPECT_TRUE(anonymous.anonymous());
  EXPECT_FALSE(anonymous.Sees(link));
  EXPECT_FALSE(anonymous.SeesAllLinks());
}

}  // namespace
}  // namespace hop
