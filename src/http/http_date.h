// HttpDate: the Date header value, formatted once per second rather than once per response.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace hop {

class HttpDate {
 public:
  // "Sun, 22 Nov 2026 19:52:57 GMT" for the second of `now`.
  std::string_view Get(std::time_t now);

 private:
  std::time_t second_ = -1;
  char text_[32] = {};
  size_t size_ = 0;
};

}  // namespace hop
