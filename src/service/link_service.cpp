#include "service/link_service.h"

#include "core/alias.h"
#include "core/short_code.h"

namespace hop {

namespace {

// With 62^7 codes, even a store of a billion links makes a random code collide with probability
// 3e-4; eight collisions in a row mean something other than bad luck.
constexpr int kMaxCodeAttempts = 8;

}  // namespace

LinkService::LinkService(Store& store, const Clock& clock, TargetUrlPolicy url_policy,
                         const LinkEvents& events)
    : store_(store), clock_(clock), url_policy_(std::move(url_policy)), events_(events) {}

Status LinkService::CheckExpiry(const std::optional<TimePoint>& expires_at) const {
  if (expires_at && *expires_at <= clock_.Now()) {
    return Status::Error(ErrorCode::kInvalidRequest, "expires_at must be in the future");
  }
  return Status::Ok();
}

Result<Link> LinkService::Create(const CreateLinkRequest& request) {
  LinkFields fields = request.fields;
  Result<std::string> url = NormalizeTargetUrl(fields.url, url_policy_);
  if (!url.ok()) return url.status();
  fields.url = std::move(url).value();
  if (Status s = ValidateLinkFields(fields); !s.ok()) return s;
  if (Status s = CheckExpiry(fields.expires_at); !s.ok()) return s;

  if (!request.alias) return CreateWithGeneratedCode(fields);
  if (Status s = ValidateAlias(*request.alias); !s.ok()) return s;
  Result<Link> link = store_.CreateLink(*request.alias, fields, clock_.Now());
  // A cached "not found" for this alias must go, on every worker, before the 201 is seen.
  if (link.ok()) events_.Publish(link.value().code);
  return link;
}

Result<Link> LinkService::CreateWithGeneratedCode(const LinkFields& fields) {
  for (int attempt = 0; attempt < kMaxCodeAttempts; ++attempt) {
    Result<Link> link = store_.CreateLink(GenerateShortCode(), fields, clock_.Now());
    if (link.ok()) {
      events_.Publish(link.value().code);
      return link;
    }
    if (link.status().code() != ErrorCode::kAliasTaken) return link;
  }
  return Status::Error(ErrorCode::kInternal, "could not find a free short code; try again");
}

Result<Link> LinkService::Get(std::string_view code) { return store_.FindLink(code); }

Result<Link> LinkService::Update(std::string_view code, LinkPatch patch) {
  if (patch.url) {
    Result<std::string> url = NormalizeTargetUrl(*patch.url, url_policy_);
    if (!url.ok()) return url.status();
    patch.url = std::move(url).value();
  }
  if (Status s = ValidateLinkPatch(patch); !s.ok()) return s;
  if (patch.expires_at) {
    if (Status s = CheckExpiry(*patch.expires_at); !s.ok()) return s;
  }
  Result<Link> link = store_.UpdateLink(code, patch, clock_.Now());
  if (link.ok()) events_.Publish(link.value().code);
  return link;
}

Status LinkService::Delete(std::string_view code) {
  Status status = store_.DeleteLink(code);
  if (status.ok()) events_.Publish(std::string(code));
  return status;
}

Result<LinkPage> LinkService::List(const LinkQuery& query) { return store_.ListLinks(query); }

}  // namespace hop
