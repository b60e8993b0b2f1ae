#include "service/log.h"

#include <unistd.h>

#include <string>

namespace hop {

void LogLine(std::string_view message) {
  std::string line;
  line.reserve(message.size() + 5);
  line.append("hop: ").append(message).push_back('\n');
  // A write to stderr that fails has nowhere better to be reported.
  [[maybe_unused]] ssize_t written = ::write(STDERR_FILENO, line.data(), line.size());
}

}  // namespace hop
