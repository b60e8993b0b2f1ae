#include "http/http_date.h"

namespace hop {

std::string_view HttpDate::Get(std::time_t now) {
  if (now != second_) {
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    size_ = std::strftime(text_, sizeof(text_), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    second_ = now;
  }
  return {text_, size_};
}

}  // namespace hop
