// Host keys: how the stores index a link's target host, so that a blocked domain and all of its
// subdomains are found with index lookups rather than a scan of every link.
//
// The key is the host with its labels in reverse order: "www.example.com" is "com.example.www".
// The links to example.com and its subdomains then have exactly the keys equal to "com.example"
// or starting with "com.example.", one index range, however long the block list. An IPv6 host
// ("[2001:db8::1]") has no labels and is its own key. The SQLite store computes keys here; the
// PostgreSQL schema computes the same keys in SQL (pg_migrations.cpp), and the store contract suite
// holds both to the same answers.
#pragma once

#include <string>
#include <string_view>

namespace hop {

// The key of a host normalized as target URL hosts are; a trailing root dot is ignored.
std::string HostKeyOf(std::string_view host);

// The key of a normalized target URL's host ("" when it has none). REQUIRES: `url` normalized as
// NormalizeTargetUrl does (a lower-case scheme and host).
std::string HostKeyOfUrl(std::string_view url);

// The subdomain keys of `key` are those k with SubdomainKeysBegin(key) <= k <
// SubdomainKeysEnd(key), compared byte by byte: `key` + "." up to `key` + "/", the next byte.
std::string SubdomainKeysBegin(std::string_view key);
std::string SubdomainKeysEnd(std::string_view key);

}  // namespace hop
