// Store contract: creating, finding, patching and deleting links, claiming visits, migrating.
#include <chrono>

#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

using std::chrono::hours;

LinkFields FullFields() {
  LinkFields fields;
  fields.url = "https://example.com/a?b=c";
  fields.title = "Example";
  fields.tags = {"news", "q4"};
  fields.expires_at = kNow + hours(48);
  fields.max_visits = 10;
  fields.redirect_status = 307;
  fields.forward_query = true;
  return fields;
}

void ExpectSameFields(const LinkFields& actual, const LinkFields& expected) {
  EXPECT_EQ(actual.url, expected.url);
  EXPECT_EQ(actual.title, expected.title);
  EXPECT_EQ(actual.tags, expected.tags);
  EXPECT_EQ(actual.expires_at, expected.expires_at);
  EXPECT_EQ(actual.max_visits, expected.max_visits);
  EXPECT_EQ(actual.redirect_status, expected.redirect_status);
  EXPECT_EQ(actual.forward_query, expected.forward_query);
}

TEST_P(StoreContract, PingAnswersOk) { EXPECT_TRUE(IsOk(store().Ping())); }

TEST_P(StoreContract, MigrateAgainIsIdempotentAndKeepsData) {
  Link link = Must(store().CreateLink("keep", UrlFields("https://example.com/"), kNow));
  EXPECT_TRUE(IsOk(store().Migrate()));
  EXPECT_TRUE(IsOk(store().Migrate()));
  EXPECT_EQ(Must(store().FindLink("keep")).id, link.id);
}

TEST_P(StoreContract, CreateReturnsTheLinkAndFindReadsItBack) {
  Link created = Must(store().CreateLink("promo", FullFields(), kNow));
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.code, "promo");
  ExpectSameFields(created.fields, FullFields());
  EXPECT_EQ(created.created_at, kNow);
  EXPECT_EQ(created.updated_at, kNow);
  EXPECT_FALSE(created.disabled);
  EXPECT_EQ(created.visits, 0);
  EXPECT_EQ(created.total_clicks, 0);
  EXPECT_EQ(created.bot_clicks, 0);

  Link found = Must(store().FindLink("promo"));
  EXPECT_EQ(found.id, created.id);
  EXPECT_EQ(found.code, "promo");
  ExpectSameFields(found.fields, FullFields());
  EXPECT_EQ(found.created_at, kNow);
  EXPECT_EQ(found.updated_at, kNow);
  EXPECT_FALSE(found.disabled);
}

TEST_P(StoreContract, CreateWithDefaultsLeavesOptionalFieldsEmpty) {
  Must(store().CreateLink("plain", UrlFields("https://example.com/"), kNow));
  Link found = Must(store().FindLink("plain"));
  ExpectSameFields(found.fields, UrlFields("https://example.com/"));
  EXPECT_FALSE(found.fields.title.has_value());
  EXPECT_TRUE(found.fields.tags.empty());
  EXPECT_FALSE(found.fields.expires_at.has_value());
  EXPECT_FALSE(found.fields.max_visits.has_value());
}

TEST_P(StoreContract, CreateKeepsTextByteForByte) {
  LinkFields fields = UrlFields("https://example.com/%E2%9C%93?q='x\"y");
  fields.title = "Café ☕ 'quoted' \"double\" ; DROP TABLE links; --";
  fields.tags = {"ünï", "a\"b", "c\\d"};
  Must(store().CreateLink("text", fields, kNow));
  ExpectSameFields(Must(store().FindLink("text")).fields, fields);
}

TEST_P(StoreContract, CreateWithTakenAliasFailsAndKeepsTheFirstLink) {
  Link first = Must(store().CreateLink("taken", UrlFields("https://one.example/"), kNow));
  Result<Link> second = store().CreateLink("taken", UrlFields("https://two.example/"), kNow);
  ASSERT_TRUE(FailsWith(second, ErrorCode::kAliasTaken));
  EXPECT_EQ(second.status().detail(), "the alias \"taken\" is already taken");
  Link found = Must(store().FindLink("taken"));
  EXPECT_EQ(found.id, first.id);
  EXPECT_EQ(found.fields.url, "https://one.example/");
}

