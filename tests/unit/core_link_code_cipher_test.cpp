#include "core/link_code_cipher.h"

#include <gtest/gtest.h>

#include <numeric>
#include <random>
#include <string>
#include <unordered_set>

namespace hop {
namespace {

LinkCodeCipher::Key CountingKey() {
  LinkCodeCipher::Key key;
  std::iota(key.begin(), key.end(), uint8_t{0});
  return key;
}

// Computed outside hop, by a model of the construction in the header that enciphers its round
// blocks with `openssl enc -aes-128-ecb -nopad -K 000102...0f`. Links carry these codes: a change
// of the mapping would break every generated link of every store, so it must fail here.
TEST(LinkCodeCipher, KnownAnswers) {
  const LinkCodeCipher cipher(CountingKey());
  EXPECT_EQ(cipher.Encode(0), "OUqEBIt");
  EXPECT_EQ(cipher.Encode(1), "E0nrRpr");
  EXPECT_EQ(cipher.Encode(2), "DyMKkZN");
  EXPECT_EQ(cipher.Encode(3), "P0uXQ2C");
  EXPECT_EQ(cipher.Encode(1000), "SOkcx8T");
  EXPECT_EQ(cipher.Encode(4'294'967'295), "5Fkobya");
  EXPECT_EQ(cipher.Encode(LinkCodeCipher::kIdLimit - 1), "hwXwvgZ");
}

TEST(LinkCodeCipher, DecodeUndoesEncode) {
  const LinkCodeCipher cipher(LinkCodeCipher::NewKey());
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int64_t> ids(0, LinkCodeCipher::kIdLimit - 1);
  for (int i = 0; i < 20'000; ++i) {
    const int64_t id = i < 10'000 ? i : ids(random);
    const std::string code = cipher.Encode(id);
    ASSERT_EQ(code.size(), 7u);
    ASSERT_EQ(cipher.Decode(code), id) << code;
  }
}

TEST(LinkCodeCipher, EncodeUndoesDecode) {
  const LinkCodeCipher cipher(LinkCodeCipher::NewKey());
  for (const std::string code : {"0000000", "zzzzzzz", "metrics", "AbC0123", "hop-abc"}) {
    const std::optional<int64_t> id = cipher.Decode(code);
    if (code == "hop-abc") {
      EXPECT_FALSE(id.has_value());
      continue;
    }
    ASSERT_TRUE(id.has_value()) << code;
    EXPECT_GE(*id, 0);
    EXPECT_LT(*id, LinkCodeCipher::kIdLimit);
    EXPECT_EQ(cipher.Encode(*id), code);
  }
}

TEST(LinkCodeCipher, DecodesOnlySevenBase62Characters) {
  const LinkCodeCipher cipher(CountingKey());
  EXPECT_FALSE(cipher.Decode("").has_value());
  EXPECT_FALSE(cipher.Decode("E0nrRp").has_value());
  EXPECT_FALSE(cipher.Decode("E0nrRprr").has_value());
  EXPECT_FALSE(cipher.Decode("E0nr_pr").has_value());
  EXPECT_FALSE(cipher.Decode(std::string("E0nr\0pr", 7)).has_value());
  EXPECT_FALSE(cipher.Decode("E0nr\xc3\xa9r").has_value());
  EXPECT_EQ(cipher.Decode("E0nrRpr"), 1);
}

TEST(LinkCodeCipher, ConsecutiveIdsGetUnrelatedCodes) {
  // Codes of ids in a row share no more than chance would: with 62 characters a position agrees
  // with the previous code's about once in 62 times.
  const LinkCodeCipher cipher(LinkCodeCipher::NewKey());
  std::unordered_set<std::string> codes;
  int same_position = 0;
  std::string previous = cipher.Encode(1);
  for (int64_t id = 2; id <= 10'001; ++id) {
    std::string code = cipher.Encode(id);
    for (size_t i = 0; i < code.size(); ++i) same_position += code[i] == previous[i];
    codes.insert(code);
    previous = std::move(code);
  }
  EXPECT_EQ(codes.size(), 10'000u);
  EXPECT_LT(same_position, 2 * 70'000 / 62);
}

TEST(LinkCodeCipher, AnotherKeyGivesOtherCodes) {
  const LinkCodeCipher one(LinkCodeCipher::NewKey());
  const LinkCodeCipher other(LinkCodeCipher::NewKey());
  int same = 0;
  for (int64_t id = 1; id <= 1'000; ++id) same += one.Encode(id) == other.Encode(id);
  EXPECT_EQ(same, 0);
}

}  // namespace
}  // namespace hop
