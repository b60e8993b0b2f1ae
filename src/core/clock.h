// Clock: where hop reads the time.
//
// Stats windows, link expiry and timestamps all depend on "now"; taking it from an injected Clock lets the
// tests move time by days in a microsecond instead of sleeping. Implementations are safe for concurrent use
// from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace hop {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Millis>;

class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  // Wall-clock time, UTC.
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  }
};

// A clock that only moves when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}

  TimePoint Now() const override { return TimePoint(Millis(now_.load())); }
  void Set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
  void Advance(Millis d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_;
};

// Whole minutes since the Unix epoch: the unit clicks are stamped with.
inline int64_t MinuteOf(TimePoint t) {
  return std::chrono::floor<std::chrono::minutes>(t).time_since_epoch().count();
}

inline int64_t ToUnixMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromUnixMillis(int64_t ms) { return TimePoint(Millis(ms)); }

}  // namespace hop