TEST_P(StoreContract, CodesAreCaseSensitive) {
  Link lower = Must(store().CreateLink("abc", UrlFields("https://lower.example/"), kNow));
  Link upper = Must(store().CreateLink("ABC", UrlFields("https://upper.example/"), kNow));
  EXPECT_NE(lower.id, upper.id);
  EXPECT_EQ(Must(store().FindLink("ABC")).fields.url, "https://upper.example/");
  EXPECT_TRUE(FailsWith(store().FindLink("Abc"), ErrorCode::kNotFound));
}

TEST_P(StoreContract, FindUnknownCodeIsNotFound) {
  EXPECT_TRUE(FailsWith(store().FindLink("nope"), ErrorCode::kNotFound));
}

TEST_P(StoreContract, UpdateAppliesEachFieldAloneAndLeavesTheRest) {
  Must(store().CreateLink("edit", FullFields(), kNow));
  LinkFields expected = FullFields();
  TimePoint now = kNow;
  auto check = [&](const LinkPatch& patch) {
    now += hours(1);
    Link updated = Must(store().UpdateLink("edit", patch, now, std::nullopt));
    ExpectSameFields(updated.fields, expected);
    EXPECT_EQ(updated.updated_at, now);
    EXPECT_EQ(updated.created_at, kNow);
    ExpectSameFields(Must(store().FindLink("edit")).fields, expected);
  };

  LinkPatch patch;
  patch.url = expected.url = "https://changed.example/";
  check(patch);
  patch = {};
  patch.title = expected.title = "New title";
  check(patch);
  patch = {};
  patch.tags = expected.tags = {"other"};
  check(patch);
  patch = {};
  patch.expires_at = expected.expires_at = kNow + hours(100);
  check(patch);
  patch = {};
  patch.max_visits = expected.max_visits = 99;
  check(patch);
  patch = {};
  patch.redirect_status = expected.redirect_status = 301;
  check(patch);
  patch = {};
  patch.forward_query = expected.forward_query = false;
  check(patch);
}

TEST_P(StoreContract, UpdateDisablesAndEnables) {
  Must(store().CreateLink("switch", UrlFields("https://example.com/"), kNow));
  LinkPatch patch;
  patch.disabled = true;
  EXPECT_TRUE(Must(store().UpdateLink("switch", patch, kNow, std::nullopt)).disabled);
  EXPECT_TRUE(Must(store().FindLink("switch")).disabled);
  patch.disabled = false;
  EXPECT_FALSE(Must(store().UpdateLink("switch", patch, kNow, std::nullopt)).disabled);
  EXPECT_FALSE(Must(store().FindLink("switch")).disabled);
}

TEST_P(StoreContract, UpdateClearsNullableFields) {
  Must(store().CreateLink("clear", FullFields(), kNow));
  LinkPatch patch;
  patch.title = std::optional<std::string>();
  patch.expires_at = std::optional<TimePoint>();
  patch.max_visits = std::optional<int64_t>();
  patch.tags = std::vector<std::string>();
  Link updated = Must(store().UpdateLink("clear", patch, kNow + hours(1), std::nullopt));
  Link found = Must(store().FindLink("clear"));
  for (const Link& link : {updated, found}) {
    EXPECT_FALSE(link.fields.title.has_value());
    EXPECT_FALSE(link.fields.expires_at.has_value());
    EXPECT_FALSE(link.fields.max_visits.has_value());
    EXPECT_TRUE(link.fields.tags.empty());
    EXPECT_EQ(link.fields.url, FullFields().url);
  }
}

TEST_P(StoreContract, UpdateWithEmptyPatchOnlyMovesUpdatedAt) {
  Must(store().CreateLink("same", FullFields(), kNow));
  Link updated = Must(store().UpdateLink("same", LinkPatch{}, kNow + hours(2), std::nullopt));
  ExpectSameFields(updated.fields, FullFields());
  EXPECT_EQ(updated.updated_at, kNow + hours(2));
  EXPECT_EQ(Must(store().FindLink("same")).updated_at, kNow + hours(2));
}

