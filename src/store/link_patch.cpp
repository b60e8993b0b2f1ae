// Applying a LinkPatch.
#include "store/link_patch.h"

namespace hop {

void ApplyLinkPatch(const LinkPatch& patch, TimePoint now, Link& link) {
  LinkFields& fields = link.fields;
  if (patch.url) fields.url = *patch.url;
  if (patch.title) fields.title = *patch.title;
  if (patch.tags) fields.tags = *patch.tags;
  if (patch.expires_at) fields.expires_at = *patch.expires_at;
  if (patch.max_visits) fields.max_visits = *patch.max_visits;
  if (patch.redirect_status) fields.redirect_status = *patch.redirect_status;
  if (patch.forward_query) fields.forward_query = *patch.forward_query;
  if (patch.disabled) link.disabled = *patch.disabled;
  link.updated_at = now;
}

}  // namespace hop
