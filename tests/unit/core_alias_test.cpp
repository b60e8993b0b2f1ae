#include "core/alias.h"

#include <gtest/gtest.h>

#include <string>

namespace hop {
namespace {

TEST(Alias, AcceptsLettersDigitsUnderscoreAndDash) {
  EXPECT_TRUE(ValidateAlias("abc").ok());
  EXPECT_TRUE(ValidateAlias("Spring_Sale-2026").ok());
  EXPECT_TRUE(ValidateAlias("---").ok());
  EXPECT_TRUE(ValidateAlias(std::string(64, 'z')).ok());
}

TEST(Alias, RefusesTooShortOrTooLong) {
  for (std::string alias : {std::string("ab"), std::string(""), std::string(65, 'a')}) {
    Status s = ValidateAlias(alias);
    ASSERT_FALSE(s.ok()) << alias;
    EXPECT_EQ(s.code(), ErrorCode::kInvalidAlias);
    EXPECT_NE(s.detail().find("3 to 64"), std::string::npos) << s.detail();
  }
}

TEST(Alias, RefusesCharactersOutsideTheSet) {
  for (const char* alias : {"a b", "a/b", "a.b", "a?b", "a%2F", "caf\xC3\xA9", "tab\tx", "a+b"}) {
    Status s = ValidateAlias(alias);
    ASSERT_FALSE(s.ok()) << alias;
    EXPECT_EQ(s.code(), ErrorCode::kInvalidAlias) << alias;
  }
}

TEST(Alias, RefusesReservedWordsInAnyCase) {
  for (const char* alias : {"api", "API", "Healthz", "readyz", "metrics", "static", "assets",
                            "admin", "login", "logout", "docs", "health", "status", "well-known"}) {
    Status s = ValidateAlias(alias);
    ASSERT_FALSE(s.ok()) << alias;
    EXPECT_EQ(s.code(), ErrorCode::kReservedAlias) << alias;
  }
}

TEST(Alias, ReservedFileNamesSayReservedRatherThanInvalid) {
  for (const char* alias : {"favicon.ico", "robots.txt", "sitemap.xml", ".well-known", "sw.js",
                            "manifest.json", "Robots.TXT"}) {
    Status s = ValidateAlias(alias);
    ASSERT_FALSE(s.ok()) << alias;
    EXPECT_EQ(s.code(), ErrorCode::kReservedAlias) << alias;
  }
}

TEST(Alias, IsCaseSensitiveOtherwise) {
  EXPECT_TRUE(ValidateAlias("Promo").ok());
  EXPECT_TRUE(ValidateAlias("promo").ok());
}

TEST(Alias, WordsThatOnlyContainAReservedWordAreFine) {
  EXPECT_TRUE(ValidateAlias("api2").ok());
  EXPECT_TRUE(ValidateAlias("my-admin").ok());
  EXPECT_TRUE(ValidateAlias("statuses").ok());
}

TEST(Alias, ShortReservedWordsAreReservedToo) {
  EXPECT_TRUE(IsReservedWord("s"));
  EXPECT_TRUE(IsReservedWord("UI"));
  EXPECT_TRUE(IsReservedWord("app"));
  EXPECT_FALSE(IsReservedWord(""));
  EXPECT_FALSE(IsReservedWord("apis"));
}

TEST(Alias, ReservedWordsOfEveryLengthAreFound) {
  for (const char* word :
       {"s", "qr", "api", "docs", "links", "static", "healthz", "settings", "dashboard",
        "robots.txt", "favicon.ico", "security.txt", "manifest.json", "apple-touch-icon",
        "browserconfig.xml", "Apple-Touch-Icon.PNG"}) {
    EXPECT_TRUE(IsReservedWord(word)) << word;
  }
  EXPECT_FALSE(IsReservedWord("apple-touch-icon.pngs"));
  EXPECT_FALSE(IsReservedWord("healthy"));
}

}  // namespace
}  // namespace hop
