// PgLinkChangeFeed: PostgreSQL's LISTEN/NOTIFY, turned into LinkChangeHandler calls.
//
// Every statement that creates, changes or deletes a link also calls pg_notify on the channel
// below with the link's code (postgres_store_links.cpp), so PostgreSQL delivers the code to every
// session listening on the channel when, and only if, the transaction commits. The feed listens on
// a session of its own, outside the pool: a listening session must stay open and be read all the
// time, which a pooled connection lent to callers is not. Its thread sleeps in poll() until a
// notification arrives or the feed is destroyed, so an idle feed costs nothing.
//
// A lost session loses the notifications sent while it was gone. The feed reconnects with backoff,
// and each time it listens again (the first time too) it calls all_changed. Its session's TCP
// keepalives are tighter than the pool's, because it is idle by design and only keepalives notice
// that a server vanished without closing it (host down, network cut): within about ten seconds.
//
// Thread-safety: the handler runs on the feed's thread; everything else is the owner's.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "store/store.h"

// The channel of link changes. Statements that create, change or delete links return
// HOP_NOTIFY_LINK_CHANGED as an extra column, which PostgreSQL evaluates once for each row they
// touch. NOTIFY channels are database-wide, so the channel is named after the schema the links live
// in: instances of another hop in another schema of the same database never hear these changes.
// The schema is hashed because a channel name is an identifier of at most 63 bytes.
#define HOP_LINK_CHANNEL_SQL "'hop_links_' || md5(current_schema())"
#define HOP_NOTIFY_LINK_CHANGED "pg_notify(" HOP_LINK_CHANNEL_SQL ", code)"

namespace hop {

// Starts a feed on the server named by `conninfo`. kInternal when it cannot be started.
Result<std::unique_ptr<LinkChangeFeed>> StartPgLinkChangeFeed(std::string conninfo,
                                                              LinkChangeHandler handler);

}  // namespace hop
