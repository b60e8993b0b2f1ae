// LinkResolver: decides what GET /{code} answers.
//
// A hit in the worker's LinkCache is answered from memory; a miss reads the store once and caches
// the answer, "not found" included (for `missing_ttl`, to blunt code scans). Only links with
// max_visits touch the store on every redirect, because their limit is shared by all instances and
// must hold exactly.
//
// Thread-safety: Resolve may be called concurrently, each caller with its own LinkCache.
#pragma once

#include <string_view>

#include "core/clock.h"
#include "service/link_cache.h"
#include "store/store.h"

namespace hop {

enum class Verdict {
  kRedirect,  // `link` is set
  kNotFound,
  kGone,         // disabled, expired, or out of visits
  kUnavailable,  // the store could not be asked; `error` says why
};

struct Resolution {
  Verdict verdict;
  const CachedLink* link = nullptr;  // valid until the cache is next changed
  Status error = Status::Ok();
};

class LinkResolver {
 public:
  LinkResolver(Store& store, Millis missing_ttl);

  // REQUIRES: LooksLikeLinkCode(code).
  Resolution Resolve(std::string_view code, LinkCache& cache, TimePoint now) const;

 private:
  Resolution Load(std::string_view code, LinkCache& cache, int64_t now_ms) const;
  Resolution Judge(const CachedLink& link, int64_t now_ms) const;

  Store& store_;
  const Millis missing_ttl_;
};

}  // namespace hop
