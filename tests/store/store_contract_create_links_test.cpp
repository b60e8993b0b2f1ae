// Store contract: CreateLinks, many links in one transaction with a result per link.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/alias.h"
#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

NewLink New(std::string code, std::string url) { return {std::move(code), UrlFields(url)}; }

std::vector<std::string> ListCodes(Store& store, LinkQuery query) {
  std::vector<std::string> codes;
  for (const Link& link : Must(store.ListLinks(query)).links) codes.push_back(link.code);
  return codes;
}

TEST_P(StoreContract, CreateLinksReturnsEachLinkWithItsIdInOrder) {
  std::vector<NewLink> batch = {New("one", "https://example.com/1"),
                                New("two", "https://example.com/2"),
                                New("three", "https://example.com/3")};
  std::vector<Result<Link>> results = Must(store().CreateLinks(batch, kNow));
  ASSERT_EQ(results.size(), 3u);
  std::set<int64_t> ids;
  for (size_t i = 0; i < batch.size(); ++i) {
    ASSERT_TRUE(IsOk(results[i])) << i;
    const Link& link = results[i].value();
    EXPECT_EQ(link.code, batch[i].code);
    EXPECT_EQ(link.fields.url, batch[i].fields.url);
    EXPECT_EQ(link.created_at, kNow);
    EXPECT_EQ(link.updated_at, kNow);
    EXPECT_GT(link.id, 0);
    ids.insert(link.id);
    Link found = Must(store().FindLink(batch[i].code));
    EXPECT_EQ(found.id, link.id);
    EXPECT_EQ(found.fields.url, batch[i].fields.url);
    EXPECT_EQ(found.created_at, kNow);
  }
  EXPECT_EQ(ids.size(), 3u);
  // Newest first: the batch's order is the order of creation.
  LinkQuery query;
  EXPECT_EQ(ListCodes(store(), query), (std::vector<std::string>{"three", "two", "one"}));
}

TEST_P(StoreContract, CreateLinksRefusesTakenCodesOneByOneIncludingRepeatsWithinTheBatch) {
  Must(store().CreateLink("taken", UrlFields("https://example.com/first"), kNow));
  const std::vector<NewLink> batch = {
      New("fresh", "https://example.com/fresh"), New("taken", "https://example.com/again"),
      New("twice", "https://example.com/twice-1"), New("twice", "https://example.com/twice-2"),
      New("after", "https://example.com/after")};
  std::vector<Result<Link>> results = Must(store().CreateLinks(batch, kNow));
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(IsOk(results[0]));
  EXPECT_TRUE(FailsWith(results[1], ErrorCode::kAliasTaken));
  EXPECT_TRUE(IsOk(results[2]));
  EXPECT_TRUE(FailsWith(results[3], ErrorCode::kAliasTaken));
  EXPECT_TRUE(IsOk(results[4]));
  EXPECT_EQ(Must(store().FindLink("taken")).fields.url, "https://example.com/first");
  // Of two with one code, the first is stored, and the result says so.
  EXPECT_EQ(Must(store().FindLink("twice")).fields.url, "https://example.com/twice-1");
  EXPECT_EQ(Must(store().FindLink("twice")).id, results[2].value().id);
  EXPECT_EQ(Must(store().FindLink("after")).id, results[4].value().id);
}

TEST_P(StoreContract, CreateLinksKeepsEveryFieldTagsAndOwner) {
  int64_t alice = NewKey(store(), "alice");
  LinkFields full = UrlFields("https://example.com/full");
  full.title = "Full 'one' ☕";
  full.tags = {"news", "a\"b", "ünï"};
  full.expires_at = kNow + std::chrono::hours(1);
  full.max_visits = 5;
  full.redirect_status = 308;
  full.forward_query = true;
  full.owner_key_id = alice;
  const std::vector<NewLink> batch = {{"full", full}, New("bare", "https://example.com/bare")};
  std::vector<Result<Link>> results = Must(store().CreateLinks(batch, kNow));
  ASSERT_TRUE(IsOk(results[0]));
  ASSERT_TRUE(IsOk(results[1]));
  for (const Link& link : {results[0].value(), Must(store().FindLink("full"))}) {
    EXPECT_EQ(link.fields.title, full.title);
    EXPECT_EQ(link.fields.tags, full.tags);
    EXPECT_EQ(link.fields.expires_at, full.expires_at);
    EXPECT_EQ(link.fields.max_visits, full.max_visits);
    EXPECT_EQ(link.fields.redirect_status, 308);
    EXPECT_TRUE(link.fields.forward_query);
    EXPECT_EQ(link.fields.owner_key_id, alice);
  }
  Link bare = Must(store().FindLink("bare"));
  EXPECT_FALSE(bare.fields.title.has_value());
  EXPECT_TRUE(bare.fields.tags.empty());
  EXPECT_FALSE(bare.fields.expires_at.has_value());
  EXPECT_FALSE(bare.fields.max_visits.has_value());
  EXPECT_EQ(bare.fields.redirect_status, 302);
  EXPECT_FALSE(bare.fields.owner_key_id.has_value());
  // The tag and owner filters find the batch's links as they find links created one by one.
  LinkQuery by_tag;
  by_tag.tag = "ünï";
  EXPECT_EQ(ListCodes(store(), by_tag), std::vector<std::string>{"full"});
  LinkQuery by_owner;
  by_owner.owner_key_id = alice;
  EXPECT_EQ(ListCodes(store(), by_owner), std::vector<std::string>{"full"});
}

