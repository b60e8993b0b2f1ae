#include "core/target_url.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>

namespace hop {
namespace {

TargetUrlPolicy TestPolicy() { return {"hop.example", {"evil.com", "bad.example.org"}}; }

// One row of the table: the input and either its normal form or the error it must get.
struct UrlCase {
  std::string input;
  std::string normalized;  // expected output when `error` is empty
  std::optional<ErrorCode> error;

  friend std::ostream& operator<<(std::ostream& os, const UrlCase& c) { return os << c.input; }
};

UrlCase Good(std::string input, std::string normalized) {
  return {std::move(input), std::move(normalized), std::nullopt};
}
UrlCase Same(std::string input) { return Good(input, input); }
UrlCase Invalid(std::string input) { return {std::move(input), "", ErrorCode::kInvalidUrl}; }
UrlCase Blocked(std::string input) { return {std::move(input), "", ErrorCode::kBlockedUrl}; }

class TargetUrlTable : public testing::TestWithParam<UrlCase> {};

// Both ways: a URL in normal form takes a shortcut that must give the parser's answer.
TEST_P(TargetUrlTable, NormalizesOrRefuses) {
  const UrlCase& c = GetParam();
  for (Result<std::string> r : {NormalizeTargetUrl(c.input, TestPolicy()),
                                NormalizeTargetUrlByParsing(c.input, TestPolicy())}) {
    if (!c.error) {
      ASSERT_TRUE(r.ok()) << r.status().detail();
      EXPECT_EQ(r.value(), c.normalized);
    } else {
      ASSERT_FALSE(r.ok()) << "accepted as " << r.value();
      EXPECT_EQ(r.status().code(), *c.error) << r.status().detail();
      EXPECT_FALSE(r.status().detail().empty());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    GoodUrls, TargetUrlTable,
    testing::Values(
        Same("https://example.com"), Same("https://example.com/"),
        Same("http://example.com/a/b?c=d&e=f#g"),
        Good("HTTPS://EXAMPLE.COM/Path?Q=A#Frag", "https://example.com/Path?Q=A#Frag"),
        Good("HtTp://Www.Example.Com/", "http://www.example.com/"),
        Good("http://example.com:80/a", "http://example.com/a"),
        Good("https://example.com:443/a", "https://example.com/a"),
        Same("http://example.com:443/a"), Same("https://example.com:80/a"),
        Same("https://example.com:8443/a"), Good("http://example.com:0080/", "http://example.com/"),
        Good("https://example.com:08443/", "https://example.com:8443/"),
        Good("https://example.com:/", "https://example.com/"),
        Good("https://bücher.de/", "https://xn--bcher-kva.de/"),
        Good("https://BÜCHER.de/", "https://xn--bcher-kva.de/"),
        Good("https://bücher.de/straße?q=ü", "https://xn--bcher-kva.de/stra%C3%9Fe?q=%C3%BC"),
        Good("https://faß.de/", "https://xn--fa-hia.de/"),
        Good("https://☃.net/", "https://xn--n3h.net/"),
        Good("https://例え.jp/パス", "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9"),
        Good("https://b%C3%BCcher.de/", "https://xn--bcher-kva.de/"),
        Same("https://xn--bcher-kva.de/"), Good("https://ex%61mple.com/", "https://example.com/"),
        Same("https://example.com/caf%c3%a9"), Same("https://example.com/a/../b/./c"),
        Same("https://example.com/a//b"), Same("https://example.com/CaseSensitive?Key=Value"),
        Same("https://example.com/?utm_source=x&utm_medium=y"), Same("https://example.com/#"),
        Good("https://example.com/#ü", "https://example.com/#%C3%BC"),
        Good("https://example.com/😀", "https://example.com/%F0%9F%98%80"),
        Good("https://fonts.googleapis.com/css?family=Roboto|Open+Sans",
             "https://fonts.googleapis.com/css?family=Roboto%7COpen+Sans"),
        Good("https://example.com/search?q=100%", "https://example.com/search?q=100%25"),
        Good("https://example.com/a?x[]=1&y={2}", "https://example.com/a?x%5B%5D=1&y=%7B2%7D"),
        Same("http://127.0.0.1:8080/x"), Same("http://[::1]/"),
        Good("http://[2001:DB8:0:0::1]:8080/", "http://[2001:db8::1]:8080/"),
        Same("https://example.com./"), Same("https://sub_domain.example.com/"),
        Same("https://localhost:3000/"), Same("https://notevil.com/"),
        Same("https://evil.com.example.net/"), Same("https://example.org/"),
        Same("https://hop.example.org/"), Same("https://sub.hop.example/")));

INSTANTIATE_TEST_SUITE_P(
    BadUrls, TargetUrlTable,
    testing::Values(Invalid(""), Invalid("example.com"), Invalid("example.com/path"),
                    Invalid("/path"), Invalid("//example.com/x"), Invalid("?q=1"),
                    Invalid("javascript:alert(1)"), Invalid("JavaScript:alert(document.cookie)"),
                    Invalid("data:text/html,<script>alert(1)</script>"),
                    Invalid("file:///etc/passwd"), Invalid("ftp://example.com/"),
                    Invalid("mailto:someone@example.com"), Invalid("ws://example.com/"),
                    Invalid("https://user:pass@example.com/"),
                    Invalid("https://paypal.com@evil.example/"), Invalid("https://@example.com/"),
                    Invalid("https:///path"), Invalid("https://"), Invalid("http:example.com"),
                    Invalid("https://exa mple.com/"), Invalid("https://example.com/a b"),
                    Invalid(" https://example.com/"), Invalid("https://example.com/ "),
                    Invalid("https://example.com/\t"),
                    Invalid("https://example.com/\nSet-Cookie:x"),
                    Invalid("https://example.com/\x7F"), Invalid("https://example.com/\xC2\x85"),
                    Invalid(std::string("https://example.com/\0", 21)),
                    Invalid("https://example.com:99999/"), Invalid("https://example.com:65536/"),
                    Invalid("https://example.com:0/"), Invalid("https://example.com:abc/"),
                    Invalid("https://example.com:80abc/"), Invalid("http://a.com:b:c/"),
                    Invalid("https://exa%2Fmple.com/"), Invalid("https://exa%00mple.com/"),
                    Invalid("https://[v1.x]/"), Invalid("https://example.com\\@evil.com/"),
                    Invalid("https://example..com/"), Invalid("https://.example.com/"),
                    Invalid("https://\xFF.com/"), Invalid("https://hop.example/x"),
                    Invalid("https://HOP.EXAMPLE:8443/x"), Invalid("http://hop.example./"),
                    Invalid("https://ho%70.example/"), Blocked("https://evil.com/"),
                    Blocked("https://a.evil.com/"), Blocked("https://deep.sub.evil.com/x"),
                    Blocked("https://EVIL.COM./"), Blocked("http://evil.com:8080/"),
                    Blocked("https://%65vil.com/"), Blocked("https://bad.example.org/x")));

// URLs at the edge of the shortcut for the normal form: every character RFC 3986 allows as it is
// after the host, and a few that make the URL go through the parser.
INSTANTIATE_TEST_SUITE_P(
    NormalForm, TargetUrlTable,
    testing::Values(Same("https://example.com?q=1"), Same("https://example.com#top"),
                    Same("https://example.com//a?b=/c?d@e:f#g/h?i"),
                    Same("https://example.com/-._~!$&'()*+,;=:@%2F%e9"), Same("http://1.2.3.4/"),
                    Same("https://9gag.com/"), Same("https://example.com/%00"),
                    Good("https://example.com/%", "https://example.com/%25"),
                    Good("https://example.com/#a|b", "https://example.com/#a%7Cb"),
                    Invalid("https://example.com/#a#b"), Invalid("http://192.0.2.1.example/"),
                    Invalid("https://example.com/a\\b"), Invalid("https://hop.example?x"),
                    Blocked("https://evil.com./x?y#z")));

TEST(TargetUrl, SchemeErrorNamesTheScheme) {
  Result<std::string> r = NormalizeTargetUrl("javascript:alert(1)", TestPolicy());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail(), "URL must use http or https, not \"javascript\"");
}

TEST(TargetUrl, ErrorsNameTheRuleThatFailed) {
  struct {
    const char* input;
    const char* phrase;
  } cases[] = {
      {"https://user@example.com/", "user info"},
      {"https://example.com/a b", "spaces"},
      {"https://example.com:70000/", "port"},
      {"https://hop.example/", "own host"},
      {"https://a.evil.com/", "block list"},
      {"example.com", "absolute"},
      {"https:///x", "host"},
  };
  for (const auto& c : cases) {
    Result<std::string> r = NormalizeTargetUrl(c.input, TestPolicy());
    ASSERT_FALSE(r.ok()) << c.input;
    EXPECT_NE(r.status().detail().find(c.phrase), std::string::npos)
        << c.input << ": " << r.status().detail();
  }
}

TEST(TargetUrl, AcceptsExactly8192Bytes) {
  std::string prefix = "https://example.com/";
  std::string url = prefix + std::string(kMaxTargetUrlBytes - prefix.size(), 'a');
  ASSERT_EQ(url.size(), kMaxTargetUrlBytes);
  Result<std::string> r = NormalizeTargetUrl(url, TestPolicy());
  ASSERT_TRUE(r.ok()) << r.status().detail();
  EXPECT_EQ(r.value(), url);
}

TEST(TargetUrl, RefusesInputLongerThan8192Bytes) {
  std::string prefix = "https://example.com/";
  std::string url = prefix + std::string(kMaxTargetUrlBytes + 1 - prefix.size(), 'a');
  Result<std::string> r = NormalizeTargetUrl(url, TestPolicy());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidUrl);
  EXPECT_NE(r.status().detail().find("8192"), std::string::npos);
}

TEST(TargetUrl, RefusesOutputThatEscapingMakesLongerThan8192Bytes) {
  std::string url = "https://example.com/";
  while (url.size() + 2 <= kMaxTargetUrlBytes) url += "\xC3\xA9";  // "é": 2 bytes in, 6 out
  ASSERT_LE(url.size(), kMaxTargetUrlBytes);
  Result<std::string> r = NormalizeTargetUrl(url, TestPolicy());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidUrl);
}

TEST(TargetUrl, EmptyPolicyRefusesNothingValid) {
  Result<std::string> r = NormalizeTargetUrl("https://hop.example/x", TargetUrlPolicy{});
  ASSERT_TRUE(r.ok()) << r.status().detail();
  EXPECT_EQ(r.value(), "https://hop.example/x");
}

TEST(TargetUrl, OwnHostIsMatchedAfterIdnConversion) {
  TargetUrlPolicy policy{"xn--bcher-kva.de", {}};
  EXPECT_FALSE(NormalizeTargetUrl("https://bücher.de/", policy).ok());
  EXPECT_FALSE(NormalizeTargetUrl("https://BÜCHER.DE./", policy).ok());
}

TEST(TargetUrl, NormalizingTwiceChangesNothing) {
  for (const char* raw : {"HTTPS://Bücher.DE:443/straße?q=ü#ß", "http://[2001:DB8::1]:080/x|y",
                          "https://example.com/search?q=100%"}) {
    Result<std::string> once = NormalizeTargetUrl(raw, TestPolicy());
    ASSERT_TRUE(once.ok()) << raw << ": " << once.status().detail();
    Result<std::string> twice = NormalizeTargetUrl(once.value(), TestPolicy());
    ASSERT_TRUE(twice.ok()) << once.value();
    EXPECT_EQ(twice.value(), once.value());
  }
}

TEST(HostOfUrl, ReturnsTheNormalizedHostWithoutPort) {
  EXPECT_EQ(HostOfUrl("https://Hop.Example:8080/base"), "hop.example");
  EXPECT_EQ(HostOfUrl("http://127.0.0.1:8080"), "127.0.0.1");
  EXPECT_EQ(HostOfUrl("http://[::1]:8080/"), "[::1]");
  EXPECT_EQ(HostOfUrl("https://bücher.de"), "xn--bcher-kva.de");
}

TEST(HostOfUrl, IsEmptyWithoutAHost) {
  EXPECT_EQ(HostOfUrl(""), "");
  EXPECT_EQ(HostOfUrl("/relative/path"), "");
  EXPECT_EQ(HostOfUrl("mailto:a@example.com"), "");
  EXPECT_EQ(HostOfUrl("not a url"), "");
}

}  // namespace
}  // namespace hop
