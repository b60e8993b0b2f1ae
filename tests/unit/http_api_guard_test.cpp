// The ApiGuard through the router: every credential state, scopes, anonymous creation, and the
// rate limit answers. No socket; a real SQLite store.
#include "http/api_guard.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/router.h"
#include "service_test_support.h"

namespace hop {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

std::string ProblemCode(const Response& r) {
  return std::string(boost::json::parse(r.body).at("code").as_string());
}

class ApiGuardTest : public ::testing::Test {
 protected:
  explicit ApiGuardTest(RateLimitOptions limits = kNoRateLimits, bool anonymous = false)
      : limits_(limits), api_{links_, stats_,  *store_, "https://sho.rt",
                              auth_,  limits_, clock_,  anonymous} {}

  Response Send(std::string method, std::string target,
                std::vector<std::pair<std::string, std::string>> headers = {},
                std::string body = {}) {
    Request request{.method = std::move(method),
                    .target = std::move(target),
                    .headers = std::move(headers),
                    .body = std::move(body)};
    request.client = ClientAddress::FromV4({192, 0, 2, 10});
    if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
    return router_.HandleAndWait(request);
  }
  static std::pair<std::string, std::string> Bearer(const std::string& key) {
    return {"Authorization", "Bearer " + key};
  }
  std::string CreateAs(const std::string& key, const std::string& alias) {
    Response r = Send("POST", "/api/v1/links", {Bearer(key)},
                      R"({"url":"https://example.com/","alias":")" + alias + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return alias;
  }

  TempSqliteStore store_;
  ManualClock clock_{kNow};
  LinkEvents events_;
  LinkService links_{*store_, clock_, TargetUrlPolicy{.own_host = "sho.rt", .blocked_hosts = {}},
                     events_};
  StatsService stats_{*store_, clock_};
  AuthService auth_{*store_, clock_};
  RateLimits limits_;
  ApiContext api_;
  Router router_{api_};
  std::string admin_ = CreateTestKey(*store_, "admin", Role::kAdmin);
  std::string alice_ = CreateTestKey(*store_, "alice", Role::kUser);
  std::string bob_ = CreateTestKey(*store_, "bob", Role::kUser);
};

TEST_F(ApiGuardTest, NoCredentialIs401WithAChallenge) {
  Response r = Send("GET", "/api/v1/links");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(ProblemCode(r), "unauthorized");
  EXPECT_EQ(HeaderOf(r, "WWW-Authenticate"), "Bearer realm=\"hop\"");
}

TEST_F(ApiGuardTest, EveryKindOfBadCredentialIs401) {
  std::string revoked = CreateTestKey(*store_, "gone");
  Must(store_->RevokeApiKey("gone", kNow));
  std::string expired = CreateTestKey(*store_, "old", Role::kAdmin, ScopeSet::All(), kNow);
  const std::vector<std::pair<std::string, std::string>> credentials = {
      {"Authorization", "Basic YWRtaW46YWRtaW4="},
      {"Authorization", "Bearer"},
      {"Authorization", "Bearer not-a-key"},
      {"Authorization", "Bearer " + GenerateApiKey()},
      {"Authorization", "Bearer " + revoked},
      {"Authorization", "Bearer " + expired},
      {"X-Api-Key", "hop_short"},
  };
  for (const auto& credential : credentials) {
    Response r = Send("GET", "/api/v1/links", {credential});
    EXPECT_EQ(r.status, 401) << credential.second;
    EXPECT_EQ(HeaderOf(r, "WWW-Authenticate"), "Bearer realm=\"hop\"") << credential.second;
  }
}

TEST_F(ApiGuardTest, BearerSchemeIsCaseInsensitiveAndXApiKeyWorksToo) {
  EXPECT_EQ(Send("GET", "/api/v1/links", {{"Authorization", "bearer " + admin_}}).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/links", {{"AUTHORIZATION", "BEARER " + admin_}}).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/links", {{"X-Api-Key", admin_}}).status, 200);
}

TEST_F(ApiGuardTest, AnotherUsersLinkIsNotFoundOnEveryEndpoint) {
  CreateAs(alice_, "alices");
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/v1/links/alices"},
           {"PATCH", "/api/v1/links/alices"},
           {"DELETE", "/api/v1/links/alices"},
           {"GET", "/api/v1/links/alices/stats"},
           {"GET", "/api/v1/links/alices/stats/series"},
           {"GET", "/api/v1/links/alices/qr"}}) {
    std::string body = method == "PATCH" ? R"({"title":"mine now"})" : "";
    Response r = Send(method, path, {Bearer(bob_)}, body);
    EXPECT_EQ(r.status, 404) << method << " " << path;
    Response missing = Send(method, "/api/v1/links/nosuch" + path.substr(20), {Bearer(bob_)}, body);
    // Word for word what a code nobody has answers, so nothing tells the two apart.
    EXPECT_EQ(boost::json::parse(r.body).at("detail").as_string(),
              "no link has the code \"alices\"")
        << method << " " << path;
    EXPECT_EQ(missing.status, 404);
  }
  EXPECT_EQ(Send("GET", "/api/v1/links/alices", {Bearer(alice_)}).status, 200);
  EXPECT_EQ(Send("GET", "/api/v1/links/alices", {Bearer(admin_)}).status, 200);
}

