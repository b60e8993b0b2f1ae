// The first admin key: how a new installation gets its first credential without a manual step.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace hop {

// When the store has no API key at all (revoked ones count), creates the admin key "admin" and
// writes it to <data_dir>/admin.key, readable by this user only; returns that path. Returns ""
// when the store has keys already, or when another instance on the same store created the first
// key at the same moment (its own data dir has it then). The file is written before the key is
// stored, and renamed into place after, so a failure never leaves a stored key nobody can read.
Result<std::string> EnsureAdminKey(Store& store, const Clock& clock, const std::string& data_dir);

}  // namespace hop