TEST_P(StoreContract, UpdateKeepsVisitsAndClickTotals) {
  Link link = Must(store().CreateLink("busy", FullFields(), kNow));
  ASSERT_TRUE(Must(store().ClaimVisit(link.id)));
  MinuteClicks clicks[] = {{link.id, kNowMinute, 5, 2}};
  ASSERT_TRUE(IsOk(store().AddClicks(clicks)));
  ASSERT_TRUE(Must(store().RollUpClicks(kNowMinute + 1, 1000)));
  LinkPatch patch;
  patch.url = "https://changed.example/";
  Link updated = Must(store().UpdateLink("busy", patch, kNow, std::nullopt));
  EXPECT_EQ(updated.visits, 1);
  EXPECT_EQ(updated.total_clicks, 5);
  EXPECT_EQ(updated.bot_clicks, 2);
}

TEST_P(StoreContract, UpdateUnknownCodeIsNotFound) {
  LinkPatch patch;
  patch.title = "x";
  EXPECT_TRUE(
      FailsWith(store().UpdateLink("ghost", patch, kNow, std::nullopt), ErrorCode::kNotFound));
}

TEST_P(StoreContract, DeleteRemovesTheLink) {
  Must(store().CreateLink("gone", UrlFields("https://example.com/"), kNow));
  ASSERT_TRUE(IsOk(store().DeleteLink("gone", std::nullopt)));
  EXPECT_TRUE(FailsWith(store().FindLink("gone"), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(store().DeleteLink("gone", std::nullopt), ErrorCode::kNotFound));
}

TEST_P(StoreContract, DeleteUnknownCodeIsNotFound) {
  EXPECT_TRUE(FailsWith(store().DeleteLink("ghost", std::nullopt), ErrorCode::kNotFound));
}

TEST_P(StoreContract, DeletedCodeCanBeCreatedAgainWithANewId) {
  Link old = Must(store().CreateLink("again", UrlFields("https://old.example/"), kNow));
  ASSERT_TRUE(IsOk(store().DeleteLink("again", std::nullopt)));
  Link fresh = Must(store().CreateLink("again", UrlFields("https://new.example/"), kNow));
  EXPECT_NE(fresh.id, old.id);
  EXPECT_EQ(Must(store().FindLink("again")).fields.url, "https://new.example/");
}

TEST_P(StoreContract, ClaimVisitWithoutMaxVisitsIsAlwaysGranted) {
  Link link = Must(store().CreateLink("open", UrlFields("https://example.com/"), kNow));
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(Must(store().ClaimVisit(link.id)));
}

TEST_P(StoreContract, ClaimVisitGrantsUpToMaxVisitsThenRefuses) {
  LinkFields fields = UrlFields("https://example.com/");
  fields.max_visits = 3;
  Link link = Must(store().CreateLink("three", fields, kNow));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Must(store().ClaimVisit(link.id))) << i;
  EXPECT_FALSE(Must(store().ClaimVisit(link.id)));
  EXPECT_FALSE(Must(store().ClaimVisit(link.id)));
  EXPECT_EQ(Must(store().FindLink("three")).visits, 3);
}

TEST_P(StoreContract, RaisingMaxVisitsGrantsMoreVisits) {
  LinkFields fields = UrlFields("https://example.com/");
  fields.max_visits = 1;
  Link link = Must(store().CreateLink("more", fields, kNow));
  EXPECT_TRUE(Must(store().ClaimVisit(link.id)));
  EXPECT_FALSE(Must(store().ClaimVisit(link.id)));
  LinkPatch patch;
  patch.max_visits = 2;
  Must(store().UpdateLink("more", patch, kNow, std::nullopt));
  EXPECT_TRUE(Must(store().ClaimVisit(link.id)));
  EXPECT_FALSE(Must(store().ClaimVisit(link.id)));
  patch.max_visits = std::optional<int64_t>();
  Must(store().UpdateLink("more", patch, kNow, std::nullopt));
  EXPECT_TRUE(Must(store().ClaimVisit(link.id)));
}

TEST_P(StoreContract, ClaimVisitOfMissingLinkIsNotFound) {
  Link link = Must(store().CreateLink("brief", UrlFields("https://example.com/"), kNow));
  ASSERT_TRUE(IsOk(store().DeleteLink("brief", std::nullopt)));
  EXPECT_TRUE(FailsWith(store().ClaimVisit(link.id), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(store().ClaimVisit(link.id + 1000), ErrorCode::kNotFound));
}

}  // namespace
}  // namespace hop