TEST_F(ApiGuardTest, AUserListsOnlyItsOwnLinksAndAnAdminListsAll) {
  CreateAs(alice_, "a-one");
  CreateAs(bob_, "b-one");
  CreateAs(admin_, "admin-one");
  auto codes = [&](const std::string& key) {
    std::vector<std::string> out;
    Response r = Send("GET", "/api/v1/links", {Bearer(key)});
    const boost::json::value page = boost::json::parse(r.body);
    for (const auto& item : page.at("items").as_array()) {
      out.emplace_back(item.at("code").as_string());
    }
    return out;
  };
  EXPECT_EQ(codes(alice_), std::vector<std::string>{"a-one"});
  EXPECT_EQ(codes(bob_), std::vector<std::string>{"b-one"});
  EXPECT_EQ(codes(admin_), (std::vector<std::string>{"admin-one", "b-one", "a-one"}));
}

TEST_F(ApiGuardTest, AMissingScopeIs403BeforeAnyLinkIsLookedAt) {
  std::string reader =
      CreateTestKey(*store_, "reader", Role::kAdmin, Must(ScopeSet::Parse("links:read")));
  CreateAs(admin_, "there");
  Response create =
      Send("POST", "/api/v1/links", {Bearer(reader)}, R"({"url":"https://example.com/"})");
  EXPECT_EQ(create.status, 403);
  EXPECT_EQ(ProblemCode(create), "forbidden");
  EXPECT_EQ(Send("GET", "/api/v1/links/there/stats", {Bearer(reader)}).status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/links/nosuch/stats", {Bearer(reader)}).status, 403);
  EXPECT_EQ(Send("GET", "/api/v1/links/there", {Bearer(reader)}).status, 200);
}

TEST_F(ApiGuardTest, WithoutAnonymousCreationCreatesNeedAKeyToo) {
  EXPECT_EQ(Send("POST", "/api/v1/links", {}, R"({"url":"https://example.com/"})").status, 401);
  EXPECT_EQ(Send("POST", "/api/v1/links/bulk", {}, R"({"links":[]})").status, 401);
}

TEST_F(ApiGuardTest, UnknownPathsAndMethodsAreAnsweredWithoutAKey) {
  EXPECT_EQ(Send("GET", "/api/v1/links/a/b/c").status, 404);
  EXPECT_EQ(Send("PUT", "/api/v1/links").status, 405);
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
}

class AnonymousCreateTest : public ApiGuardTest {
 protected:
  AnonymousCreateTest() : ApiGuardTest(kNoRateLimits, /*anonymous=*/true) {}
};

TEST_F(AnonymousCreateTest, CreatesWithoutAKeyMakeLinksNobodyButAdminsSee) {
  Response r =
      Send("POST", "/api/v1/links", {}, R"({"url":"https://example.com/","alias":"anon"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Send("POST", "/api/v1/links/bulk", {}, R"({"links":[]})").status, 200);
  EXPECT_FALSE(Must(store_->FindLink("anon")).fields.owner_key_id.has_value());
  EXPECT_EQ(Send("GET", "/api/v1/links/anon").status, 401);
  EXPECT_EQ(Send("GET", "/api/v1/links/anon", {Bearer(alice_)}).status, 404);
  EXPECT_EQ(Send("GET", "/api/v1/links/anon", {Bearer(admin_)}).status, 200);
}

TEST_F(AnonymousCreateTest, ABadKeyIsStill401EvenWhereNoKeyWouldDo) {
  EXPECT_EQ(
      Send("POST", "/api/v1/links", {Bearer(GenerateApiKey())}, R"({"url":"https://example.com/"})")
          .status,
      401);
}

class LimitedApiTest : public ApiGuardTest {
 protected:
  LimitedApiTest()
      : ApiGuardTest(RateLimitOptions{.api = {.per_second = 1, .burst = 3},
                                      .create = {.per_second = 1, .burst = 1},
                                      .scan = {},
                                      .capacity = 1000}) {}
};

TEST_F(LimitedApiTest, EveryAnswerSaysWhatIsLeftAndTheRefusalSaysWhenToRetry) {
  Response first = Send("GET", "/api/v1/links", {Bearer(admin_)});
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(HeaderOf(first, "RateLimit-Limit"), "3");
  EXPECT_EQ(HeaderOf(first, "RateLimit-Remaining"), "2");
  EXPECT_EQ(HeaderOf(first, "RateLimit-Reset"), "1");
  Send("GET", "/api/v1/links", {Bearer(admin_)});
  Send("GET", "/api/v1/links", {Bearer(admin_)});
  Response refused = Send("GET", "/api/v1/links", {Bearer(admin_)});
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(ProblemCode(refused), "rate_limited");
  EXPECT_EQ(HeaderOf(refused, "Retry-After"), "1");
  EXPECT_EQ(HeaderOf(refused, "RateLimit-Remaining"), "0");
  clock_.Advance(seconds(1));
  EXPECT_EQ(Send("GET", "/api/v1/links", {Bearer(admin_)}).status, 200);
}

TEST_F(LimitedApiTest, CreatesAreLimitedMoreStrictly) {
  EXPECT_EQ(
      Send("POST", "/api/v1/links", {Bearer(admin_)}, R"({"url":"https://example.com/"})").status,
      201);
  Response refused =
      Send("POST", "/api/v1/links", {Bearer(admin_)}, R"({"url":"https://example.com/"})");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(HeaderOf(refused, "RateLimit-Limit"), "1");
  EXPECT_EQ(Send("GET", "/api/v1/links", {Bearer(admin_)}).status, 200);
}

TEST_F(LimitedApiTest, GuessingKeysUsesUpTheAddressesBudget) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Send("GET", "/api/v1/links", {Bearer(GenerateApiKey())}).status, 401);
  }
  EXPECT_EQ(Send("GET", "/api/v1/links", {Bearer(GenerateApiKey())}).status, 429);
  // The same address with the right key is refused too: the address's budget is spent.
  EXPECT_EQ(Send("GET", "/api/v1/links", {Bearer(admin_)}).status, 429);
}

}  // namespace
}  // namespace hop
