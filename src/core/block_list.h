// The block list: target hosts an operator refuses, as written in the --block-list file.
//
// One host per line; '#' starts a comment; blank lines are skipped. A host blocks its subdomains
// too (see TargetUrlPolicy). Each entry is normalized the way target URLs are (lower case, an IDN
// to punycode, a trailing root dot dropped), so "Bücher.example." blocks the same links as
// "xn--bcher-kva.example". An IPv6 address may be written with or without brackets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hop {

// The normalized hosts of a block list file's text, in file order, without duplicates.
// kInvalidRequest naming the first line that is not a host (a URL, a path, a port, ...), so that
// a typo does not silently leave a host unblocked.
Result<std::vector<std::string>> ParseBlockList(std::string_view text);

}  // namespace hop