TEST_P(StoreContract, CreateLinksOfNothingIsOkAndEmpty) {
  EXPECT_TRUE(Must(store().CreateLinks(std::span<const NewLink>(), kNow)).empty());
}

TEST_P(StoreContract, CreateLinksTakesAThousandAtOnce) {
  std::vector<NewLink> batch;
  for (int i = 0; i < 1000; ++i) {
    batch.push_back(New("bulk" + std::to_string(i), "https://example.com/" + std::to_string(i)));
  }
  batch[500].fields.tags = {"middle"};
  batch[700].code = "bulk3";  // far from the first "bulk3", however a store splits the batch
  std::vector<Result<Link>> results = Must(store().CreateLinks(batch, kNow));
  ASSERT_EQ(results.size(), 1000u);
  std::set<int64_t> ids;
  for (size_t i = 0; i < results.size(); ++i) {
    if (i == 700) continue;
    ASSERT_TRUE(IsOk(results[i])) << i;
    ids.insert(results[i].value().id);
  }
  EXPECT_EQ(ids.size(), 999u);
  EXPECT_TRUE(FailsWith(results[700], ErrorCode::kAliasTaken));
  EXPECT_EQ(Must(store().FindLink("bulk3")).fields.url, "https://example.com/3");
  EXPECT_EQ(Must(store().FindLink("bulk3")).id, results[3].value().id);
  EXPECT_EQ(Must(store().FindLink("bulk999")).fields.url, "https://example.com/999");
  EXPECT_EQ(Must(store().FindLink("bulk999")).id, results[999].value().id);
  LinkQuery query;
  query.limit = 1000;
  LinkPage page = Must(store().ListLinks(query));
  EXPECT_EQ(page.links.size(), 999u);
  EXPECT_FALSE(page.next_before_id.has_value());
  query.tag = "middle";
  EXPECT_EQ(ListCodes(store(), query), std::vector<std::string>{"bulk500"});
}

TEST_P(StoreContract, CreateLinksThatFailsCommitsNothing) {
  // A link naming a key that does not exist breaks the owner's foreign key: the whole batch
  // fails, and the links before and after it in the batch are not stored either.
  std::vector<NewLink> batch = {New("before", "https://example.com/before"),
                                New("broken", "https://example.com/broken"),
                                New("after", "https://example.com/after")};
  batch[1].fields.owner_key_id = 987654;
  EXPECT_TRUE(FailsWith(store().CreateLinks(batch, kNow), ErrorCode::kInternal));
  for (const char* code : {"before", "broken", "after"}) {
    EXPECT_TRUE(FailsWith(store().FindLink(code), ErrorCode::kNotFound)) << code;
  }
  EXPECT_TRUE(Must(store().ListLinks(LinkQuery{})).links.empty());
  // The store is usable afterwards, and the codes are free.
  EXPECT_TRUE(IsOk(store().CreateLink("before", UrlFields("https://example.com/"), kNow)));
}

TEST_P(StoreContract, CreateLinksOfAThousandWithAMissingOwnerCommitsNothing) {
  // A batch that large may be checked another way than a small one (SQLite: without foreign keys,
  // see sqlite_store_links.cpp); the contract is the same.
  const int64_t alice = NewKey(store(), "alice");
  std::vector<NewLink> batch;
  for (int i = 0; i < 1000; ++i) {
    batch.push_back(New("bulk" + std::to_string(i), "https://example.com/" + std::to_string(i)));
    batch.back().fields.owner_key_id = alice;
  }
  batch[600].fields.owner_key_id = 987654;
  EXPECT_TRUE(FailsWith(store().CreateLinks(batch, kNow), ErrorCode::kInternal));
  EXPECT_TRUE(FailsWith(store().FindLink("bulk0"), ErrorCode::kNotFound));
  EXPECT_TRUE(Must(store().ListLinks(LinkQuery{})).links.empty());
  // The batch without the broken link goes in, and foreign keys are on again afterwards.
  batch[600].fields.owner_key_id = alice;
  ASSERT_EQ(Must(store().CreateLinks(batch, kNow)).size(), 1000u);
  std::vector<NewLink> small = {New("small", "https://example.com/small")};
  small[0].fields.owner_key_id = 987654;
  EXPECT_TRUE(FailsWith(store().CreateLinks(small, kNow), ErrorCode::kInternal));
}

