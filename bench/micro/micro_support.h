// Shared by the micro-benchmarks: links shaped like the ones bench/run.sh preloads.
#pragma once

#include <string>
#include <vector>

#include "core/link.h"
#include "core/short_code.h"

namespace hop::bench {

inline Link BenchLink(int64_t id) {
  Link link;
  link.id = id;
  link.fields.url = "https://example.com/target/" + std::to_string(id);
  return link;
}

// `count` distinct random codes.
inline std::vector<std::string> RandomCodes(size_t count) {
  std::vector<std::string> codes;
  codes.reserve(count);
  for (size_t i = 0; i < count; ++i) codes.push_back(GenerateShortCode());
  return codes;
}

}  // namespace hop::bench
