// The cross-node events on PostgreSQL and their wire format. Writers call
// pg_notify(kEventChannel, payload) inside the transaction that makes the
// change, so an event is sent when, and only when, the change commits; every
// node LISTENs (PgListener) and acts on what it did not do itself.
//   "n:<user_id>:<seq>"  a notification row was stored (the replay log,
//                        migrations/0005_notifications.sql, is the outbox):
//                        nodes read the row themselves, the payload carries
//                        only its id;
//   "e:<session_id>"     an HTTP session ended (logout, eviction, expiry,
//                        user removed): nodes end its Bayeux sessions.
// Payloads stay far below PostgreSQL's 8000-byte limit.
// OpenPgChangeListener decodes what a PgListener hears into ChangeEvents.
#pragma once

#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/change_listener.h"
#include "storage/store.h"

namespace workbind::storage::postgres {

inline constexpr std::string_view kEventChannel = "workbind_events";

struct Event {
  enum class Kind { kNotification, kSessionEnded };
  Kind kind = Kind::kNotification;
  std::string id;   // user id (kNotification) or HTTP session id
  int64_t seq = 0;  // kNotification: the row's seq (> 0)
};

inline std::string NotificationEventPayload(std::string_view user_id,
                                            int64_t seq) {
  return "n:" + std::string(user_id) + ":" + std::to_string(seq);
}

inline std::string SessionEndedEventPayload(std::string_view session_id) {
  return "e:" + std::string(session_id);
}

// Parses a payload; std::nullopt for anything malformed.
inline std::optional<Event> ParseEventPayload(std::string_view payload) {
  if (payload.size() < 3 || payload[1] != ':') return std::nullopt;
  const std::string_view rest = payload.substr(2);
  Event e;
  if (payload[0] == 'e') {
    e.kind = Event::Kind::kSessionEnded;
    e.id = std::string(rest);
    return e;
  }
  if (payload[0] != 'n') return std::nullopt;
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  e.id = std::string(rest.substr(0, colon));
  const std::string_view digits = rest.substr(colon + 1);
  const auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), e.seq);
  if (ec != std::errc() || end != digits.data() + digits.size() || e.seq <= 0)
    return std::nullopt;
  return e;
}

// A ChangeListener over a PgListener on kEventChannel of
// options.postgres_dsn: each payload is parsed (a malformed one is logged
// and ignored) and handed to the matching callback of `events`; every
// (re)connection calls events.connected. Callbacks left empty are skipped.
// `application_name` names the listener's connection.
std::unique_ptr<ChangeListener> OpenPgChangeListener(
    const StoreOptions& options, ChangeEvents events,
    const std::string& application_name);

}  // namespace workbind::storage::postgres
