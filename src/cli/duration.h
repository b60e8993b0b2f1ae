// Durations on the command line: "500ms", "10s", "2m", "1h".
#pragma once

#include <optional>
#include <string_view>

#include "core/clock.h"

namespace hop {

// nullopt unless `text` is a non-negative integer followed by ms, s, m or h.
std::optional<Millis> ParseDuration(std::string_view text);

}  // namespace hop
