#include "service/link_resolver.h"

#include <gtest/gtest.h>

#include "service_test_support.h"

namespace hop {
namespace {

class LinkResolverTest : public ::testing::Test {
 protected:
  Link Create(std::string code, LinkFields fields) {
    return Must(store_->CreateLink(code, fields, kNow));
  }

  TempSqliteStore store_;
  CountingStore counting_{*store_};
  LinkResolver resolver_{counting_, Millis(2000)};
  LinkCache cache_{100, 100};
};

TEST_F(LinkResolverTest, FirstLookupReadsTheStoreAndLaterOnesDoNot) {
  Create("hello", UrlFields("https://example.com/"));
  Resolution first = resolver_.Resolve("hello", cache_, kNow);
  ASSERT_EQ(first.verdict, Verdict::kRedirect);
  EXPECT_EQ(first.link->url(), "https://example.com/");
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(resolver_.Resolve("hello", cache_, kNow).verdict, Verdict::kRedirect);
  EXPECT_EQ(counting_.find_calls(), 1);
}

TEST_F(LinkResolverTest, UnknownCodeIsCachedAsMissingUntilItsTtlPasses) {
  EXPECT_EQ(resolver_.Resolve("nope", cache_, kNow).verdict, Verdict::kNotFound);
  EXPECT_EQ(resolver_.Resolve("nope", cache_, kNow + Millis(1999)).verdict, Verdict::kNotFound);
  EXPECT_EQ(counting_.find_calls(), 1);
  Create("nope", UrlFields("https://example.com/"));
  EXPECT_EQ(resolver_.Resolve("nope", cache_, kNow + Millis(2000)).verdict, Verdict::kRedirect);
  EXPECT_EQ(counting_.find_calls(), 2);
}

TEST_F(LinkResolverTest, ErasingACodeMakesTheNextLookupSeeTheStore) {
  Create("hello", UrlFields("https://example.com/a"));
  ASSERT_EQ(resolver_.Resolve("hello", cache_, kNow).verdict, Verdict::kRedirect);
  LinkPatch patch;
  patch.url = "https://example.com/b";
  ASSERT_TRUE(IsOk(store_->UpdateLink("hello", patch, kNow, std::nullopt)));
  cache_.Erase("hello");
  EXPECT_EQ(resolver_.Resolve("hello", cache_, kNow).link->url(), "https://example.com/b");
}

TEST_F(LinkResolverTest, ExpiredLinkIsGoneFromItsExpiryOn) {
  LinkFields fields = UrlFields("https://example.com/");
  fields.expires_at = kNow + Millis(60'000);
  Create("soon", fields);
  EXPECT_EQ(resolver_.Resolve("soon", cache_, kNow + Millis(59'999)).verdict, Verdict::kRedirect);
  EXPECT_EQ(resolver_.Resolve("soon", cache_, kNow + Millis(60'000)).verdict, Verdict::kGone);
}

TEST_F(LinkResolverTest, DisabledLinkIsGone) {
  Create("off", UrlFields("https://example.com/"));
  LinkPatch patch;
  patch.disabled = true;
  ASSERT_TRUE(IsOk(store_->UpdateLink("off", patch, kNow, std::nullopt)));
  EXPECT_EQ(resolver_.Resolve("off", cache_, kNow).verdict, Verdict::kGone);
}

TEST_F(LinkResolverTest, MaxVisitsAreClaimedInTheStoreOnEveryRedirect) {
  LinkFields fields = UrlFields("https://example.com/");
  fields.max_visits = 2;
  Create("twice", fields);
  EXPECT_EQ(resolver_.Resolve("twice", cache_, kNow).verdict, Verdict::kRedirect);
  EXPECT_EQ(resolver_.Resolve("twice", cache_, kNow).verdict, Verdict::kRedirect);
  EXPECT_EQ(resolver_.Resolve("twice", cache_, kNow).verdict, Verdict::kGone);
  EXPECT_EQ(counting_.claim_calls(), 3);
  EXPECT_EQ(counting_.find_calls(), 1);
}

TEST_F(LinkResolverTest, UnlimitedLinksNeverClaimVisits) {
  Create("free", UrlFields("https://example.com/"));
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(resolver_.Resolve("free", cache_, kNow).verdict, Verdict::kRedirect);
  EXPECT_EQ(counting_.claim_calls(), 0);
}

}  // namespace
}  // namespace hop
