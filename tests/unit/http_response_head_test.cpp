// The head of a non-redirect response, written by hand: what Beast's serializer wrote before.
#include "http/response_head.h"

#include <gtest/gtest.h>

namespace hop {
namespace {

constexpr std::string_view kDate = "Mon, 23 Nov 2026 00:08:44 GMT";

TEST(ResponseHead, StatusLineHeadersInOrderDateAndLength) {
  Response response{.status = 201, .headers = {}, .body = "{\"code\":\"abc\"}"};
  response.SetHeader("Content-Type", "application/json; charset=utf-8");
  response.SetHeader("Location", "/api/v1/links/abc");
  std::string head = "stale bytes of the previous response";
  BuildResponseHead(head, response, kDate, /*keep_alive=*/true);
  EXPECT_EQ(head,
            "HTTP/1.1 201 Created\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            "Location: /api/v1/links/abc\r\n"
            "Date: Mon, 23 Nov 2026 00:08:44 GMT\r\n"
            "Content-Length: 14\r\n"
            "\r\n");
}

TEST(ResponseHead, AClosingConnectionSaysSo) {
  Response response{.status = 400, .headers = {}, .body = ""};
  std::string head;
  BuildResponseHead(head, response, kDate, /*keep_alive=*/false);
  EXPECT_EQ(head,
            "HTTP/1.1 400 Bad Request\r\n"
            "Date: Mon, 23 Nov 2026 00:08:44 GMT\r\n"
            "Content-Length: 0\r\n"
            "Connection: close\r\n"
            "\r\n");
}

TEST(ResponseHead, EveryStatusHopAnswersHasItsReasonPhrase) {
  for (auto [status, line] : {std::pair{204, "HTTP/1.1 204 No Content\r\n"},
                              std::pair{304, "HTTP/1.1 304 Not Modified\r\n"},
                              std::pair{409, "HTTP/1.1 409 Conflict\r\n"},
                              std::pair{431, "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
                              std::pair{503, "HTTP/1.1 503 Service Unavailable\r\n"}}) {
    std::string head;
    BuildResponseHead(head, Response{.status = status, .headers = {}, .body = ""}, kDate, true);
    EXPECT_TRUE(head.starts_with(line)) << head;
  }
}

}  // namespace
}  // namespace hop
