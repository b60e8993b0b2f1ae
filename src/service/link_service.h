// LinkService: the use cases that create, read, change and delete links.
//
// It validates and normalizes what a client sent (core rules), generates codes, writes through to
// the store (a returned Ok means committed, so a 201 survives a crash) and publishes every change
// to LinkEvents so that redirect caches never serve a stale answer after the change is
// acknowledged.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/link.h"
#include "core/status.h"
#include "core/target_url.h"
#include "service/link_events.h"
#include "store/store.h"

namespace hop {

// A create request as the client sent it: the URL not yet normalized, the alias not yet checked.
struct CreateLinkRequest {
  std::optional<std::string> alias;
  LinkFields fields;  // fields.url is the raw URL
};

class LinkService {
 public:
  LinkService(Store& store, const Clock& clock, TargetUrlPolicy url_policy,
              const LinkEvents& events);

  // kInvalidUrl / kBlockedUrl / kInvalidAlias / kReservedAlias / kInvalidRequest for bad input,
  // kAliasTaken when the alias exists, store errors as they come.
  Result<Link> Create(const CreateLinkRequest& request);

  // kNotFound when no link has `code`.
  Result<Link> Get(std::string_view code);

  // `patch.url`, when set, is the raw URL. Errors as Create, plus kNotFound.
  Result<Link> Update(std::string_view code, LinkPatch patch);

  Status Delete(std::string_view code);

  Result<LinkPage> List(const LinkQuery& query);

 private:
  Result<Link> CreateWithGeneratedCode(const LinkFields& fields);
  Status CheckExpiry(const std::optional<TimePoint>& expires_at) const;

  Store& store_;
  const Clock& clock_;
  const TargetUrlPolicy url_policy_;
  const LinkEvents& events_;
};

}  // namespace hop
