#include "http/readiness_poller.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <array>

namespace hop {

namespace {

// Enough for a pass of the loop under load; more ready sockets wait for the next pass.
constexpr int kMaxEventsPerPass = 256;

}  // namespace

ReadinessPoller::ReadinessPoller(boost::asio::io_context& ioc) : epoll_(ioc) {}

bool ReadinessPoller::Start() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) return false;
  boost::system::error_code ec;
  epoll_.assign(fd, ec);
  if (ec) {
    ::close(fd);
    return false;
  }
  Wait();
  return true;
}

void ReadinessPoller::Stop() {
  boost::system::error_code ignored;
  epoll_.close(ignored);
}

bool ReadinessPoller::Watch(int socket, Watcher& watcher) {
  if (!epoll_.is_open()) return false;
  epoll_event event{};
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  event.data.ptr = &watcher;
  return ::epoll_ctl(epoll_.native_handle(), EPOLL_CTL_ADD, socket, &event) == 0;
}

void ReadinessPoller::Wait() {
  epoll_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                    [this](boost::system::error_code ec) {
                      if (!ec) OnReady();
                    });
}

void ReadinessPoller::OnReady() {
  ++pass_;
  std::array<epoll_event, kMaxEventsPerPass> events;
  const int ready = ::epoll_wait(epoll_.native_handle(), events.data(), kMaxEventsPerPass, 0);
  // Waiting again first: a watcher's read may close its socket, never the poller.
  Wait();
  for (int i = 0; i < ready; ++i) static_cast<Watcher*>(events[i].data.ptr)->OnReadable();
}

}  // namespace hop
