// The cross-node events on PostgreSQL. The stored notification rows (the
// replay log, migrations/0005_notifications.sql) are the outbox; a write
// transaction that stored notifications or ended HTTP sessions sends one
// pg_notify(kEventChannel, payload) right before its commit (PgTx::Announce),
// so the announcement leaves when, and only when, the changes commit. The
// payload is space-separated tokens:
//   "from:<node id>"   first: the node that committed (StoreOptions::node_id);
//   "n"                notifications were stored: nodes read the outbox from
//                      where they are (which rows: below);
//   "e:<session id>"   an HTTP session ended: nodes end its Bayeux sessions.
// A payload stays under kMaxPayloadBytes (PostgreSQL's limit is 8000): a
// transaction that ends more sessions than fit sends several.
//
// Which rows: every notification_counters row names the transaction that
// advanced it last (migrations/0009). A node keeps a cursor, the oldest
// transaction still running at its previous read (pg_snapshot_xmin), and
// reads the counters at or above it: every transaction below it had ended,
// so whatever it committed was seen by that read or an earlier one. Each
// counter read hands (user, highest seq) to ChangeEvents::notification; the
// feed reads the rows it has not delivered. The read runs after
// announcements from other nodes and every StoreOptions::postgres_poll_ms
// whatever was heard: a lost or dropped announcement delays delivery by at
// most that, and never loses a notification.
// OpenPgChangeListener decodes what a PgListener hears into ChangeEvents.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/change_listener.h"
#include "storage/store.h"

namespace workbind::storage::postgres {

inline constexpr std::string_view kEventChannel = "workbind_events";
inline constexpr size_t kMaxPayloadBytes = 7900;

struct Announcement {
  std::string from;  // node id of the sender ("" when unknown)
  bool notifications = false;
  std::vector<std::string> ended_sessions;
};

// The payloads announcing one transaction: one, unless the session ids do
// not fit in kMaxPayloadBytes. Session ids and `node_id` must not contain
// spaces (the server's are tokens).
std::vector<std::string> AnnouncementPayloads(
    std::string_view node_id, bool notifications,
    const std::vector<std::string>& ended_sessions);

// Parses a payload; unknown tokens are ignored (a newer node may send more),
// std::nullopt when it is not an announcement at all.
std::optional<Announcement> ParseAnnouncement(std::string_view payload);

// A ChangeListener over a PgListener on kEventChannel of
// options.postgres_dsn: announcements of ended sessions go to
// events.session_ended; announcements of notifications from other nodes
// than options.node_id (this node delivers its own) and a poll every
// options.postgres_poll_ms read the changed counters (above) and hand them
// to events.notification; every (re)connection calls events.connected.
// Callbacks left empty are skipped. `application_name` names the
// listener's connection.
std::unique_ptr<ChangeListener> OpenPgChangeListener(
    const StoreOptions& options, ChangeEvents events,
    const std::string& application_name);

}  // namespace workbind::storage::postgres
