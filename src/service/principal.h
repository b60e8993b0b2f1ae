// Principal: who is calling the API, as authentication established it, and which links that
// caller may see.
//
// An admin key sees every link; a user key sees only the links it created; an anonymous caller
// (only ever let through to create links, and only with --allow-anonymous-create) sees none. A
// link the caller may not see is answered exactly as a link that does not exist, so that nobody
// can probe which codes other keys use.
#pragma once

#include <cstdint>
#include <optional>

#include "core/api_key.h"
#include "core/link.h"

namespace hop {

struct Principal {
  std::optional<int64_t> key_id;  // none: anonymous
  Role role = Role::kUser;
  ScopeSet scopes = ScopeSet::None();

  static Principal Anonymous() { return Principal{}; }
  static Principal Of(const ApiKey& key) { return Principal{key.id, key.role, key.scopes}; }

  bool anonymous() const { return !key_id; }
  bool SeesAllLinks() const { return key_id && role == Role::kAdmin; }
  bool Sees(const Link& link) const {
    return SeesAllLinks() || (key_id && link.fields.owner_key_id == key_id);
  }
  // The owner a store call must be limited to: none for an admin (every link), the key itself
  // for a user. REQUIRES: !anonymous().
  std::optional<int64_t> OwnerFilter() const { return SeesAllLinks() ? std::nullopt : key_id; }
};

}  // namespace hop
