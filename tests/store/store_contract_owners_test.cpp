// Store contract: the key that created a link, and the calls that only touch a key's own links.
#include <string>
#include <vector>

#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

Link Create(Store& store, const std::string& code, std::optional<int64_t> owner,
            std::vector<std::string> tags = {}) {
  LinkFields fields = UrlFields("https://example.com/" + code);
  fields.owner_key_id = owner;
  fields.tags = std::move(tags);
  return Must(store.CreateLink(code, fields, kNow));
}

// Every link the query matches, page by page.
std::vector<std::string> ListCodes(Store& store, LinkQuery query) {
  std::vector<std::string> codes;
  for (;;) {
    LinkPage page = Must(store.ListLinks(query));
    for (const Link& link : page.links) codes.push_back(link.code);
    if (!page.next_before_id) return codes;
    query.before_id = page.next_before_id;
  }
}

TEST_P(StoreContract, CreateKeepsTheOwnerAndFindReadsItBack) {
  int64_t alice = NewKey(store(), "alice");
  EXPECT_EQ(Create(store(), "mine", alice).fields.owner_key_id, alice);
  EXPECT_EQ(Must(store().FindLink("mine")).fields.owner_key_id, alice);
  EXPECT_FALSE(Create(store(), "nobodys", std::nullopt).fields.owner_key_id.has_value());
  EXPECT_FALSE(Must(store().FindLink("nobodys")).fields.owner_key_id.has_value());
}

TEST_P(StoreContract, AnOwnerFilteredListHasOnlyThatKeysLinksNewestFirst) {
  int64_t alice = NewKey(store(), "alice");
  int64_t bob = NewKey(store(), "bob");
  for (int i = 0; i < 7; ++i) {
    Create(store(), "a" + std::to_string(i), alice);
    Create(store(), "b" + std::to_string(i), bob);
    Create(store(), "n" + std::to_string(i), std::nullopt);
  }
  LinkQuery query;
  query.limit = 3;
  query.owner_key_id = alice;
  EXPECT_EQ(ListCodes(store(), query),
            (std::vector<std::string>{"a6", "a5", "a4", "a3", "a2", "a1", "a0"}));
  query.owner_key_id = std::nullopt;
  EXPECT_EQ(ListCodes(store(), query).size(), 21u);
}

TEST_P(StoreContract, OwnerFilterCombinesWithTagAndText) {
  int64_t alice = NewKey(store(), "alice");
  int64_t bob = NewKey(store(), "bob");
  Create(store(), "a-news", alice, {"news"});
  Create(store(), "a-other", alice, {"other"});
  Create(store(), "b-news", bob, {"news"});
  LinkQuery query;
  query.owner_key_id = alice;
  query.tag = "news";
  EXPECT_EQ(ListCodes(store(), query), (std::vector<std::string>{"a-news"}));
  query.tag.reset();
  query.text = "other";
  EXPECT_EQ(ListCodes(store(), query), (std::vector<std::string>{"a-other"}));
}

TEST_P(StoreContract, UpdateOnBehalfOfAnotherKeyIsNotFoundAndChangesNothing) {
  int64_t alice = NewKey(store(), "alice");
  int64_t bob = NewKey(store(), "bob");
  Create(store(), "alices", alice);
  Create(store(), "anonymous", std::nullopt);
  LinkPatch patch;
  patch.disabled = true;
  EXPECT_TRUE(FailsWith(store().UpdateLink("alices", patch, kNow, bob), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(store().UpdateLink("anonymous", patch, kNow, bob), ErrorCode::kNotFound));
  EXPECT_FALSE(Must(store().FindLink("alices")).disabled);
  EXPECT_FALSE(Must(store().FindLink("anonymous")).disabled);
  EXPECT_TRUE(Must(store().UpdateLink("alices", patch, kNow, alice)).disabled);
  EXPECT_TRUE(Must(store().UpdateLink("anonymous", patch, kNow, std::nullopt)).disabled);
}

TEST_P(StoreContract, DeleteOnBehalfOfAnotherKeyIsNotFoundAndKeepsTheLink) {
  int64_t alice = NewKey(store(), "alice");
  int64_t bob = NewKey(store(), "bob");
  Create(store(), "alices", alice);
  EXPECT_TRUE(FailsWith(store().DeleteLink("alices", bob), ErrorCode::kNotFound));
  EXPECT_TRUE(IsOk(store().FindLink("alices")));
  EXPECT_TRUE(IsOk(store().DeleteLink("alices", alice)));
  EXPECT_TRUE(FailsWith(store().FindLink("alices"), ErrorCode::kNotFound));
}

TEST_P(StoreContract, PatchesNeverChangeTheOwner) {
  int64_t alice = NewKey(store(), "alice");
  Create(store(), "kept", alice);
  LinkPatch patch;
  patch.url = "https://elsewhere.example/";
  EXPECT_EQ(Must(store().UpdateLink("kept", patch, kNow, std::nullopt)).fields.owner_key_id, alice);
}

}  // namespace
}  // namespace hop
