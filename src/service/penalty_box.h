// PenaltyBox: the client addresses that ran out of their scan budget, and until when, as one HTTP
// worker knows them.
//
// A client that keeps asking for codes that do not exist is walking the code space. Once its scan
// bucket (rate_limits.h) is empty it is held here and every redirect it asks for, a link that
// exists included, answers 429 until the bucket has a token again; otherwise the 429s would only
// be 404s under another name and hits would still come back at full speed. Each worker keeps its
// own box, filled by messages from whichever worker saw the address run out, so the redirect path
// reads it without a lock; an empty box (nobody scanning) costs one comparison.
//
// Thread-safety: none; each instance belongs to one worker thread.
#pragma once

#include <cstddef>
#include <optional>
#include <unordered_map>

#include "core/client_address.h"
#include "core/clock.h"

namespace hop {

class PenaltyBox {
 public:
  explicit PenaltyBox(size_t capacity) : capacity_(capacity) {}
  PenaltyBox(const PenaltyBox&) = delete;
  PenaltyBox& operator=(const PenaltyBox&) = delete;

  bool empty() const { return held_.empty(); }

  // Until when `address` (its LimitPrefix) is held, if it is held at `now`.
  std::optional<TimePoint> HeldUntil(const ClientAddress& address, TimePoint now);

  // Holds `address` (its LimitPrefix) until `until`; a later time extends the hold. When the box
  // is full, the hold that ends first makes room.
  void Hold(const ClientAddress& address, TimePoint until);

  size_t size() const { return held_.size(); }  // for tests

 private:
  struct Hash {
    size_t operator()(const ClientAddress& address) const;
  };

  void ReleaseExpired(TimePoint now);

  const size_t capacity_;
  std::unordered_map<ClientAddress, TimePoint, Hash> held_;
  TimePoint next_sweep_{};
};

}  // namespace hop
