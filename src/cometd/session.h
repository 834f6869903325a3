// Session: the state of one Bayeux session (clientId) kept by the Broker:
// its principal, subscriptions, event queue (with ack batches), the connect
// held for it, and its expiry. Plain data, guarded by the Broker's mutex.
#pragma once

#include <boost/container/deque.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cometd/codec.h"
#include "cometd/http_reply.h"
#include "cometd/ws_link.h"
#include "domain/core/principal.h"

namespace workbind::cometd {

using TimePoint = std::chrono::steady_clock::time_point;

enum class Transport { kLongPolling, kCallbackPolling, kWebSocket };
std::string_view TransportName(Transport t);

// Why a session ended (metrics label and the answer to its held connect).
enum class EndReason { kDisconnect, kExpired, kOverflow, kLogout, kShutdown };
inline constexpr int kEndReasonCount = 5;
std::string_view EndReasonName(EndReason r);

// ext.timesync of a request message (notifications.md §12.2).
struct Timesync {
  int64_t tc = 0;
  std::optional<int64_t> l;
  int64_t o = 0;
  int64_t ts = 0;  // server receive time, ms since the epoch
};

// An event waiting for (or, with ack, awaiting acknowledgement by) a session.
struct QueuedEvent {
  EventPtr text;
  int64_t batch = 0;  // ack batch it belongs to
};

// A /meta/connect whose reply is delayed (§4.2).
struct HeldConnect {
  uint64_t token = 0;
  Transport transport = Transport::kLongPolling;
  std::optional<boost::json::value> id;
  HttpReply http;              // long-polling and callback-polling
  std::shared_ptr<WsLink> ws;  // WebSocket
  std::string
      browser_id;  // counted against maxSessionsPerBrowser; empty: not counted
  TimePoint deadline;
  boost::json::object
      advice;  // advice of the eventual normal reply (may be empty)
  std::optional<Timesync> timesync;
};

// Replay asked for at handshake (extensions.md §2), kept while it matters:
// during the subscribe window, or until ReplayUnavailable has been sent.
struct ReplayState {
  int64_t from_seq = 0;
  int64_t last_seq = 0;    // the user's highest seq at handshake
  int64_t oldest_seq = 0;  // lowest retained seq at handshake (0: none)
  bool available = false;
  bool unavailable_sent = false;
  TimePoint window_end;
  int jobs = 0;  // replays being read from the log for this session
  // Numbered live events that arrived while jobs > 0, released after them.
  std::vector<std::pair<int64_t, EventPtr>> held;
  std::set<int64_t> seen;  // seqs already delivered during the window
};

struct Session {
  std::string client_id;
  domain::Principal principal;
  Transport transport = Transport::kLongPolling;
  bool ack_enabled = false;
  int64_t ack_batch = 1;  // the current ack batch
  // Boost deques hold no memory while empty (std::deque keeps a 512-byte
  // block), and give their blocks back when drained: most sessions are idle.
  boost::container::deque<QueuedEvent> queue;
  std::vector<std::string> subscriptions;  // normalized patterns, no duplicates
  bool release_pending = false;            // listed in the Broker's releases_
  bool connected = false;  // a connect was answered since the handshake
  bool multiple_clients =
      false;  // the last connect reply advised multiple-clients
  int64_t client_interval_ms = -1;  // the client's own advice.interval, if sent
  TimePoint expiry;
  TimePoint last_touch;
  std::optional<HeldConnect> held;
  std::shared_ptr<WsLink>
      ws;  // the socket the session last used (nullptr: HTTP)
  std::unique_ptr<ReplayState> replay;  // null: no replay pending

  bool SubscribedTo(std::string_view channel) const;
};

}  // namespace workbind::cometd
