// ReadinessPoller: tells a worker's keep-alive connections that their next request has arrived,
// through one epoll set of the worker's own. Internal to src/http (it includes Asio).
//
// Why not Asio's own wait: Boost 1.81's reactor tries every socket read once before it waits, and
// on a keep-alive connection that read nearly always fails with EAGAIN; its only read that does not
// try first (async_wait) re-arms the socket with epoll_ctl instead. Either way a redirect costs one
// system call for nothing, a tenth of its whole cost. nginx avoids it by trusting a short read to
// mean "drained" and waiting for the next edge; this does the same. The poller's epoll descriptor
// is itself waited on through Asio, so a whole batch of ready connections costs two system calls.
//
// A watched socket stays in the set until it is closed (closing removes it from every epoll set).
// Every edge is reported to its Watcher, which decides whether it was waiting; see
// Session::WaitForRequest for why that is safe in edge-triggered mode.
//
// Thread-safety: everything on the worker's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>

namespace hop {

class ReadinessPoller {
 public:
  class Watcher {
   public:
    // The socket has new bytes, or its peer closed it.
    virtual void OnReadable() = 0;

   protected:
    ~Watcher() = default;
  };

  explicit ReadinessPoller(boost::asio::io_context& ioc);
  ReadinessPoller(const ReadinessPoller&) = delete;
  ReadinessPoller& operator=(const ReadinessPoller&) = delete;

  // Starts reporting. False (and nothing changes) when the epoll set could not be made.
  bool Start();
  // Stops reporting, so that the worker's loop can run dry.
  void Stop();

  // Reports edges of `socket` to `watcher` from now until the socket is closed. REQUIRES: the
  // watcher outlives the socket's descriptor. False when the poller is not running or the kernel
  // refused; the caller then waits through Asio.
  bool Watch(int socket, Watcher& watcher);

  // Counts the poller's passes, each of which takes edges from the epoll set. A socket read during
  // the current pass cannot have lost an edge to it: see Session::WaitForRequest.
  uint64_t pass() const { return pass_; }

 private:
  void Wait();
  void OnReady();

  boost::asio::posix::stream_descriptor epoll_;
  uint64_t pass_ = 0;
};

}  // namespace hop
