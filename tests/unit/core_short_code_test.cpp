#include "core/short_code.h"

#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/alias.h"

namespace hop {
namespace {

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

TEST(ShortCode, IsSevenBase62Characters) {
  for (int i = 0; i < 1'000; ++i) {
    std::string code = GenerateShortCode();
    ASSERT_EQ(code.size(), kShortCodeLength);
    for (char c : code) ASSERT_TRUE(IsBase62(c)) << code;
  }
}

TEST(ShortCode, HundredThousandDrawsAreAllDistinct) {
  // 1e5 draws from 62^7 codes collide with probability about 1.4e-3 by the birthday bound; a
  // generator with even a few bits less entropy than claimed fails here.
  std::unordered_set<std::string> seen;
  for (int i = 0; i < 100'000; ++i) seen.insert(GenerateShortCode());
  EXPECT_EQ(seen.size(), 100'000u);
}

TEST(ShortCode, EveryCharacterAppearsInEveryPosition) {
  // 200k draws give each (position, character) pair about 3,200 hits; a biased or truncated
  // alphabet leaves some at zero or far off the mean.
  std::array<std::array<int, 128>, kShortCodeLength> hits{};
  constexpr int kDraws = 200'000;
  for (int i = 0; i < kDraws; ++i) {
    std::string code = GenerateShortCode();
    for (size_t p = 0; p < code.size(); ++p) ++hits[p][static_cast<unsigned char>(code[p])];
  }
  const double mean = kDraws / 62.0;
  for (size_t p = 0; p < kShortCodeLength; ++p) {
    for (int c = 0; c < 128; ++c) {
      if (!IsBase62(static_cast<char>(c))) continue;
      EXPECT_GT(hits[p][c], mean * 0.85) << "position " << p << " char " << static_cast<char>(c);
      EXPECT_LT(hits[p][c], mean * 1.15) << "position " << p << " char " << static_cast<char>(c);
    }
  }
}

// A byte source that replays `bytes`, for the deterministic tests below.
std::function<unsigned char()> Replay(std::vector<unsigned char> bytes) {
  auto next = std::make_shared<size_t>(0);
  return [bytes = std::move(bytes), next]() -> unsigned char {
    if (*next == bytes.size()) {
      ADD_FAILURE() << "the code needed more than the " << bytes.size() << " bytes given";
      return 0;
    }
    return bytes[(*next)++];
  };
}

// The bytes that spell `text` in base62 (0-9, A-Z, a-z).
std::vector<unsigned char> BytesFor(std::string_view text) {
  std::vector<unsigned char> bytes;
  for (char c : text) {
    if (c >= '0' && c <= '9') bytes.push_back(static_cast<unsigned char>(c - '0'));
    if (c >= 'A' && c <= 'Z') bytes.push_back(static_cast<unsigned char>(c - 'A' + 10));
    if (c >= 'a' && c <= 'z') bytes.push_back(static_cast<unsigned char>(c - 'a' + 36));
  }
  return bytes;
}

TEST(ShortCode, MapsEachByteModulo62) {
  EXPECT_EQ(ShortCodeFromRandomBytes(Replay({0, 9, 10, 35, 36, 61, 62})), "09AZaz0");
  EXPECT_EQ(ShortCodeFromRandomBytes(Replay({63, 124, 185, 247, 100, 200, 150})), "10zzcEQ");
}

TEST(ShortCode, DiscardsBytesThatWouldBiasTheAlphabet) {
  EXPECT_EQ(ShortCodeFromRandomBytes(Replay({248, 0, 255, 1, 2, 250, 3, 4, 5, 6})), "0123456");
}

TEST(ShortCode, DrawsAgainInsteadOfReturningAReservedWord) {
  std::vector<unsigned char> bytes = BytesFor("metrics");
  for (unsigned char b : BytesFor("HeAlThZ")) bytes.push_back(b);
  for (unsigned char b : BytesFor("Xy7Qp2a")) bytes.push_back(b);
  ASSERT_TRUE(IsReservedWord("metrics"));
  EXPECT_EQ(ShortCodeFromRandomBytes(Replay(bytes)), "Xy7Qp2a");
}

TEST(ShortCode, LooksLikeLinkCodeAcceptsCodesAndAliases) {
  EXPECT_TRUE(LooksLikeLinkCode(GenerateShortCode()));
  EXPECT_TRUE(LooksLikeLinkCode("a"));
  EXPECT_TRUE(LooksLikeLinkCode("Spring_Sale-2026"));
  EXPECT_TRUE(LooksLikeLinkCode(std::string(64, 'x')));
}

TEST(ShortCode, LooksLikeLinkCodeRefusesJunk) {
  EXPECT_FALSE(LooksLikeLinkCode(""));
  EXPECT_FALSE(LooksLikeLinkCode(std::string(65, 'x')));
  EXPECT_FALSE(LooksLikeLinkCode("favicon.ico"));
  EXPECT_FALSE(LooksLikeLinkCode("a/b"));
  EXPECT_FALSE(LooksLikeLinkCode("a b"));
  EXPECT_FALSE(LooksLikeLinkCode("a%20b"));
  EXPECT_FALSE(LooksLikeLinkCode("caf\xC3\xA9"));
  EXPECT_FALSE(LooksLikeLinkCode(std::string_view("ab\0c", 4)));
}

}  // namespace
}  // namespace hop
