#include "service/link_service.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "core/short_code.h"
#include "service_test_support.h"

namespace hop {
namespace {

class LinkServiceTest : public ::testing::Test {
 protected:
  LinkServiceTest() {
    events_.Subscribe({.changed =
                           [this](std::span<const std::string> codes) {
                             published_.insert(published_.end(), codes.begin(), codes.end());
                           },
                       .all_changed = [] {}});
  }

  static CreateLinkRequest Request(std::string url, std::optional<std::string> alias = {}) {
    CreateLinkRequest request;
    request.fields.url = std::move(url);
    request.alias = std::move(alias);
    return request;
  }

  TempSqliteStore store_;
  ManualClock clock_{kNow};
  LinkEvents events_;
  std::vector<std::string> published_;
  Principal admin_ = TestPrincipal(*store_, "admin");
  LinkService links_{*store_, clock_,
                     TargetUrlPolicy{.own_host = "sho.rt", .blocked_hosts = {"evil.example"}},
                     events_};
};

TEST_F(LinkServiceTest, CreateNormalizesTheUrlAndGeneratesASevenCharacterCode) {
  Link link = Must(CreateAndWait(links_, Request("HTTPS://Example.COM:443/Path"), admin_));
  EXPECT_EQ(link.fields.url, "https://example.com/Path");
  EXPECT_EQ(link.code.size(), kShortCodeLength);
  EXPECT_TRUE(LooksLikeLinkCode(link.code));
  EXPECT_EQ(link.created_at, kNow);
}

TEST_F(LinkServiceTest, EveryCreatePublishesItsCodeSoCachedMissesAreForgotten) {
  Link link = Must(CreateAndWait(links_, Request("https://example.com/", "my-alias"), admin_));
  ASSERT_EQ(published_.size(), 1u);
  EXPECT_EQ(published_[0], "my-alias");
  EXPECT_EQ(link.code, "my-alias");
}

TEST_F(LinkServiceTest, UpdateAndDeletePublishTheCode) {
  Must(CreateAndWait(links_, Request("https://example.com/", "abc"), admin_));
  LinkPatch patch;
  patch.title = std::optional<std::string>("A title");
  Must(links_.Update("abc", patch, admin_));
  ASSERT_TRUE(IsOk(links_.Delete("abc", admin_)));
  EXPECT_EQ(published_, (std::vector<std::string>{"abc", "abc", "abc"}));
}

TEST_F(LinkServiceTest, LinksCountClicksTheStoreHasNotRolledUpYet) {
  Link link = Must(CreateAndWait(links_, Request("https://example.com/", "counted"), admin_));
  const MinuteClicks clicks[] = {{link.id, kNowMinute - 90, 4, 1}, {link.id, kNowMinute, 2, 0}};
  ASSERT_TRUE(IsOk(store_->AddClicks(clicks)));
  ASSERT_TRUE(Must(store_->RollUpClicks(kNowMinute - 60, 1000)));  // the first minute only
  EXPECT_EQ(Must(links_.Get("counted", admin_)).total_clicks, 6);
  EXPECT_EQ(Must(links_.Get("counted", admin_)).bot_clicks, 1);
  LinkPatch patch;
  patch.title = std::optional<std::string>("A title");
  EXPECT_EQ(Must(links_.Update("counted", patch, admin_)).total_clicks, 6);
  std::vector<Link> listed = Must(links_.List(LinkQuery{}, admin_)).links;
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].total_clicks, 6);
}

