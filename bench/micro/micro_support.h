// Shared by the micro-benchmarks: links shaped like the ones bench/run.sh preloads.
#pragma once

#include <string>
#include <vector>

#include "core/short_code.h"
#include "service/link_cache.h"

namespace hop::bench {

inline CachedLink BenchLink(int64_t id) {
  CachedLink link;
  link.id = id;
  link.url = "https://example.com/target/" + std::to_string(id);
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
