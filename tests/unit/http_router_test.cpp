// The router and handlers, called as plain functions: no socket, a real SQLite store.
#include "http/router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "service_test_support.h"

namespace hop {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  Response Send(std::string method, std::string target, std::string body = {},
                std::string content_type = "application/json") {
    Request request{.method = std::move(method),
                    .target = std::move(target),
                    .headers = {{"Authorization", "Bearer " + admin_key_}},
                    .body = std::move(body)};
    if (!request.body.empty())
      request.headers.emplace_back("Content-Type", std::move(content_type));
    return router_.HandleAndWait(request);
  }
  static boost::json::object Json(const Response& r) {
    return boost::json::parse(r.body).as_object();
  }
  static std::string Code(const Response& r) { return std::string(Json(r).at("code").as_string()); }
  static std::string HeaderOf(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return {};
  }

  TempSqliteStore store_;
  ManualClock clock_{kNow};
  LinkEvents events_;
  LinkService links_{*store_, clock_, TargetUrlPolicy{.own_host = "sho.rt", .blocked_hosts = {}},
                     events_};
  StatsService stats_{*store_, clock_};
  AuthService auth_{*store_, clock_};
  RateLimits limits_{kNoRateLimits};
  ApiContext api_{links_, stats_, *store_, "https://sho.rt", auth_, limits_, clock_};
  Router router_{api_};
  std::string admin_key_ = CreateTestKey(*store_, "admin");
};

TEST_F(RouterTest, RedirectRequestsAreGetOrHeadOfOneCodeSegment) {
  EXPECT_TRUE(IsRedirectRequest("GET", "/abc"));
  EXPECT_TRUE(IsRedirectRequest("HEAD", "/a-b_c"));
  EXPECT_FALSE(IsRedirectRequest("POST", "/abc"));
  EXPECT_FALSE(IsRedirectRequest("GET", "/"));
  EXPECT_FALSE(IsRedirectRequest("GET", "/abc/def"));
  EXPECT_FALSE(IsRedirectRequest("GET", "/a.b"));
  EXPECT_FALSE(IsRedirectRequest("GET", "/healthz"));
  EXPECT_FALSE(IsRedirectRequest("GET", "/Metrics"));
}

TEST_F(RouterTest, OtherMethodsOnALinkPathAre405WithGetAndHead) {
  Response r = Send("POST", "/abc1234");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET, HEAD");
}

