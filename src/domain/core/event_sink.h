// EventSink: how domain services announce changes without knowing about
// CometD. Implemented by cometd::Broker. Thread-safe; must never block on a
// slow client (delivery is queued per session).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace workbind::domain {

// What became of an offer, when a notification announces that to the
// offeree (metrics count it once the change is committed).
enum class OfferOutcome { kNone, kAccepted, kRejected, kTimedOut, kRevoked };

// One message addressed to one user on "/v2/me/<topic>".
struct Notification {
  std::string contact_center_id;
  std::string user_id;   // addressee (32 hex)
  std::string user_uri;  // addressee's user uri, for supervisor copies
  std::string topic;     // e.g. "workitems", "channels", "workbins", "replay"
  boost::json::object data;  // the Bayeux `data`, without referenceId
  // The user whose request caused the message and its referenceId (0: none).
  // The copy delivered to that user (directly or as a supervisor copy)
  // carries "referenceId".
  std::string actor_user_id;
  int64_t reference_id = 0;
  // Per-user sequence number for ext.seq (0: none).
  int64_t seq = 0;
  // Users who may act for the addressee (auth.md §7.1) at commit time; their
  // sessions subscribed to "/v2/users/<user_id>/<topic>" get a copy.
  std::vector<std::string> watchers;
  // Set on the message that tells the offeree an offer ended (not sent).
  OfferOutcome settles_offer = OfferOutcome::kNone;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Delivers the messages in order. Called after the change is committed.
  virtual void Deliver(std::vector<Notification> notifications) = 0;
  // The HTTP session `http_session_id` ended: end its Bayeux sessions
  // (a held connect is answered with reconnect "none").
  virtual void HttpSessionEnded(const std::string& http_session_id) = 0;
};

// An EventSink that drops everything (tests, tools).
class NullEventSink final : public EventSink {
 public:
  void Deliver(std::vector<Notification>) override {}
  void HttpSessionEnded(const std::string&) override {}
};

}  // namespace workbind::domain
