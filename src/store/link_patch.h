// Applying a LinkPatch to a Link: the update semantics both stores share.
//
// A store reads the link, applies the patch here, and writes the patchable columns back in the same
// transaction; keeping the rule in one place means "absent leaves alone, engaged-but-empty clears"
// cannot differ between SQLite and PostgreSQL.
#pragma once

#include "core/clock.h"
#include "core/link.h"

namespace hop {

// Sets every engaged member of `patch` on `link` and its updated_at to `now`.
void ApplyLinkPatch(const LinkPatch& patch, TimePoint now, Link& link);

}  // namespace hop