TEST_F(RouterTest, CreateAnswers201WithTheLinkObjectAndLocation) {
  Response r = Send("POST", "/api/v1/links",
                    R"({"url":"https://example.com/x","alias":"abc","tags":["t"]})");
  ASSERT_EQ(r.status, 201) << r.body;
  boost::json::object link = Json(r);
  EXPECT_EQ(link.at("short_url").as_string(), "https://sho.rt/abc");
  EXPECT_EQ(link.at("tags").as_array().size(), 1u);
  EXPECT_TRUE(link.at("title").is_null());
  EXPECT_EQ(link.at("redirect_status").as_int64(), 302);
  EXPECT_EQ(link.at("created_at").as_string(), "2026-11-18T11:08:43Z");
  EXPECT_EQ(HeaderOf(r, "Location"), "/api/v1/links/abc");
  EXPECT_EQ(link.size(), 13u);
}

TEST_F(RouterTest, UnknownFieldIsRefusedByName) {
  Response r = Send("POST", "/api/v1/links", R"({"url":"https://example.com/","expire_at":"x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Code(r), "invalid_request");
  EXPECT_NE(Json(r).at("detail").as_string().find("expire_at"), boost::json::string::npos);
}

TEST_F(RouterTest, ErrorsAreProblemJsonWithStatusAndCode) {
  Response r = Send("POST", "/api/v1/links", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/problem+json");
  boost::json::object problem = Json(r);
  EXPECT_EQ(problem.at("code").as_string(), "invalid_json");
  EXPECT_EQ(problem.at("status").as_int64(), 400);
  EXPECT_TRUE(problem.contains("type"));
  EXPECT_TRUE(problem.contains("title"));
  EXPECT_TRUE(problem.contains("detail"));
}

TEST_F(RouterTest, BodyThatIsNotJsonMediaTypeIs415) {
  Response r = Send("POST", "/api/v1/links", R"({"url":"https://example.com/"})", "text/plain");
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(Code(r), "unsupported_media_type");
}

TEST_F(RouterTest, WrongTypesAreInvalidRequest) {
  EXPECT_EQ(Code(Send("POST", "/api/v1/links", R"({"url":5})")), "invalid_request");
  EXPECT_EQ(Code(Send("POST", "/api/v1/links", R"({"url":"https://e.com/","tags":"a"})")),
            "invalid_request");
  EXPECT_EQ(Code(Send("POST", "/api/v1/links", R"([1,2])")), "invalid_request");
  EXPECT_EQ(
      Code(Send("POST", "/api/v1/links", R"({"url":"https://e.com/","redirect_status":303})")),
      "invalid_request");
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  Response r = Send("PUT", "/api/v1/links");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(Code(r), "method_not_allowed");
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET, POST");
}

TEST_F(RouterTest, UnknownApiPathIs404) {
  EXPECT_EQ(Send("GET", "/api/v1/nothing").status, 404);
  EXPECT_EQ(Send("GET", "/api/v1/links/abc/nothing").status, 404);
}

TEST_F(RouterTest, PatchWithNullClearsAndDeleteRemoves) {
  ASSERT_EQ(
      Send("POST", "/api/v1/links", R"({"url":"https://example.com/","alias":"abc","title":"T"})")
          .status,
      201);
  Response patched = Send("PATCH", "/api/v1/links/abc", R"({"title":null,"disabled":true})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_TRUE(Json(patched).at("title").is_null());
  EXPECT_TRUE(Json(patched).at("disabled").as_bool());
  EXPECT_EQ(Code(Send("PATCH", "/api/v1/links/abc", R"({"alias":"x"})")), "invalid_request");
  EXPECT_EQ(Send("DELETE", "/api/v1/links/abc").status, 204);
  EXPECT_EQ(Send("GET", "/api/v1/links/abc").status, 404);
}

TEST_F(RouterTest, ListPagesWithCursorNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(
        Send("POST", "/api/v1/links", R"({"url":"https://example.com/)" + std::to_string(i) + "\"}")
            .status,
        201);
  }
  Response first = Send("GET", "/api/v1/links?limit=3");
  ASSERT_EQ(first.status, 200);
  boost::json::object page = Json(first);
  ASSERT_EQ(page.at("items").as_array().size(), 3u);
  EXPECT_EQ(page.at("items").as_array()[0].as_object().at("url").as_string(),
            "https://example.com/4");
  std::string cursor(page.at("next_cursor").as_string());
  boost::json::object rest = Json(Send("GET", "/api/v1/links?limit=3&cursor=" + cursor));
  EXPECT_EQ(rest.at("items").as_array().size(), 2u);
  EXPECT_TRUE(rest.at("next_cursor").is_null());
  EXPECT_EQ(Send("GET", "/api/v1/links?limit=0").status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/links?cursor=abc").status, 400);
}

TEST_F(RouterTest, BulkKeepsOrderAndFailsItemsOnTheirOwn) {
  Response r = Send(
      "POST", "/api/v1/links/bulk",
      R"({"links":[{"url":"https://example.com/"},{"url":"javascript:x"},{"url":"https://e.org/","alias":"ok1"}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  const boost::json::object body = Json(r);
  const boost::json::array& results = body.at("results").as_array();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].as_object().contains("link"));
  EXPECT_EQ(results[1].as_object().at("error").as_object().at("code").as_string(), "invalid_url");
  EXPECT_EQ(results[2].as_object().at("link").as_object().at("code").as_string(), "ok1");
}

TEST_F(RouterTest, StatsAndSeriesOfAFreshLinkAreZero) {
  ASSERT_EQ(Send("POST", "/api/v1/links", R"({"url":"https://example.com/","alias":"abc"})").status,
            201);
  boost::json::object stats = Json(Send("GET", "/api/v1/links/abc/stats"));
  EXPECT_EQ(stats.at("total").as_int64(), 0);
  EXPECT_EQ(stats.at("last_24h").as_int64(), 0);
  Response series = Send("GET",
                         "/api/v1/links/abc/stats/"
                         "series?step=minute&from=2026-11-18T08:00:00Z&to=2026-11-18T08:09:59Z");
  ASSERT_EQ(series.status, 200) << series.body;
  EXPECT_EQ(Json(series).at("points").as_array().size(), 10u);
  EXPECT_EQ(Send("GET", "/api/v1/links/abc/stats/series?step=week").status, 400);
  EXPECT_EQ(Send("GET", "/api/v1/links/abc/stats/series?from=yesterday").status, 400);
}

TEST_F(RouterTest, HealthAndReadiness) {
  EXPECT_EQ(Send("GET", "/healthz").status, 200);
  EXPECT_EQ(Send("GET", "/readyz").status, 200);
  EXPECT_EQ(Send("POST", "/healthz").status, 405);
}

}  // namespace
}  // namespace hop
