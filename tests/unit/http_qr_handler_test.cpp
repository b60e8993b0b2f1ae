// GET /api/v1/links/{code}/qr through the router: formats, sizes and errors, with a real store.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/router.h"
#include "qr/qr_code.h"
#include "qr/qr_svg.h"
#include "service_test_support.h"

namespace hop {
namespace {

class QrHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Request create{.method = "POST",
                   .target = "/api/v1/links",
                   .headers = {{"Content-Type", "application/json"}, Authorization()},
                   .body = R"({"url":"https://example.com/","alias":"launch"})"};
    ASSERT_EQ(router_.HandleAndWait(create).status, 201);
  }
  Response Get(std::string target) {
    return router_.HandleAndWait(Request{
        .method = "GET", .target = std::move(target), .headers = {Authorization()}, .body = {}});
  }
  std::pair<std::string, std::string> Authorization() const {
    return {"Authorization", "Bearer " + admin_key_};
  }
  static std::string HeaderOf(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return {};
  }
  static std::string ProblemCode(const Response& r) {
    return std::string(boost::json::parse(r.body).at("code").as_string());
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

TEST_F(QrHandlerTest, SvgByDefaultEncodesTheShortUrl) {
  Response r = Get("/api/v1/links/launch/qr");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "image/svg+xml");
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
  Result<QrCode> expected = EncodeQrCode("https://sho.rt/launch");
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(r.body, RenderQrSvg(expected.value(), 256));
}

TEST_F(QrHandlerTest, PngOfTheRequestedSize) {
  Response r = Get("/api/v1/links/launch/qr?format=png&size=300");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "image/png");
  EXPECT_EQ(HeaderOf(r, "Content-Disposition"), "inline; filename=\"launch.png\"");
  ASSERT_GT(r.body.size(), 24u);
  EXPECT_EQ(r.body.substr(1, 3), "PNG");
  EXPECT_EQ(static_cast<uint8_t>(r.body[18]) * 256 + static_cast<uint8_t>(r.body[19]), 300);
}

TEST_F(QrHandlerTest, UnknownCodeIs404) {
  Response r = Get("/api/v1/links/nosuch/qr");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ProblemCode(r), "not_found");
}

TEST_F(QrHandlerTest, BadFormatOrSizeIsInvalidRequest) {
  for (const char* query :
       {"format=gif", "size=31", "size=2049", "size=big", "size=100px", "size=", "format="}) {
    Response r = Get(std::string("/api/v1/links/launch/qr?") + query);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(ProblemCode(r), "invalid_request") << query;
  }
}

TEST_F(QrHandlerTest, OnlyGetIsAllowed) {
  Response r = router_.HandleAndWait(
      Request{.method = "POST", .target = "/api/v1/links/launch/qr", .headers = {}, .body = {}});
  EXPECT_EQ(r.status, 405);
}

}  // namespace
}  // namespace hop
