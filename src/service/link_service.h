// LinkService: the use cases that create, read, change and delete links.
//
// It validates and normalizes what a client sent (core rules), writes through to the store (an Ok
// means committed, so a 201 survives a crash) and publishes every change to LinkEvents so that
// redirect caches never serve a stale answer after the change is acknowledged. Every call acts for
// a Principal: a link the caller may not see answers kNotFound, exactly as a missing one
// (principal.h). The links it returns count every click written so far in their totals, not only
// those the store has rolled up (store.h).
//
// Creates are asynchronous: they are validated on the caller's thread, then written by the
// service's LinkCreator together with every other create waiting (link_creator.h), and completed
// from its thread after the commit. The other calls are synchronous.
//
// The block list can be replaced while serving (SIGHUP): the links already pointing at a newly
// blocked host are disabled, and a replacement waits for the creates and updates in flight, so
// none of them can slip a link to a blocked host past it.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/link.h"
#include "core/status.h"
#include "core/target_url.h"
#include "service/link_creator.h"
#include "service/link_events.h"
#include "service/principal.h"
#include "store/store.h"

namespace hop {

// A create request as the client sent it: the URL not yet normalized, the alias not yet checked.
struct CreateLinkRequest {
  std::optional<std::string> alias;
  LinkFields fields;  // fields.url is the raw URL
};

class LinkService {
 public:
  // One result per create request, in their order.
  using CreateDone = LinkCreator::Done;

  LinkService(Store& store, const Clock& clock, TargetUrlPolicy url_policy,
              const LinkEvents& events);

  // Creates a link for each request, owned by the caller's key (none when anonymous): all are
  // checked now, and the valid ones are written together, in one transaction unless a generated
  // code must be retried. A request that could not even be parsed comes as its error, which is
  // its result. `done` is called exactly once, with a result per request in their order: at once,
  // on the calling thread, when none is valid; otherwise on the creator's thread, after the
  // commit (see LinkCreator for what it may do there). Per request: kInvalidUrl / kBlockedUrl /
  // kInvalidAlias / kReservedAlias / kInvalidRequest for bad input, kAliasTaken when the alias
  // exists, store errors as they come.
  void Create(std::vector<Result<CreateLinkRequest>> requests, const Principal& caller,
              CreateDone done);

  // Writes and completes every create submitted, then refuses new ones (kStoreUnavailable): for a
  // server that stops, once its connections are done. Also done by the destructor.
  void FinishCreates() { creator_.Stop(); }

  // The creator's counters, for metrics (see LinkCreator).
  const LinkCreator& creator() const { return creator_; }

  // kNotFound when no link has `code` that the caller may see.
  Result<Link> Get(std::string_view code, const Principal& caller);

  // `patch.url`, when set, is the raw URL. Errors as Create, plus kNotFound; kBlockedUrl when the
  // patch enables a link whose URL is on the block list.
  Result<Link> Update(std::string_view code, LinkPatch patch, const Principal& caller);

  Status Delete(std::string_view code, const Principal& caller);

  // The caller's links (every link for an admin); `query.owner_key_id` is set here.
  Result<LinkPage> List(LinkQuery query, const Principal& caller);

  // Replaces the block list with `hosts` (normalized, see core/block_list.h) and disables every
  // link to one of them or to a subdomain, forgetting those links in every cache. Returns how many
  // links point at blocked hosts. On a store error the new list is in force for creates anyway,
  // and the call may be repeated.
  Result<size_t> SetBlockedHosts(std::vector<std::string> hosts);

 private:
  // REQUIRES: policy_mutex_ held.
  Result<LinkToCreate> Check(CreateLinkRequest request, const Principal& caller) const;
  Status CountAllClicks(std::span<Link> links);
  Status CheckExpiry(const std::optional<TimePoint>& expires_at) const;
  // REQUIRES: policy_mutex_ held.
  Status CheckEnabling(std::string_view code, const LinkPatch& patch, const Principal& caller);

  Store& store_;
  const Clock& clock_;
  const LinkEvents& events_;
  // Shared by creates and updates for as long as they check and write a URL; exclusive while the
  // block list is replaced.
  std::shared_mutex policy_mutex_;
  TargetUrlPolicy policy_;  // guarded by policy_mutex_
  LinkCreator creator_;
};

}  // namespace hop
