// LinkCodeCipher: the short code of a generated link, as a keyed permutation of the link's id.
//
// A store that knows a link's id before it writes the link (SQLite) need not store its code at
// all, nor keep an index of random codes: inserting into such an index touches a random page per
// link, which made four fifths of a bulk create's cost. The code is instead the id enciphered under
// a secret key of the database: a bijection from ids onto 7-character base62 codes, so no two ids
// share a code, and without the key nothing about one code predicts another, as with codes drawn
// at random (short_code.h).
//
// The cipher is a balanced Feistel network over 42 bits with AES-128 as its round function and
// ten rounds, the construction of NIST's FF1, cycle-walked into the 62^7 codes (an output of 62^7
// or more is enciphered again, which keeps it a permutation of the codes). The mapping must never
// change once links carry it: a test pins it with known answers.
//
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hop {

class LinkCodeCipher {
 public:
  static constexpr size_t kKeyBytes = 16;
  using Key = std::array<uint8_t, kKeyBytes>;
  // Ids the cipher takes, and what Decode can return: [0, 62^7).
  static constexpr int64_t kIdLimit = 3'521'614'606'208;

  // A fresh key from OpenSSL's CSPRNG.
  static Key NewKey();

  explicit LinkCodeCipher(const Key& key);
  ~LinkCodeCipher();
  LinkCodeCipher(const LinkCodeCipher&) = delete;
  LinkCodeCipher& operator=(const LinkCodeCipher&) = delete;

  // The 7-character code of `id`. REQUIRES: 0 <= id < kIdLimit.
  std::string Encode(int64_t id) const;

  // The id whose code is `code`, or none when `code` is not 7 characters of base62 (no code of
  // this cipher then). Any such string decodes to some id; whether a link has it is the store's
  // question.
  std::optional<int64_t> Decode(std::string_view code) const;

 private:
  class RoundFunction;
  uint64_t Permute(uint64_t x) const;
  uint64_t Unpermute(uint64_t y) const;

  mutable std::mutex mutex_;  // the round function's calls take turns
  std::unique_ptr<RoundFunction> round_;
};

}  // namespace hop
