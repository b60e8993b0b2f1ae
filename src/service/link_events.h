// LinkEvents: tells every cache that a link changed.
//
// Each HTTP worker keeps its own cache of links (so a redirect hit takes no lock); when a link is
// created, changed or deleted, every worker must forget what it knew about that code, including a
// cached "not found". The service publishes here after the store has committed, and so does the
// store's change feed for changes other instances made; when the feed may have missed some (it lost
// its connection to the database), it publishes that everything changed, and every cache forgets
// all it holds. Subscribers (the workers) decide how to deliver each event to their thread.
//
// Thread-safety: Subscribe only before serving starts; Publish* from any thread afterwards.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace hop {

class LinkEvents {
 public:
  struct Subscriber {
    std::function<void(std::span<const std::string> codes)> changed;
    std::function<void()> all_changed;
  };

  void Subscribe(Subscriber subscriber) { subscribers_.push_back(std::move(subscriber)); }

  void Publish(const std::string& code) const { Publish(std::span(&code, 1)); }

  // The codes of many links at once, such as all those one batch of creates wrote: each subscriber
  // hears of them in one call, so a worker is woken once for them rather than once for each.
  void Publish(std::span<const std::string> codes) const {
    for (const auto& subscriber : subscribers_) subscriber.changed(codes);
  }

  void PublishAllChanged() const {
    for (const auto& subscriber : subscribers_) subscriber.all_changed();
  }

 private:
  std::vector<Subscriber> subscribers_;
};

}  // namespace hop
