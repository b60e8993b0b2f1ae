// Store contract: listing links newest first, page by page, filtered by text and by tag.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

LinkFields Titled(std::string title, std::vector<std::string> tags = {}) {
  LinkFields fields = UrlFields("https://example.com/");
  fields.title = std::move(title);
  fields.tags = std::move(tags);
  return fields;
}

std::vector<std::string> Codes(const LinkPage& page) {
  std::vector<std::string> codes;
  for (const Link& link : page.links) codes.push_back(link.code);
  return codes;
}

// Every link the query matches, walking the pages with the cursor each page returns.
std::vector<std::string> ListAll(Store& store, LinkQuery query, int* pages) {
  std::vector<std::string> codes;
  *pages = 0;
  for (;;) {
    LinkPage page = Must(store.ListLinks(query));
    ++*pages;
    for (const std::string& code : Codes(page)) codes.push_back(code);
    if (!page.next_before_id) return codes;
    EXPECT_FALSE(page.links.empty());
    query.before_id = page.next_before_id;
  }
}

std::vector<std::string> CreateNumbered(Store& store, int count) {
  std::vector<std::string> codes;
  for (int i = 0; i < count; ++i) {
    codes.push_back("link" + std::to_string(i));
    Must(store.CreateLink(codes.back(), UrlFields("https://example.com/"), kNow));
  }
  std::reverse(codes.begin(), codes.end());  // newest first
  return codes;
}

TEST_P(StoreContract, ListOfEmptyStoreIsEmpty) {
  LinkPage page = Must(store().ListLinks(LinkQuery{}));
  EXPECT_TRUE(page.links.empty());
  EXPECT_FALSE(page.next_before_id.has_value());
}

TEST_P(StoreContract, ListReturnsNewestFirstWithFullLinks) {
  Must(store().CreateLink("first", Titled("One", {"t"}), kNow));
  Must(store().CreateLink("second", Titled("Two"), kNow));
  LinkPage page = Must(store().ListLinks(LinkQuery{}));
  EXPECT_EQ(Codes(page), (std::vector<std::string>{"second", "first"}));
  EXPECT_FALSE(page.next_before_id.has_value());
  EXPECT_EQ(page.links[1].fields.title, "One");
  EXPECT_EQ(page.links[1].fields.tags, std::vector<std::string>{"t"});
  EXPECT_GT(page.links[0].id, page.links[1].id);
}

TEST_P(StoreContract, ListPagesCoverEveryLinkOnceInOrder) {
  std::vector<std::string> expected = CreateNumbered(store(), 25);
  LinkQuery query;
  query.limit = 7;
  int pages = 0;
  EXPECT_EQ(ListAll(store(), query, &pages), expected);
  EXPECT_EQ(pages, 4);
}

TEST_P(StoreContract, ListPageThatEndsExactlyAtTheLastLinkHasNoCursor) {
  std::vector<std::string> expected = CreateNumbered(store(), 14);
  LinkQuery query;
  query.limit = 7;
  int pages = 0;
  EXPECT_EQ(ListAll(store(), query, &pages), expected);
  EXPECT_EQ(pages, 2);
  query.limit = 14;
  EXPECT_FALSE(Must(store().ListLinks(query)).next_before_id.has_value());
  query.limit = 13;
  EXPECT_TRUE(Must(store().ListLinks(query)).next_before_id.has_value());
}

TEST_P(StoreContract, ListCursorSkipsLinksCreatedAfterTheFirstPage) {
  CreateNumbered(store(), 4);
  LinkQuery query;
  query.limit = 2;
  LinkPage first = Must(store().ListLinks(query));
  Must(store().CreateLink("newcomer", UrlFields("https://example.com/"), kNow));
  query.before_id = first.next_before_id;
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), (std::vector<std::string>{"link1", "link0"}));
}

