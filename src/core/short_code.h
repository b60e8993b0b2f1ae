// Short codes: the random path segment of a generated short link.
//
// A code is 7 characters of base62 drawn from OpenSSL's CSPRNG with rejection sampling, so every
// one of the 62^7 (3.5e12) codes is equally likely and nothing about one code predicts another.
// Codes never collide with hop's reserved words (see alias.h); a collision with an existing link is
// the caller's to retry.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace hop {

inline constexpr size_t kShortCodeLength = 7;
// The characters of a code, in the order of their base62 digit values.
inline constexpr std::string_view kBase62Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Thread-safe.
std::string GenerateShortCode();

// The code built from `next_byte`, which must return independent, uniformly random bytes;
// GenerateShortCode feeds it the CSPRNG. Exposed so that tests can choose the bytes.
std::string ShortCodeFromRandomBytes(const std::function<unsigned char()>& next_byte);

// True when `segment` could name a link at all (a generated code or an alias): 1 to 64 characters
// of [A-Za-z0-9_-]. The redirect path uses it to refuse junk without touching the cache or the
// store.
bool LooksLikeLinkCode(std::string_view segment);

}  // namespace hop
