// The keyed permutation of link ids onto short codes.
//
// Each round's function enciphers one AES block holding a domain tag, the round number and the
// 21-bit half; the first three bytes of the result, cut to 21 bits, are XORed into the other half.
// The tag keeps these blocks apart from any other use the key might ever be put to.
#include "core/link_code_cipher.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <mutex>
#include <stdexcept>

#include "core/short_code.h"

namespace hop {
namespace {

constexpr int kRounds = 10;
constexpr int kHalfBits = 21;
constexpr uint64_t kHalfMask = (uint64_t{1} << kHalfBits) - 1;
constexpr size_t kCodeLength = 7;
constexpr uint64_t kBase = 62;

static_assert(kShortCodeLength == kCodeLength, "generated codes are as long as random ones");
static_assert(LinkCodeCipher::kIdLimit == kBase * kBase * kBase * kBase * kBase * kBase * kBase);
static_assert(LinkCodeCipher::kIdLimit <= (int64_t{1} << (2 * kHalfBits)));

// The digit value of each character, or kNotADigit for one that is not base62.
constexpr uint8_t kNotADigit = 0xff;
constexpr std::array<uint8_t, 256> kDigitValues = [] {
  std::array<uint8_t, 256> values{};
  values.fill(kNotADigit);
  for (size_t i = 0; i < kBase62Alphabet.size(); ++i)
    values[static_cast<unsigned char>(kBase62Alphabet[i])] = static_cast<uint8_t>(i);
  return values;
}();

}  // namespace

// One AES-128 context, set up once. EVP contexts are not thread-safe: the cipher's mutex makes the
// calls take turns, a code at a time. A code costs about 0.3 µs (BM_EncodeLinkCode), and codes are
// computed by the one thread that creates links and by reads that list links.
class LinkCodeCipher::RoundFunction {
 public:
  explicit RoundFunction(const Key& key) : context_(EVP_CIPHER_CTX_new()) {
    EVP_CIPHER* aes = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
    const bool ready = context_ != nullptr && aes != nullptr &&
                       EVP_EncryptInit_ex2(context_, aes, key.data(), nullptr, nullptr) == 1 &&
                       EVP_CIPHER_CTX_set_padding(context_, 0) == 1;
    EVP_CIPHER_free(aes);
    if (!ready) {
      EVP_CIPHER_CTX_free(context_);
      throw std::runtime_error("OpenSSL cannot set up AES-128");
    }
  }
  ~RoundFunction() { EVP_CIPHER_CTX_free(context_); }
  RoundFunction(const RoundFunction&) = delete;
  RoundFunction& operator=(const RoundFunction&) = delete;

  uint64_t operator()(int round, uint64_t half) const {
    unsigned char block[16] = {'h', 'o', 'p', '-', 'c', 'o', 'd', 'e'};
    block[8] = static_cast<unsigned char>(round);
    block[9] = static_cast<unsigned char>(half);
    block[10] = static_cast<unsigned char>(half >> 8);
    block[11] = static_cast<unsigned char>(half >> 16);
    unsigned char out[16];
    int written = 0;
    // ECB on one block with padding off cannot fail once the context is set up.
    EVP_EncryptUpdate(context_, out, &written, block, sizeof block);
    return (uint64_t{out[0]} | uint64_t{out[1]} << 8 | uint64_t{out[2]} << 16) & kHalfMask;
  }

 private:
  EVP_CIPHER_CTX* context_;
};

LinkCodeCipher::Key LinkCodeCipher::NewKey() {
  Key key;
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
    throw std::runtime_error("OpenSSL's random generator failed");
  return key;
}

LinkCodeCipher::LinkCodeCipher(const Key& key) : round_(std::make_unique<RoundFunction>(key)) {}

LinkCodeCipher::~LinkCodeCipher() = default;

uint64_t LinkCodeCipher::Permute(uint64_t x) const {
  uint64_t left = x >> kHalfBits, right = x & kHalfMask;
  for (int round = 0; round < kRounds; ++round) {
    const uint64_t mixed = left ^ (*round_)(round, right);
    left = right;
    right = mixed;
  }
  return left << kHalfBits | right;
}

uint64_t LinkCodeCipher::Unpermute(uint64_t y) const {
  uint64_t left = y >> kHalfBits, right = y & kHalfMask;
  for (int round = kRounds - 1; round >= 0; --round) {
    const uint64_t mixed = right ^ (*round_)(round, left);
    right = left;
    left = mixed;
  }
  return left << kHalfBits | right;
}

std::string LinkCodeCipher::Encode(int64_t id) const {
  // Cycle-walking: a value past the codes is enciphered again until it lands among them. The walk
  // ends, since `id` itself is among them, and decoding walks the same cycle back.
  uint64_t value = static_cast<uint64_t>(id);
  std::unique_lock lock(mutex_);
  do {
    value = Permute(value);
  } while (value >= static_cast<uint64_t>(kIdLimit));
  lock.unlock();
  std::string code(kCodeLength, '0');
  for (size_t i = kCodeLength; i-- > 0;) {
    code[i] = kBase62Alphabet[value % kBase];
    value /= kBase;
  }
  return code;
}

std::optional<int64_t> LinkCodeCipher::Decode(std::string_view code) const {
  if (code.size() != kCodeLength) return std::nullopt;
  uint64_t value = 0;
  for (char c : code) {
    const uint8_t digit = kDigitValues[static_cast<unsigned char>(c)];
    if (digit == kNotADigit) return std::nullopt;
    value = value * kBase + digit;
  }
  std::lock_guard lock(mutex_);
  do {
    value = Unpermute(value);
  } while (value >= static_cast<uint64_t>(kIdLimit));
  return static_cast<int64_t>(value);
}

}  // namespace hop
