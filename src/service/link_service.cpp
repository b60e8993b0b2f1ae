#include "service/link_service.h"

#include <mutex>

#include "core/alias.h"

namespace hop {

namespace {

// The same answer the store gives for a code nobody has: a link of another key must not be told
// apart from a missing one.
Status NotFound(std::string_view code) {
  return Status::Error(ErrorCode::kNotFound, "no link has the code \"" + std::string(code) + "\"");
}

// Only creating is ever open to anonymous callers; the router lets nothing else through, and this
// keeps a mistake there from reading or changing every link.
Status NeedsKey() { return Status::Error(ErrorCode::kUnauthorized, "this call needs an API key"); }

}  // namespace

LinkService::LinkService(Store& store, const Clock& clock, TargetUrlPolicy url_policy,
                         const LinkEvents& events)
    : store_(store),
      clock_(clock),
      events_(events),
      policy_(std::move(url_policy)),
      creator_(store, clock, events) {}

Status LinkService::CheckExpiry(const std::optional<TimePoint>& expires_at) const {
  if (expires_at && *expires_at <= clock_.Now()) {
    return Status::Error(ErrorCode::kInvalidRequest, "expires_at must be in the future");
  }
  return Status::Ok();
}

Result<LinkToCreate> LinkService::Check(CreateLinkRequest request, const Principal& caller) const {
  LinkToCreate link{.alias = std::move(request.alias), .fields = std::move(request.fields)};
  link.fields.owner_key_id = caller.key_id;
  Result<std::string> url = NormalizeTargetUrl(link.fields.url, policy_);
  if (!url.ok()) return url.status();
  link.fields.url = std::move(url).value();
  if (Status s = ValidateLinkFields(link.fields); !s.ok()) return s;
  if (Status s = CheckExpiry(link.fields.expires_at); !s.ok()) return s;
  if (link.alias) {
    if (Status s = ValidateAlias(*link.alias); !s.ok()) return s;
  }
  return link;
}

void LinkService::Create(std::vector<Result<CreateLinkRequest>> requests, const Principal& caller,
                         CreateDone done) {
  std::vector<LinkToCreate> valid;
  std::vector<size_t> valid_at;       // the position of each valid request
  std::vector<Result<Link>> results;  // the refusals in place; empty while every request is valid
  valid.reserve(requests.size());
  valid_at.reserve(requests.size());
  std::shared_lock policy_lock(policy_mutex_);
  for (size_t i = 0; i < requests.size(); ++i) {
    Result<LinkToCreate> link = requests[i].ok() ? Check(std::move(requests[i]).value(), caller)
                                                 : Result<LinkToCreate>(requests[i].status());
    if (link.ok()) {
      valid.push_back(std::move(link).value());
      valid_at.push_back(i);
      continue;
    }
    if (results.empty()) {
      results.assign(requests.size(), Status::Error(ErrorCode::kInternal, "not created"));
    }
    results[i] = link.status();
  }
  // Submitted under the lock: SetBlockedHosts relies on finding every checked create queued.
  if (results.empty()) return creator_.Submit(std::move(valid), std::move(done));
  if (valid.empty()) {
    policy_lock.unlock();
    return done(std::move(results));
  }
  creator_.Submit(std::move(valid),
                  [results = std::move(results), valid_at = std::move(valid_at),
                   done = std::move(done)](std::vector<Result<Link>> created) mutable {
                    for (size_t j = 0; j < created.size(); ++j)
                      results[valid_at[j]] = std::move(created[j]);
                    done(std::move(results));
                  });
}

Result<Link> LinkService::Get(std::string_view code, const Principal& caller) {
  if (caller.anonymous()) return NeedsKey();
  Result<Link> link = store_.FindLink(code);
  if (!link.ok()) return link;
  if (!caller.Sees(link.value())) return NotFound(code);
  if (Status s = CountAllClicks({&link.value(), 1}); !s.ok()) return s;
  return link;
}

// The store's link rows count the clicks rolled up so far, which is what makes them cost nothing to
// read (the redirect path reads links too); the links the service answers with count them all.
Status LinkService::CountAllClicks(std::span<Link> links) {
  std::vector<int64_t> ids;
  ids.reserve(links.size());
  for (const Link& link : links) ids.push_back(link.id);
  Result<std::vector<ClickTotals>> totals = store_.ReadAllTimeClicks(ids);
  if (!totals.ok()) return totals.status();
  for (size_t i = 0; i < links.size(); ++i) {
    // A link deleted since it was read counts nothing: keep what the read said.
    if (totals.value()[i].total + totals.value()[i].bot_total == 0) continue;
    links[i].total_clicks = totals.value()[i].total;
    links[i].bot_clicks = totals.value()[i].bot_total;
  }
  return Status::Ok();
}

Result<Link> LinkService::Update(std::string_view code, LinkPatch patch, const Principal& caller) {
  if (caller.anonymous()) return NeedsKey();
  std::shared_lock policy_lock(policy_mutex_);
  if (patch.url) {
    Result<std::string> url = NormalizeTargetUrl(*patch.url, policy_);
    if (!url.ok()) return url.status();
    patch.url = std::move(url).value();
  }
  if (Status s = ValidateLinkPatch(patch); !s.ok()) return s;
  if (patch.expires_at) {
    if (Status s = CheckExpiry(*patch.expires_at); !s.ok()) return s;
  }
  if (Status s = CheckEnabling(code, patch, caller); !s.ok()) return s;
  Result<Link> link = store_.UpdateLink(code, patch, clock_.Now(), caller.OwnerFilter());
  if (!link.ok()) return link;
  events_.Publish(link.value().code);
  if (Status s = CountAllClicks({&link.value(), 1}); !s.ok()) return s;
  return link;
}

// A link disabled because its host was blocked must not come back by a patch that only says
// "disabled": false. A patch that also changes the URL has had the new one checked already.
Status LinkService::CheckEnabling(std::string_view code, const LinkPatch& patch,
                                  const Principal& caller) {
  const bool enables = patch.disabled.has_value() && !*patch.disabled;
  if (!enables || patch.url) return Status::Ok();
  Result<Link> link = Get(code, caller);
  if (!link.ok()) return link.status();
  Result<std::string> url = NormalizeTargetUrl(link.value().fields.url, policy_);
  return url.ok() ? Status::Ok() : url.status();
}

Status LinkService::Delete(std::string_view code, const Principal& caller) {
  if (caller.anonymous()) return NeedsKey();
  Status status = store_.DeleteLink(code, caller.OwnerFilter());
  if (status.ok()) events_.Publish(std::string(code));
  return status;
}

Result<LinkPage> LinkService::List(LinkQuery query, const Principal& caller) {
  if (caller.anonymous()) return NeedsKey();
  query.owner_key_id = caller.OwnerFilter();
  Result<LinkPage> page = store_.ListLinks(query);
  if (!page.ok()) return page;
  if (Status s = CountAllClicks(page.value().links); !s.ok()) return s;
  return page;
}

Result<size_t> LinkService::SetBlockedHosts(std::vector<std::string> hosts) {
  std::unique_lock policy_lock(policy_mutex_);
  // Creates are checked under the shared lock, so every one checked against the old list is
  // queued by now; once written, the store's disabling below finds its link too.
  creator_.Drain();
  policy_.blocked_hosts = std::move(hosts);
  Result<std::vector<std::string>> codes =
      store_.DisableLinksToHosts(policy_.blocked_hosts, clock_.Now());
  if (!codes.ok()) return codes.status();
  for (const std::string& code : codes.value()) events_.Publish(code);
  return codes.value().size();
}

}  // namespace hop
