#include "http/redirect_header_parser.h"

#include <gtest/gtest.h>

#include <boost/beast/http/error.hpp>
#include <string>
#include <string_view>

namespace hop {
namespace {

struct Parsed {
  bool done;
  boost::beast::error_code ec;
  size_t used;
};

Parsed Put(RedirectHeaderParser& parser, std::string_view bytes) {
  boost::beast::error_code ec;
  const size_t used = parser.Parse(bytes, ec);
  return {parser.is_done(), ec, used};
}

TEST(RedirectHeaderParser, KeepsWhatARedirectNeeds) {
  const std::string request =
      "GET /Ab3_x-9?utm_source=mail&x=1 HTTP/1.1\r\nHost: s.example\r\n"
      "User-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n";
  RedirectHeaderParser parser;
  const Parsed parsed = Put(parser, request);
  ASSERT_FALSE(parsed.ec) << parsed.ec.message();
  EXPECT_TRUE(parsed.done);
  EXPECT_EQ(parsed.used, request.size());
  EXPECT_EQ(parser.path(), "/Ab3_x-9");
  EXPECT_EQ(parser.query(), "utm_source=mail&x=1");
  EXPECT_EQ(parser.user_agent(), "Mozilla/5.0");
  EXPECT_FALSE(parser.head());
  EXPECT_TRUE(parser.keep_alive());
}

TEST(RedirectHeaderParser, StopsAfterTheHeaderOfAPipelinedRequest) {
  const std::string first = "HEAD /abc HTTP/1.1\r\nHost: s\r\n\r\n";
  RedirectHeaderParser parser;
  const Parsed parsed = Put(parser, first + "GET /def HTTP/1.1\r\n\r\n");
  ASSERT_FALSE(parsed.ec) << parsed.ec.message();
  EXPECT_TRUE(parsed.done);
  EXPECT_EQ(parsed.used, first.size());
  EXPECT_TRUE(parser.head());
  EXPECT_EQ(parser.query(), "");
  EXPECT_EQ(parser.user_agent(), "");
}

TEST(RedirectHeaderParser, TheFirstUserAgentCounts) {
  RedirectHeaderParser parser;
  Put(parser, "GET /abc HTTP/1.1\r\nuser-agent: Googlebot\r\nUser-Agent: Mozilla\r\n\r\n");
  EXPECT_EQ(parser.user_agent(), "Googlebot");
}

TEST(RedirectHeaderParser, LeavesAFoldedUserAgentToTheFullParser) {
  RedirectHeaderParser parser;
  const Parsed parsed =
      Put(parser, "GET /abc HTTP/1.1\r\nUser-Agent: Mozilla\r\n (folded)\r\nX-A: b\r\n c\r\n\r\n");
  EXPECT_EQ(parsed.ec, boost::beast::http::error::bad_value);
  EXPECT_FALSE(parsed.done);
}

TEST(RedirectHeaderParser, KeepAliveFollowsVersionAndConnection) {
  RedirectHeaderParser closing;
  Put(closing, "GET /abc HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(closing.keep_alive());
  RedirectHeaderParser old;
  Put(old, "GET /abc HTTP/1.0\r\n\r\n");
  EXPECT_FALSE(old.keep_alive());
  RedirectHeaderParser old_kept;
  Put(old_kept, "GET /abc HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_TRUE(old_kept.keep_alive());
}

TEST(RedirectHeaderParser, GivesUpAtTheRequestLineOfAnythingButARedirect) {
  for (const char* request :
       {"POST /abc HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "GET /api/v1/links HTTP/1.1\r\n\r\n",
        "GET /healthz HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n",
        "GET /favicon.ico HTTP/1.1\r\n\r\n", "DELETE /abc HTTP/1.1\r\n\r\n"}) {
    RedirectHeaderParser parser;
    const Parsed parsed = Put(parser, request);
    EXPECT_TRUE(parsed.ec) << request;
    EXPECT_FALSE(parser.is_header_done()) << request;
  }
}

TEST(RedirectHeaderParser, ARedirectWithABodyIsNotDoneAtItsHeader) {
  RedirectHeaderParser parser;
  const Parsed parsed = Put(parser, "GET /abc HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz");
  EXPECT_TRUE(parser.is_header_done());
  EXPECT_FALSE(parsed.done);
}

TEST(RedirectHeaderParser, AnIncompleteHeaderNeedsMore) {
  RedirectHeaderParser parser;
  const Parsed parsed = Put(parser, "GET /abc HTTP/1.1\r\nUser-Agent: Moz");
  EXPECT_EQ(parsed.ec, boost::beast::http::error::need_more);
  EXPECT_FALSE(parsed.done);
}

TEST(RedirectHeaderParser, RefusesWhatBeastRefuses) {
  for (const char* request :
       {"GET /abc HTTP/1.1\r\nBad Field: x\r\n\r\n", "GET /abc HTTP/9.9\r\n\r\n",
        "GET /abc HTTP/1.1\r\nA: \x01\r\n\r\n",
        "GET /abc HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
    RedirectHeaderParser parser;
    const Parsed parsed = Put(parser, request);
    EXPECT_TRUE(parsed.ec) << request;
    EXPECT_FALSE(parsed.done) << request;
  }
}

}  // namespace
}  // namespace hop
