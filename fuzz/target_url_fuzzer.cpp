// Fuzz target: the target URL rules (core/target_url.h) and the block list parser.
//
// Beyond "does not crash", it checks what the rules promise: a URL that passes is at most 8 KiB,
// normalizing it again changes nothing (so equal targets compare equal), its host is found again
// by HostOfUrl, and it never lands on the own host or a blocked one; and the shortcut for URLs in
// normal form answers exactly as the parser does. A broken promise aborts, and libFuzzer keeps the
// input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/block_list.h"
#include "core/target_url.h"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

const hop::TargetUrlPolicy kPolicy{.own_host = "sho.rt", .blocked_hosts = {"evil.example"}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hop::Result<std::string> url = hop::NormalizeTargetUrl(input, kPolicy);
  hop::Result<std::string> parsed = hop::NormalizeTargetUrlByParsing(input, kPolicy);
  Require(url.ok() == parsed.ok());
  Require(url.ok() ? url.value() == parsed.value()
                   : url.status().code() == parsed.status().code() &&
                         url.status().detail() == parsed.status().detail());
  if (url.ok()) {
    const std::string& normal = url.value();
    Require(normal.size() <= hop::kMaxTargetUrlBytes);
    hop::Result<std::string> again = hop::NormalizeTargetUrl(normal, kPolicy);
    Require(again.ok() && again.value() == normal);
    const std::string host = hop::HostOfUrl(normal);
    Require(!host.empty());
    Require(host != "sho.rt" && host != "evil.example" && !host.ends_with(".evil.example"));
  }
  hop::Result<std::vector<std::string>> hosts = hop::ParseBlockList(input);
  if (hosts.ok()) {
    for (const std::string& host : hosts.value()) {
      Require(!host.empty() && !host.ends_with('.'));
      // An entry parses to a host that parses to itself.
      hop::Result<std::vector<std::string>> reparsed = hop::ParseBlockList(host);
      Require(reparsed.ok() && reparsed.value() == std::vector<std::string>{host});
    }
  }
  return 0;
}
