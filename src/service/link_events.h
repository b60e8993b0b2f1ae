// LinkEvents: tells every cache that a link changed.
//
// Each HTTP worker keeps its own cache of links (so a redirect hit takes no lock); when a link is
// created, changed or deleted, every worker must forget what it knew about that code, including a
// cached "not found". The service publishes here after the store has committed; subscribers (the
// workers, and in a multi-instance deployment the store's change feed) decide how to deliver it to
// their thread.
//
// Thread-safety: Subscribe only before serving starts; Publish from any thread afterwards.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hop {

class LinkEvents {
 public:
  using Subscriber = std::function<void(const std::string& code)>;

  void Subscribe(Subscriber subscriber) { subscribers_.push_back(std::move(subscriber)); }

  void Publish(const std::string& code) const {
    for (const auto& subscriber : subscribers_) subscriber(code);
  }

 private:
  std::vector<Subscriber> subscribers_;
};

}  // namespace hop