TEST_P(StoreContract, ListTextMatchesCodeUrlOrTitleIgnoringCase) {
  Must(store().CreateLink("SpringSale", UrlFields("https://shop.example/"), kNow));
  Must(store().CreateLink("b", UrlFields("https://SPRING.example/"), kNow));
  Must(store().CreateLink("c", Titled("Early spring deals"), kNow));
  Must(store().CreateLink("d", Titled("Autumn"), kNow));
  LinkQuery query;
  query.text = "sPrInG";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))),
            (std::vector<std::string>{"c", "b", "SpringSale"}));
}

TEST_P(StoreContract, ListTextTreatsWildcardCharactersLiterally) {
  Must(store().CreateLink("pct", Titled("50% off"), kNow));
  Must(store().CreateLink("nopct", Titled("500 off"), kNow));
  Must(store().CreateLink("under", Titled("a_b"), kNow));
  Must(store().CreateLink("nounder", Titled("axb"), kNow));
  Must(store().CreateLink("slash", Titled("c\\d"), kNow));
  Must(store().CreateLink("noslash", Titled("cd"), kNow));
  LinkQuery query;
  query.text = "0%";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"pct"});
  query.text = "a_b";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"under"});
  query.text = "c\\d";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"slash"});
  query.text = "%";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"pct"});
}

TEST_P(StoreContract, ListTagMatchesWholeTagsOnly) {
  Must(store().CreateLink("go", Titled("x", {"go", "lang"}), kNow));
  Must(store().CreateLink("golang", Titled("x", {"golang"}), kNow));
  Must(store().CreateLink("none", Titled("x"), kNow));
  LinkQuery query;
  query.tag = "go";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"go"});
  query.tag = "lang";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"go"});
  query.tag = "missing";
  EXPECT_TRUE(Must(store().ListLinks(query)).links.empty());
}

TEST_P(StoreContract, ListTagAndTextCombineAndPage) {
  for (int i = 0; i < 10; ++i) {
    std::vector<std::string> tags = {i % 2 == 0 ? "even" : "odd"};
    Must(store().CreateLink("n" + std::to_string(i), Titled(i < 5 ? "low" : "high", tags), kNow));
  }
  LinkQuery query;
  query.tag = "even";
  query.limit = 2;
  int pages = 0;
  EXPECT_EQ(ListAll(store(), query, &pages),
            (std::vector<std::string>{"n8", "n6", "n4", "n2", "n0"}));
  EXPECT_EQ(pages, 3);
  query.text = "LOW";
  EXPECT_EQ(ListAll(store(), query, &pages), (std::vector<std::string>{"n4", "n2", "n0"}));
}

TEST_P(StoreContract, ListTagFollowsUpdatesAndDeletes) {
  Must(store().CreateLink("moving", Titled("x", {"old"}), kNow));
  Must(store().CreateLink("staying", Titled("x", {"old"}), kNow));
  LinkPatch patch;
  patch.tags = std::vector<std::string>{"new"};
  Must(store().UpdateLink("moving", patch, kNow, std::nullopt));
  LinkQuery query;
  query.tag = "old";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"staying"});
  query.tag = "new";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"moving"});

  ASSERT_TRUE(IsOk(store().DeleteLink("moving", std::nullopt)));
  EXPECT_TRUE(Must(store().ListLinks(query)).links.empty());
  // A new link under the same code does not inherit the deleted link's tags.
  Must(store().CreateLink("moving", Titled("x"), kNow));
  EXPECT_TRUE(Must(store().ListLinks(query)).links.empty());
}

TEST_P(StoreContract, ListPatchOfOtherFieldsKeepsTags) {
  Must(store().CreateLink("tagged", Titled("x", {"keep"}), kNow));
  LinkPatch patch;
  patch.title = "y";
  Must(store().UpdateLink("tagged", patch, kNow, std::nullopt));
  LinkQuery query;
  query.tag = "keep";
  EXPECT_EQ(Codes(Must(store().ListLinks(query))), std::vector<std::string>{"tagged"});
}

}  // namespace
}  // namespace hop
