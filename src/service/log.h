// Log lines on stderr: one line, one write(2), so lines from several threads never interleave.
#pragma once

#include <string_view>

namespace hop {

void LogLine(std::string_view message);

}  // namespace hop
