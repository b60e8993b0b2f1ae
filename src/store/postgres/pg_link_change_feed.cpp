// PgLinkChangeFeed: listen, hand each notification to the handler, and start over when the session
// is lost.
#include "store/postgres/pg_link_change_feed.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_status.h"

namespace hop {
namespace {

constexpr PgSetting kFeedSettings[] = {
    {"keepalives_idle", "5"},
    {"keepalives_interval", "2"},
    {"keepalives_count", "2"},
    {"fallback_application_name", "hop-link-feed"},
};

// A restarting server is listened to again within a second or two of accepting connections.
constexpr Millis kFirstRetry{100};
constexpr Millis kMaxRetry{2000};

class PgLinkChangeFeed final : public LinkChangeFeed {
 public:
  PgLinkChangeFeed(std::string conninfo, LinkChangeHandler handler, int wake)
      : conninfo_(std::move(conninfo)), handler_(std::move(handler)), wake_(wake) {
    thread_ = std::thread([this] { Run(); });
  }
  ~PgLinkChangeFeed() override {
    const uint64_t one = 1;
    // An eventfd write of 1 cannot fail short of the counter overflowing, which takes 2^64 writes.
    [[maybe_unused]] ssize_t written = ::write(wake_, &one, sizeof(one));
    thread_.join();
    ::close(wake_);
  }

 private:
  enum class Ended { kStopped, kLost };

  void Run();
  Result<PgSession> Listen() const;
  static Result<std::string> ChannelOf(PGconn* conn);
  Ended Receive(PGconn* conn) const;
  // Waits `delay` unless stopped first; false when stopped.
  bool Wait(Millis delay) const;

  const std::string conninfo_;
  const LinkChangeHandler handler_;
  const int wake_;  // an eventfd, readable once the feed is being destroyed
  std::thread thread_;
};

void PgLinkChangeFeed::Run() {
  Millis retry = kFirstRetry;
  while (true) {
    Result<PgSession> session = Listen();
    if (session.ok()) {
      retry = kFirstRetry;
      // Whatever changed before this session listened was not reported to it.
      handler_.all_changed();
      if (Receive(session.value().get()) == Ended::kStopped) return;
    }
    if (!Wait(retry)) return;
    retry = std::min(retry * 2, kMaxRetry);
  }
}

Result<PgSession> PgLinkChangeFeed::Listen() const {
  Result<PgSession> session = OpenPgSession(conninfo_, kFeedSettings);
  if (!session.ok()) return session;
  PGconn* conn = session.value().get();
  Result<std::string> channel = ChannelOf(conn);
  if (!channel.ok()) return channel.status();
  PGresult* listened = PQexec(conn, ("LISTEN " + channel.value()).c_str());
  const bool ok = PQresultStatus(listened) == PGRES_COMMAND_OK;
  Status error = ok ? Status::Ok() : PgError(conn, listened);
  PQclear(listened);
  if (!ok) return error;
  return session;
}

// The channel the writers of this session's schema notify, quoted as an identifier.
Result<std::string> PgLinkChangeFeed::ChannelOf(PGconn* conn) {
  PGresult* named = PQexec(conn, "SELECT " HOP_LINK_CHANNEL_SQL);
  if (PQresultStatus(named) != PGRES_TUPLES_OK || PQntuples(named) != 1) {
    Status error = PgError(conn, named);
    PQclear(named);
    return error;
  }
  const std::string name = PQgetvalue(named, 0, 0);
  PQclear(named);
  char* quoted = PQescapeIdentifier(conn, name.c_str(), name.size());
  if (quoted == nullptr) return Status::Error(ErrorCode::kInternal, PQerrorMessage(conn));
  std::string channel = quoted;
  PQfreemem(quoted);
  return channel;
}

PgLinkChangeFeed::Ended PgLinkChangeFeed::Receive(PGconn* conn) const {
  pollfd fds[] = {{.fd = PQsocket(conn), .events = POLLIN, .revents = 0},
                  {.fd = wake_, .events = POLLIN, .revents = 0}};
  while (true) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return Ended::kLost;
    }
    if (fds[1].revents != 0) return Ended::kStopped;
    // Fails when the server closed the session (shutdown, pg_terminate_backend) or the network
    // broke it (keepalives): either way, it is gone.
    if (PQconsumeInput(conn) == 0) return Ended::kLost;
    while (PGnotify* notification = PQnotifies(conn)) {
      handler_.changed(notification->extra);
      PQfreemem(notification);
    }
  }
}

bool PgLinkChangeFeed::Wait(Millis delay) const {
  pollfd stop{.fd = wake_, .events = POLLIN, .revents = 0};
  int ready = 0;
  // A signal meant for the main thread may interrupt the wait; starting it over only delays the
  // retry a little.
  while ((ready = ::poll(&stop, 1, static_cast<int>(delay.count()))) < 0 && errno == EINTR) {
  }
  return ready == 0;
}

}  // namespace

Result<std::unique_ptr<LinkChangeFeed>> StartPgLinkChangeFeed(std::string conninfo,
                                                              LinkChangeHandler handler) {
  const int wake = ::eventfd(0, EFD_CLOEXEC);
  if (wake < 0) {
    return Status::Error(
        ErrorCode::kInternal,
        std::string("cannot watch PostgreSQL for link changes: eventfd: ") + std::strerror(errno));
  }
  return std::unique_ptr<LinkChangeFeed>(
      new PgLinkChangeFeed(std::move(conninfo), std::move(handler), wake));
}

}  // namespace hop
