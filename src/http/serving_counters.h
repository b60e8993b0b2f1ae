// ServingCounters: what one worker answered, counted without slowing down the redirect path.
//
// Each worker owns one and is its only writer, so a count is a relaxed load and store: no locked
// instruction, and a cache line no other thread writes. GET /metrics reads every worker's counters
// from another thread, whenever it is scraped, and sums them; a value read during a count is the
// one before it.
//
// Thread-safety: Count* from the owning worker's thread only; the getters from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace hop {

class alignas(64) ServingCounters {
 public:
  // A redirect is a 3xx response too; responses(3) includes it without a second count on the hot
  // path.
  void CountRedirect() { Bump(redirects_); }
  void CountResponse(int status) { Bump(responses_[ClassOf(status)]); }

  uint64_t redirects() const { return redirects_.load(std::memory_order_relaxed); }
  // Responses whose status is in [100 * status_class, 100 * status_class + 99]. REQUIRES: 1..5.
  uint64_t responses(int status_class) const {
    const uint64_t counted = responses_[status_class].load(std::memory_order_relaxed);
    return status_class == 3 ? counted + redirects() : counted;
  }

 private:
  static void Bump(std::atomic<uint64_t>& counter) {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  static int ClassOf(int status) { return status >= 100 && status < 600 ? status / 100 : 5; }

  std::atomic<uint64_t> redirects_{0};
  std::array<std::atomic<uint64_t>, 6> responses_{};  // by status / 100; [0] unused
};

}  // namespace hop
