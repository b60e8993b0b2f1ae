#include "core/link.h"

#include <gtest/gtest.h>

#include <string>

#include "core/rfc3339.h"

namespace hop {
namespace {

LinkFields ValidFields() {
  LinkFields f;
  f.url = "https://example.com/";
  f.title = "Spring sale";
  f.tags = {"marketing", "2026"};
  f.max_visits = 10;
  return f;
}

void ExpectInvalidRequestNaming(const Status& s, std::string_view field) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidRequest);
  EXPECT_NE(s.detail().find(field), std::string::npos) << s.detail();
}

TEST(Link, RedirectStatusesAreThe3xxThatRedirect) {
  for (int status : {301, 302, 307, 308}) EXPECT_TRUE(IsRedirectStatus(status)) << status;
  for (int status : {0, 200, 300, 303, 304, 305, 306, 309, 404}) {
    EXPECT_FALSE(IsRedirectStatus(status)) << status;
  }
}

TEST(Link, ValidFieldsPass) {
  EXPECT_TRUE(ValidateLinkFields(ValidFields()).ok());
  LinkFields bare;
  bare.url = "https://example.com/";
  EXPECT_TRUE(ValidateLinkFields(bare).ok());
}

TEST(Link, TitleUpTo512BytesPasses) {
  LinkFields f = ValidFields();
  f.title = std::string(kMaxTitleBytes, 't');
  EXPECT_TRUE(ValidateLinkFields(f).ok());
  f.title = std::string(kMaxTitleBytes + 1, 't');
  ExpectInvalidRequestNaming(ValidateLinkFields(f), "title");
}

TEST(Link, TwentyTagsPassTwentyOneDoNot) {
  LinkFields f = ValidFields();
  f.tags.assign(kMaxTags, "t");
  EXPECT_TRUE(ValidateLinkFields(f).ok());
  f.tags.push_back("t");
  ExpectInvalidRequestNaming(ValidateLinkFields(f), "tags");
}

TEST(Link, TagMustBeOneTo64Bytes) {
  LinkFields f = ValidFields();
  f.tags = {std::string(kMaxTagBytes, 'x')};
  EXPECT_TRUE(ValidateLinkFields(f).ok());
  f.tags = {std::string(kMaxTagBytes + 1, 'x')};
  ExpectInvalidRequestNaming(ValidateLinkFields(f), "tag");
  f.tags = {""};
  ExpectInvalidRequestNaming(ValidateLinkFields(f), "tag");
}

TEST(Link, TagsRefuseCommasAndControlCharacters) {
  for (const char* tag : {"a,b", "line\nbreak", "nul\x01", "del\x7F", "c1\xC2\x85"}) {
    LinkFields f = ValidFields();
    f.tags = {tag};
    ExpectInvalidRequestNaming(ValidateLinkFields(f), "tag");
  }
}

TEST(Link, TagsMayBeUnicodeAndContainSpaces) {
  LinkFields f = ValidFields();
  f.tags = {"été 2026", "日本"};
  EXPECT_TRUE(ValidateLinkFields(f).ok());
}

TEST(Link, MaxVisitsMustBeAtLeastOne) {
  LinkFields f = ValidFields();
  f.max_visits = 1;
  EXPECT_TRUE(ValidateLinkFields(f).ok());
  f.max_visits = 0;
  ExpectInvalidRequestNaming(ValidateLinkFields(f), "max_visits");
  f.max_visits = -5;
  ExpectInvalidRequestNaming(ValidateLinkFields(f), "max_visits");
}

TEST(Link, RedirectStatusMustBeARedirect) {
  LinkFields f = ValidFields();
  f.redirect_status = 308;
  EXPECT_TRUE(ValidateLinkFields(f).ok());
  f.redirect_status = 200;
  ExpectInvalidRequestNaming(ValidateLinkFields(f), "redirect_status");
}

TEST(LinkPatch, EmptyPatchIsValid) {
  LinkPatch patch;
  EXPECT_TRUE(patch.empty());
  EXPECT_TRUE(ValidateLinkPatch(patch).ok());
}

TEST(LinkPatch, ClearingNullableFieldsIsValid) {
  LinkPatch patch;
  patch.title.emplace();  // engaged, holding "no title"
  patch.max_visits.emplace();
  patch.expires_at.emplace();
  patch.tags.emplace();
  EXPECT_FALSE(patch.empty());
  EXPECT_TRUE(ValidateLinkPatch(patch).ok());
}

TEST(LinkPatch, ChecksThePresentFieldsByTheSameRules) {
  LinkPatch title;
  title.title = std::optional<std::string>(std::string(kMaxTitleBytes + 1, 't'));
  ExpectInvalidRequestNaming(ValidateLinkPatch(title), "title");

  LinkPatch tags;
  tags.tags = std::vector<std::string>{"ok", "not,ok"};
  ExpectInvalidRequestNaming(ValidateLinkPatch(tags), "tag");

  LinkPatch visits;
  visits.max_visits = std::optional<int64_t>(0);
  ExpectInvalidRequestNaming(ValidateLinkPatch(visits), "max_visits");

  LinkPatch status;
  status.redirect_status = 303;
  ExpectInvalidRequestNaming(ValidateLinkPatch(status), "redirect_status");

  LinkPatch good;
  good.redirect_status = 301;
  good.max_visits = std::optional<int64_t>(1);
  good.disabled = true;
  EXPECT_TRUE(ValidateLinkPatch(good).ok());
}

class LinkStateAt : public testing::Test {
 protected:
  TimePoint now_ = *ParseRfc3339("2026-05-17T12:00:00Z");
  Link link_;
};

TEST_F(LinkStateAt, FreshLinkIsActive) { EXPECT_EQ(StateOf(link_, now_), LinkState::kActive); }

TEST_F(LinkStateAt, ExpiresAtTheInstantOfExpiry) {
  link_.fields.expires_at = now_ + Millis(1);
  EXPECT_EQ(StateOf(link_, now_), LinkState::kActive);
  link_.fields.expires_at = now_;
  EXPECT_EQ(StateOf(link_, now_), LinkState::kExpired);
}

TEST_F(LinkStateAt, ExhaustedWhenVisitsReachMaxVisits) {
  link_.fields.max_visits = 3;
  link_.visits = 2;
  EXPECT_EQ(StateOf(link_, now_), LinkState::kActive);
  link_.visits = 3;
  EXPECT_EQ(StateOf(link_, now_), LinkState::kExhausted);
}

TEST_F(LinkStateAt, DisabledWinsOverExpiredWhichWinsOverExhausted) {
  link_.fields.max_visits = 1;
  link_.visits = 1;
  link_.fields.expires_at = now_ - Millis(1);
  EXPECT_EQ(StateOf(link_, now_), LinkState::kExpired);
  link_.disabled = true;
  EXPECT_EQ(StateOf(link_, now_), LinkState::kDisabled);
}

}  // namespace
}  // namespace hop
