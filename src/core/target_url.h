// Target URLs: the rules a link's destination must satisfy, and its normal form.
//
// A target is an absolute http or https URL with a host, at most 8 KiB. It is normalized before it is
// stored, so that equal destinations compare equal: scheme and host lower-cased, an IDN host converted to
// punycode (IDNA 2008, via libidn2), non-ASCII bytes in path, query and fragment percent-encoded, the
// scheme's default port dropped. Path, query and fragment are otherwise kept byte for byte: servers are
// free to treat them case-sensitively.
//
// Refused: other schemes (javascript:, data:, file:, ...), relative references, user-info
// ("https://paypal.com@evil.example/" is a phishing trick), whitespace and control characters, a target on
// hop's own host (it would redirect to itself), and hosts on the block list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hop {

inline constexpr size_t kMaxTargetUrlBytes = 8192;

struct TargetUrlPolicy {
  // Lower-case host of hop's own base URL, without port; targets on it are refused.
  std::string own_host;
  // Lower-case hosts whose targets are refused with kBlockedUrl; a host blocks its subdomains too.
  std::vector<std::string> blocked_hosts;
};

// The normalized URL, or kInvalidUrl / kBlockedUrl with a detail that names the rule.
Result<std::string> NormalizeTargetUrl(std::string_view raw, const TargetUrlPolicy& policy);

// The same answer, always by parsing `raw`: NormalizeTargetUrl returns a URL already in normal form
// without parsing it, and the tests and the fuzzer hold that shortcut to this.
Result<std::string> NormalizeTargetUrlByParsing(std::string_view raw,
                                                const TargetUrlPolicy& policy);

// The lower-case host of an absolute URL (the base URL, say), or "" when it has none.
std::string HostOfUrl(std::string_view url);

}  // namespace hop