TEST_F(LinkServiceTest, FailedChangesPublishNothing) {
  EXPECT_TRUE(FailsWith(links_.Delete("nope", admin_), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(CreateAndWait(links_, Request("ftp://example.com/"), admin_),
                        ErrorCode::kInvalidUrl));
  EXPECT_TRUE(published_.empty());
}

TEST_F(LinkServiceTest, TakenAliasIsRefused) {
  Must(CreateAndWait(links_, Request("https://example.com/", "abc"), admin_));
  EXPECT_TRUE(FailsWith(CreateAndWait(links_, Request("https://example.org/", "abc"), admin_),
                        ErrorCode::kAliasTaken));
}

TEST_F(LinkServiceTest, AliasRulesApply) {
  EXPECT_TRUE(FailsWith(CreateAndWait(links_, Request("https://example.com/", "a"), admin_),
                        ErrorCode::kInvalidAlias));
  EXPECT_TRUE(FailsWith(CreateAndWait(links_, Request("https://example.com/", "healthz"), admin_),
                        ErrorCode::kReservedAlias));
}

TEST_F(LinkServiceTest, TargetsOnOwnHostAndBlockedHostsAreRefused) {
  EXPECT_TRUE(FailsWith(CreateAndWait(links_, Request("https://sho.rt/abc"), admin_),
                        ErrorCode::kInvalidUrl));
  EXPECT_TRUE(FailsWith(CreateAndWait(links_, Request("https://www.evil.example/"), admin_),
                        ErrorCode::kBlockedUrl));
}

TEST_F(LinkServiceTest, ExpiryMustBeInTheFuture) {
  CreateLinkRequest request = Request("https://example.com/");
  request.fields.expires_at = kNow;
  EXPECT_TRUE(FailsWith(CreateAndWait(links_, request, admin_), ErrorCode::kInvalidRequest));
  request.fields.expires_at = kNow + Millis(1000);
  EXPECT_TRUE(IsOk(CreateAndWait(links_, request, admin_)));
}

TEST_F(LinkServiceTest, ManyRequestsAnswerInTheirOrderWithRefusalsInPlace) {
  std::vector<Result<CreateLinkRequest>> requests;
  requests.push_back(Request("https://example.com/1"));
  requests.push_back(Request("javascript:alert(1)"));
  requests.push_back(Status::Error(ErrorCode::kInvalidRequest, "not an object"));
  requests.push_back(Request("HTTPS://Example.COM/4", "fourth"));
  requests.push_back(Request("https://example.com/5", "api"));
  std::promise<std::vector<Result<Link>>> answered;
  links_.Create(std::move(requests), admin_,
                [&](std::vector<Result<Link>> results) { answered.set_value(std::move(results)); });
  std::vector<Result<Link>> results = answered.get_future().get();
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(Must(std::move(results[0])).fields.url, "https://example.com/1");
  EXPECT_TRUE(FailsWith(results[1], ErrorCode::kInvalidUrl));
  EXPECT_TRUE(FailsWith(results[2], ErrorCode::kInvalidRequest));
  EXPECT_EQ(Must(std::move(results[3])).fields.url, "https://example.com/4");
  EXPECT_TRUE(FailsWith(results[4], ErrorCode::kReservedAlias));
  EXPECT_EQ(Must(links_.Get("fourth", admin_)).fields.owner_key_id, admin_.key_id);
}

TEST_F(LinkServiceTest, RequestsThatAreAllRefusedAreAnsweredAtOnceOnTheCallersThread) {
  std::vector<Result<CreateLinkRequest>> requests;
  requests.push_back(Request("ftp://example.com/"));
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id answered_on;
  links_.Create(std::move(requests), admin_, [&](std::vector<Result<Link>> results) {
    answered_on = std::this_thread::get_id();
    EXPECT_TRUE(FailsWith(results[0], ErrorCode::kInvalidUrl));
  });
  EXPECT_EQ(answered_on, caller);
}

TEST_F(LinkServiceTest, UpdateNormalizesANewUrlAndRefusesABadOne) {
  Must(CreateAndWait(links_, Request("https://example.com/", "abc"), admin_));
  LinkPatch good;
  good.url = "HTTP://Example.ORG:80/x";
  EXPECT_EQ(Must(links_.Update("abc", good, admin_)).fields.url, "http://example.org/x");
  LinkPatch bad;
  bad.url = "javascript:alert(1)";
  EXPECT_TRUE(FailsWith(links_.Update("abc", bad, admin_), ErrorCode::kInvalidUrl));
}

}  // namespace
}  // namespace hop
