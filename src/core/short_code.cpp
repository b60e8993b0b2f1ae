// Generated short codes.
//
// Each character takes one byte from the CSPRNG. A byte maps to base62 by `byte % 62` only when it
// is below 248 (= 4 * 62): the other eight values would make the first eight characters slightly
// likelier, so they are thrown away and another byte is drawn.
#include "core/short_code.h"

#include <openssl/rand.h>

#include <array>
#include <cstdlib>

#include "core/alias.h"

namespace hop {
namespace {

constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr unsigned kAcceptBelow = 256 - 256 % kBase62.size();

std::string DrawCode(const std::function<unsigned char()>& next_byte) {
  std::string code;
  code.reserve(kShortCodeLength);
  while (code.size() < kShortCodeLength) {
    unsigned char b = next_byte();
    if (b < kAcceptBelow) code.push_back(kBase62[b % kBase62.size()]);
  }
  return code;
}

}  // namespace

std::string ShortCodeFromRandomBytes(const std::function<unsigned char()>& next_byte) {
  // A few reserved words are seven letters long ("metrics", "healthz"); drawing one is rare, and
  // drawing again keeps the distribution uniform over the remaining codes.
  std::string code = DrawCode(next_byte);
  while (IsReservedWord(code)) code = DrawCode(next_byte);
  return code;
}

std::string GenerateShortCode() {
  // One RAND_bytes call usually serves a whole code: 16 bytes cover the 7 needed plus rejections.
  std::array<unsigned char, 16> bytes;
  size_t used = bytes.size();
  return ShortCodeFromRandomBytes([&]() {
    if (used == bytes.size()) {
      // A failing CSPRNG cannot be worked around: any fallback would hand out guessable codes.
      if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) std::abort();
      used = 0;
    }
    return bytes[used++];
  });
}

bool LooksLikeLinkCode(std::string_view segment) {
  if (segment.empty() || segment.size() > 64) return false;
  for (char c : segment) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace hop