bool IsGeneratedCode(const std::string& code) {
  return code.size() == 7 && std::all_of(code.begin(), code.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
         });
}

TEST_P(StoreContract, LinksWithoutAnAliasGetDistinctGeneratedCodesThatFindThem) {
  std::vector<NewLink> batch;
  for (int i = 0; i < 300; ++i)
    batch.push_back(New("", "https://example.com/" + std::to_string(i)));
  batch.push_back(New("named", "https://example.com/named"));
  std::vector<Result<Link>> results = Must(store().CreateLinks(batch, kNow));
  std::set<std::string> codes;
  for (size_t i = 0; i < 300; ++i) {
    const Link& link = Must(std::move(results[i]));
    EXPECT_TRUE(IsGeneratedCode(link.code)) << link.code;
    EXPECT_FALSE(IsReservedWord(link.code));
    codes.insert(link.code);
    const Link found = Must(store().FindLink(link.code));
    EXPECT_EQ(found.id, link.id);
    EXPECT_EQ(found.code, link.code);
    EXPECT_EQ(found.fields.url, batch[i].fields.url);
  }
  EXPECT_EQ(codes.size(), 300u);
  EXPECT_EQ(Must(std::move(results[300])).code, "named");
  // A later batch never hands out a code again.
  const Link later = Must(store().CreateLink("", UrlFields("https://example.com/later"), kNow));
  EXPECT_FALSE(codes.contains(later.code));
}

TEST_P(StoreContract, AGeneratedCodeIsListedSearchedChangedAndDeletedLikeAnAlias) {
  const Link link = Must(store().CreateLink("", UrlFields("https://example.com/gen"), kNow));
  Must(store().CreateLink("other", UrlFields("https://example.com/other"), kNow));
  LinkQuery query;
  EXPECT_EQ(ListCodes(store(), query), (std::vector<std::string>{"other", link.code}));
  query.text = link.code.substr(2, 4);
  EXPECT_EQ(ListCodes(store(), query), std::vector<std::string>{link.code});
  LinkPatch patch;
  patch.url = "https://example.com/changed";
  EXPECT_EQ(Must(store().UpdateLink(link.code, patch, kNow, std::nullopt)).code, link.code);
  EXPECT_EQ(Must(store().FindLink(link.code)).fields.url, "https://example.com/changed");
  const std::string hosts[] = {"example.com"};
  std::vector<std::string> disabled = Must(store().DisableLinksToHosts(hosts, kNow));
  std::sort(disabled.begin(), disabled.end());
  std::vector<std::string> expected = {link.code, "other"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(disabled, expected);
  EXPECT_TRUE(IsOk(store().DeleteLink(link.code, std::nullopt)));
  EXPECT_TRUE(FailsWith(store().FindLink(link.code), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(store().DeleteLink(link.code, std::nullopt), ErrorCode::kNotFound));
  EXPECT_EQ(Must(store().FindLink("other")).fields.url, "https://example.com/other");
}

TEST_P(StoreContract, AnAliasEqualToAGeneratedCodeIsTaken) {
  const Link generated = Must(store().CreateLink("", UrlFields("https://example.com/gen"), kNow));
  EXPECT_TRUE(
      FailsWith(store().CreateLink(generated.code, UrlFields("https://example.com/x"), kNow),
                ErrorCode::kAliasTaken));
  // Within one batch too.
  std::vector<Result<Link>> results = Must(store().CreateLinks(
      std::vector<NewLink>{New("", "https://example.com/a"), New("", "https://example.com/b")},
      kNow));
  const std::string second = Must(std::move(results[1])).code;
  std::vector<Result<Link>> again =
      Must(store().CreateLinks(std::vector<NewLink>{New(second, "https://example.com/c")}, kNow));
  EXPECT_TRUE(FailsWith(again[0], ErrorCode::kAliasTaken));
  EXPECT_EQ(Must(store().FindLink(second)).fields.url, "https://example.com/b");
  EXPECT_EQ(Must(store().FindLink(generated.code)).fields.url, "https://example.com/gen");
}

}  // namespace
}  // namespace hop
