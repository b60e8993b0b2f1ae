// Generated short codes.
//
// Each character takes one byte from the CSPRNG. A byte maps to base62 by `byte % 62` only when it
// is below 248 (= 4 * 62): the other eight values would make the first eight characters slightly
// likelier, so they are thrown away and another byte is drawn.
#include "core/short_code.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "core/alias.h"

namespace hop {
namespace {

constexpr std::string_view kBase62 = kBase62Alphabet;
constexpr unsigned kAcceptBelow = 256 - 256 % kBase62.size();

// The characters a code or an alias may hold, as a table: the redirect path checks every character
// of every code it serves.
constexpr std::array<bool, 256> kCodeCharacters = [] {
  std::array<bool, 256> table{};
  for (char c : kBase62) table[static_cast<unsigned char>(c)] = true;
  table['_'] = true;
  table['-'] = true;
  return table;
}();

template <typename NextByte>
std::string DrawCode(NextByte& next_byte) {
  std::string code(kShortCodeLength, '\0');
  for (char& c : code) {
    unsigned char b = next_byte();
    while (b >= kAcceptBelow) b = next_byte();
    c = kBase62[b % kBase62.size()];
  }
  return code;
}

// A code that is not a reserved word. A few of those are seven letters long ("metrics",
// "healthz"); drawing one is rare, and drawing again keeps the distribution uniform over the
// remaining codes.
template <typename NextByte>
std::string DrawUnreservedCode(NextByte& next_byte) {
  std::string code = DrawCode(next_byte);
  while (IsReservedWord(code)) code = DrawCode(next_byte);
  return code;
}

// CSPRNG bytes, fetched a block at a time: a RAND_bytes call costs as much as drawing a whole code
// from bytes at hand (and asks the kernel for the process id, OpenSSL's check for a fork), and a
// bulk create draws a thousand codes. hop never forks, so no two processes share a block.
class RandomBytes {
 public:
  unsigned char operator()() {
    if (used_ == block_.size()) {
      // A failing CSPRNG cannot be worked around: any fallback would hand out guessable codes.
      if (RAND_bytes(block_.data(), static_cast<int>(block_.size())) != 1) std::abort();
      used_ = 0;
    }
    return block_[used_++];
  }

 private:
  std::array<unsigned char, 512> block_;
  size_t used_ = block_.size();
};

}  // namespace

std::string ShortCodeFromRandomBytes(const std::function<unsigned char()>& next_byte) {
  return DrawUnreservedCode(next_byte);
}

std::string GenerateShortCode() {
  thread_local RandomBytes bytes;
  return DrawUnreservedCode(bytes);
}

bool LooksLikeLinkCode(std::string_view segment) {
  if (segment.empty() || segment.size() > 64) return false;
  return std::all_of(segment.begin(), segment.end(),
                     [](char c) { return kCodeCharacters[static_cast<unsigned char>(c)]; });
}

}  // namespace hop
