// Target URL validation and normalization.
//
// The steps, in order: refuse what no amount of escaping makes safe (length, spaces, control
// characters); escape what people paste but RFC 3986 forbids (non-ASCII bytes, '|', '{', a stray
// '%'), so that an IRI copied from a browser's address bar works; parse with Boost.URL; check the
// scheme and authority; normalize the host ourselves (decode, lower-case, IDNA to punycode) because
// every later check, including the block list, must see the one spelling a browser would resolve.
#include "core/target_url.h"

#include <idn2.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <optional>

#include <boost/url.hpp>

#include "core/ascii.h"

namespace hop {
namespace {

namespace urls = boost::urls;

Status InvalidUrl(std::string detail) {
  return Status::Error(ErrorCode::kInvalidUrl, std::move(detail));
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

void AppendEscaped(unsigned char c, std::string* out) {
  constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('%');
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

// Where the authority of "scheme://authority..." ends, or 0 when `raw` has no authority.
size_t AuthorityEnd(std::string_view raw) {
  size_t colon = raw.find(':');
  if (colon == std::string_view::npos || raw.substr(colon + 1, 2) != "//") return 0;
  size_t end = raw.find_first_of("/?#", colon + 3);
  return end == std::string_view::npos ? raw.size() : end;
}

// A '%' that does not start a percent-encoded triplet, as in "?q=100%".
bool IsStrayPercent(std::string_view raw, size_t i) {
  return raw[i] == '%' &&
         (i + 2 >= raw.size() || !IsHexDigit(raw[i + 1]) || !IsHexDigit(raw[i + 2]));
}

// Percent-encodes non-ASCII bytes everywhere (the host's are decoded again for IDNA), and after the
// authority also the ASCII characters RFC 3986 forbids but browsers send as typed. '[' and ']' stay
// as they are in the authority, where they enclose an IPv6 address. A backslash is not escaped:
// browsers read it as '/', so either spelling would change where the link goes; the parser refuses
// it instead.
std::string EscapeForParsing(std::string_view raw) {
  constexpr std::string_view kEscapedAfterAuthority = "\"<>^`{|}[]";
  size_t authority_end = AuthorityEnd(raw);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    bool escape = c >= 0x80;
    if (i >= authority_end) {
      escape = escape || kEscapedAfterAuthority.find(raw[i]) != std::string_view::npos ||
               IsStrayPercent(raw, i);
    }
    if (escape) {
      AppendEscaped(c, &out);
    } else {
      out.push_back(raw[i]);
    }
  }
  return out;
}

// An IDN host in its ASCII form. IDNA 2008 (non-transitional) first; UTS #46 transitional
// processing as a fallback, for the few names IDNA 2008 refuses but browsers still resolve (those
// with symbols or emoji).
std::optional<std::string> ToPunycode(const std::string& host) {
  for (int flags : {IDN2_NONTRANSITIONAL, IDN2_TRANSITIONAL}) {
    char* ascii = nullptr;
    if (idn2_to_ascii_8z(host.c_str(), &ascii, IDN2_NFC_INPUT | flags) == IDN2_OK) {
      std::string result = ToLowerAscii(ascii);
      idn2_free(ascii);
      return result;
    }
  }
  return std::nullopt;
}

// Letters, digits, '-', '_' and '.', with no empty label except a final one (the root: "example.").
bool IsHostName(std::string_view host) {
  if (host.empty() || host.front() == '.' || host.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

// A name whose last label is digits only ("²6.0.0.2.2.2" once mapped to ASCII) is an IPv4 address
// or nothing, as browsers read it (the WHATWG URL standard's "ends in a number"): written in ASCII,
// the parser would have read it as an address, so as a name it is refused.
bool EndsInANumber(std::string_view host) {
  if (host.ends_with('.')) host.remove_suffix(1);
  const std::string_view last = host.substr(host.rfind('.') + 1);
  return !last.empty() &&
         std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A name mapped to ASCII must read as that same name once written in ASCII: "².0.2.2n2" maps to
// "2.0.2.2n2", which the parser reads as the address 2.0.2.2 followed by junk, and refuses.
bool ReadsAsName(std::string_view ascii_host) {
  const urls::result<urls::authority_view> authority = urls::parse_authority(ascii_host);
  return authority && authority->host_type() == urls::host_type::name &&
         authority->encoded_host() == ascii_host && !authority->has_port();
}

// The host of `url` in normal form: IPv6 compressed in brackets, a name decoded, lower-cased and in
// punycode. nullopt when there is no usable host.
std::optional<std::string> NormalHost(urls::url_view url) {
  switch (url.host_type()) {
    case urls::host_type::ipv4:
      return url.host_ipv4_address().to_string();
    case urls::host_type::ipv6:
      return "[" + url.host_ipv6_address().to_string() + "]";
    case urls::host_type::name: {
      std::string host = ToLowerAscii(url.host());
      bool ascii = std::all_of(host.begin(), host.end(),
                               [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      std::optional<std::string> normal = ascii ? std::optional(host) : ToPunycode(host);
      if (!normal || !IsHostName(*normal) || EndsInANumber(*normal)) return std::nullopt;
      if (!ascii && !ReadsAsName(*normal)) return std::nullopt;
      return normal;
    }
    case urls::host_type::none:
    case urls::host_type::ipvfuture:
      return std::nullopt;
  }
  return std::nullopt;
}

// The host as the own-host and block-list checks compare it: "example.com." is "example.com".
std::string_view WithoutRootDot(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return host;
}

bool IsSameOrSubdomain(std::string_view host, std::string_view domain) {
  if (domain.empty() || host.size() < domain.size()) return false;
  if (host.size() == domain.size()) return host == domain;
  return host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.';
}

// Drops an empty or default port and writes others without leading zeros. The grammar has already
// made the port all digits.
Status NormalizePort(urls::url* url) {
  if (!url->has_port()) return Status::Ok();
  std::string_view digits = url->port();
  if (digits.empty()) {
    url->remove_port();
    return Status::Ok();
  }
  digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size() - 1));
  uint32_t port = 0;
  if (digits.size() <= 5) std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (port == 0 || port > 65535) {
    return InvalidUrl("URL port must be a number from 1 to 65535, not \"" +
                      std::string(url->port()) + "\"");
  }
  bool is_default =
      (url->scheme() == "http" && port == 80) || (url->scheme() == "https" && port == 443);
  if (is_default) {
    url->remove_port();
  } else {
    url->set_port_number(static_cast<uint16_t>(port));
  }
  return Status::Ok();
}

Status CheckAuthority(const urls::url& url) {
  if (!url.has_authority() || url.encoded_host().empty()) {
    return InvalidUrl("URL must name a host, as in https://example.com/");
  }
  // Boost.URL 1.81 ends the port at its first non-digit and reads the rest ("abc" in "host:abc/")
  // as a path without the '/' that RFC 3986 requires after an authority.
  if (!url.encoded_path().empty() && url.encoded_path().front() != '/') {
    return InvalidUrl("URL port must be a number from 1 to 65535");
  }
  if (url.has_userinfo()) {
    return InvalidUrl(
        "URL must not contain user info (\"name@\" before the host): it is a common way to "
        "disguise where a link leads");
  }
  return Status::Ok();
}

Status CheckPolicy(std::string_view host, const TargetUrlPolicy& policy) {
  std::string_view bare = WithoutRootDot(host);
  if (!policy.own_host.empty() && bare == WithoutRootDot(policy.own_host)) {
    return InvalidUrl("URL must not point to this shortener's own host \"" + std::string(bare) +
                      "\": the link would redirect to itself");
  }
  for (const std::string& blocked : policy.blocked_hosts) {
    if (IsSameOrSubdomain(bare, WithoutRootDot(blocked))) {
      return Status::Error(ErrorCode::kBlockedUrl,
                           "URL host \"" + std::string(bare) + "\" is on this server's block list");
    }
  }
  return Status::Ok();
}

// The characters RFC 3986 allows after the authority as they are, '%' aside: unreserved,
// sub-delims, ':', '@', '/' and '?'.
constexpr std::array<bool, 256> kPlainAfterAuthority = [] {
  std::array<bool, 256> plain{};
  for (unsigned char c : std::string_view("-._~!$&'()*+,;=:@/?")) plain[c] = true;
  for (unsigned char c = '0'; c <= '9'; ++c) plain[c] = true;
  for (unsigned char c = 'a'; c <= 'z'; ++c) plain[c] = plain[c - 'a' + 'A'] = true;
  return plain;
}();

// Whether the path, query and fragment of a URL (from the end of its authority on) are as
// normalizing leaves them: nothing to escape and nothing the parser refuses.
bool IsPlainAfterAuthority(std::string_view rest) {
  if (!rest.empty() && rest.front() != '/' && rest.front() != '?' && rest.front() != '#') {
    return false;
  }
  bool in_fragment = false;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (kPlainAfterAuthority[static_cast<unsigned char>(c)]) continue;
    if (c == '%' && !IsStrayPercent(rest, i)) continue;
    if (c == '#' && !in_fragment) {
      in_fragment = true;
      continue;
    }
    return false;
  }
  return true;
}

// The host of a URL that normalizing would return unchanged, found without parsing it: "http://" or
// "https://", a host name in lower case that starts with a letter, no user info and no port, then
// a plain path, query and fragment. nullopt for any other URL, which may still be valid. Most
// targets are of this kind, and the check costs a tenth of the parse: a bulk create normalizes a
// thousand of them. A host that starts with a digit is left to the parser, which reads an IPv4
// address at its start ("192.0.2.1.example") and then refuses the rest.
std::optional<std::string_view> HostOfNormalUrl(std::string_view raw) {
  std::string_view rest;
  if (raw.starts_with("https://")) {
    rest = raw.substr(8);
  } else if (raw.starts_with("http://")) {
    rest = raw.substr(7);
  } else {
    return std::nullopt;
  }
  const std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  const bool starts_with_letter = !host.empty() && host.front() >= 'a' && host.front() <= 'z';
  if (!starts_with_letter || !IsHostName(host) || EndsInANumber(host) ||
      !IsPlainAfterAuthority(rest.substr(host.size()))) {
    return std::nullopt;
  }
  return host;
}

}  // namespace

Result<std::string> NormalizeTargetUrl(std::string_view raw, const TargetUrlPolicy& policy) {
  if (std::optional<std::string_view> host = HostOfNormalUrl(raw);
      host && raw.size() <= kMaxTargetUrlBytes) {
    if (Status s = CheckPolicy(*host, policy); !s.ok()) return s;
    return std::string(raw);
  }
  return NormalizeTargetUrlByParsing(raw, policy);
}

Result<std::string> NormalizeTargetUrlByParsing(std::string_view raw,
                                                const TargetUrlPolicy& policy) {
  if (raw.size() > kMaxTargetUrlBytes) {
    return InvalidUrl("URL must be at most 8192 bytes long, not " + std::to_string(raw.size()));
  }
  if (raw.find(' ') != std::string_view::npos || HasControlCharacter(raw)) {
    return InvalidUrl("URL must not contain spaces or control characters; percent-encode them");
  }
  std::string escaped = EscapeForParsing(raw);
  urls::result<urls::url_view> parsed = urls::parse_uri(escaped);
  if (!parsed) {
    return InvalidUrl("URL must be absolute and well-formed, as in https://example.com/page");
  }
  urls::url url(*parsed);
  url.normalize_scheme();
  if (url.scheme() != "http" && url.scheme() != "https") {
    return InvalidUrl("URL must use http or https, not \"" + std::string(url.scheme()) + "\"");
  }
  if (Status s = CheckAuthority(url); !s.ok()) return s;
  url.normalize_authority();
  std::optional<std::string> host = NormalHost(url);
  if (!host) {
    return InvalidUrl("URL host \"" + std::string(parsed->encoded_host()) +
                      "\" is not a valid host name or address");
  }
  url.set_encoded_host(*host);
  if (Status s = NormalizePort(&url); !s.ok()) return s;
  if (Status s = CheckPolicy(*host, policy); !s.ok()) return s;
  if (url.buffer().size() > kMaxTargetUrlBytes) {
    return InvalidUrl("URL must be at most 8192 bytes long once normalized, not " +
                      std::to_string(url.buffer().size()));
  }
  return std::string(url.buffer());
}

std::string HostOfUrl(std::string_view url) {
  std::string escaped = EscapeForParsing(url);
  urls::result<urls::url_view> parsed = urls::parse_uri(escaped);
  // The authority checked as a target's is: "1.2.3.4.5" must not pass for the address 1.2.3.4.
  if (!parsed || !CheckAuthority(urls::url(*parsed)).ok()) return "";
  return NormalHost(*parsed).value_or("");
}

}  // namespace hop
