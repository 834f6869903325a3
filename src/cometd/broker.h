// Broker: the Bayeux 1.0 server core (notifications.md). It owns every Bayeux
// session (clientId -> Session, indexed per user, per HTTP session and per
// contact center), processes the decoded messages of a request or frame,
// parks held connects, delivers domain notifications (it is the
// domain::EventSink) and expires sessions. Transports live in Endpoint.
//
// Threading model:
//  - One mutex guards all session state. Work under it is bounded and never
//    blocks: no Responder, no WebSocketConnection::Send, no Authenticator
//    call happens while it is held. Each operation collects what it must send
//    in an Outbox and runs it after unlocking (snapshot, unlock, act).
//  - WebSocket frames are queued on the socket's WsLink under the lock (so
//    they keep their order) and written by WsLink::Flush after unlocking.
//  - Deliver never waits for a client: events are queued per session
//    (bounded by maxQueue; overflow ends the session).
//  - Authenticator calls (MayActFor, TouchSession) happen outside the lock;
//    HandleHttpMessages/HandleFrame must run on the Executor whenever the
//    messages need MayActFor (see NeedsBlockingWork); TouchSession is always
//    posted to the Executor.
//  - Held-connect timeouts and the expiry sweep run in Tick(), called by the
//    timer thread of Start() (tests call Tick() directly with a fake clock).
// Ownership: the Authenticator, Executor and Clock must outlive the Broker.
#pragma once

#include <boost/json.hpp>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cometd/authenticator.h"
#include "cometd/codec.h"
#include "cometd/http_reply.h"
#include "cometd/session.h"
#include "cometd/settings.h"
#include "cometd/subscription_index.h"
#include "cometd/ws_link.h"
#include "common/clock.h"
#include "common/executor.h"
#include "domain/core/event_sink.h"
#include "domain/notifications/replay_log.h"

namespace workbind::cometd {

// The credentials a request (or the upgrade request of a socket) carries, as
// far as they bind it to existing Bayeux sessions (notifications.md §2.3).
struct RequestAuth {
  std::vector<std::string> session_cookies;  // JSESSIONID values
  bool basic = false;  // Basic credentials were sent (they then decide alone)
  std::string basic_user_id;  // their user when valid; empty when invalid
};

// What the broker needs to know about the request carrying some messages.
struct RequestContext {
  Transport transport = Transport::kLongPolling;
  RequestAuth auth;
  // The authenticated principal, for a handshake (empty: not authenticated).
  std::optional<domain::Principal> principal;
  // Why authentication refused a handshake when the client should be told
  // more than "Handshake denied" (sign-in throttled); empty otherwise.
  std::string auth_refusal;
  std::string browser_id;   // BAYEUX_BROWSER cookie of a long-polling request
  TimePoint received_at{};  // steady time of arrival
  int64_t received_wall_ms = 0;  // wall time of arrival (timesync)
};

struct BrokerMetrics {
  size_t sessions_long_polling = 0;
  size_t sessions_callback_polling = 0;
  size_t sessions_websocket = 0;
  size_t held_connects = 0;
  size_t queued_messages = 0;
  uint64_t messages_delivered_total = 0;
  uint64_t sessions_ended_total[kEndReasonCount] = {};  // indexed by EndReason
  std::map<std::string, uint64_t> notifications_total;  // by data.messageType
  // Handshakes whose ext.replay asked for a fromSeq, by the answer.
  uint64_t replay_available_total = 0;
  uint64_t replay_unavailable_total = 0;
};

class Broker final : public domain::EventSink {
 public:
  // `replay` (may be null: the replay extension is then not offered) is read
  // on the Executor only.
  Broker(BrokerSettings settings, Authenticator* authenticator,
         Executor* executor, const Clock* clock,
         domain::ReplayLog* replay = nullptr);
  ~Broker() override;  // Shutdown()
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Starts the timer thread (held-connect timeouts, expiry sweep).
  void Start();
  // Node shutdown (§4.6): answers every held connect at once with advice
  // {"reconnect":"handshake","interval":1000}, answers later connects the
  // same way without holding them, and stops the timer thread. Idempotent.
  void Shutdown();

  // True when processing `messages` calls the Authenticator (a subscribe to
  // /v2/users/{userId}/...) or reads the replay log (a handshake with
  // ext.replay): the caller must then be on the Executor.
  static bool NeedsBlockingWork(
      const std::vector<boost::json::object>& messages);

  // Processes the messages of one long-polling / callback-polling request
  // (already decoded and checked by DecodeMessages). `reply` is answered
  // exactly once: at once, or later when the connect is held.
  void HandleHttpMessages(std::vector<boost::json::object> messages,
                          RequestContext ctx, HttpReply reply);
  // Processes the messages of one WebSocket frame; reply frames go to `link`.
  void HandleFrame(std::vector<boost::json::object> messages,
                   RequestContext ctx, const std::shared_ptr<WsLink>& link);
  // The socket of `link` closed: a connect held on it is dropped (its
  // session's expiry starts as if it had been answered); sessions stay.
  void LinkClosed(const std::shared_ptr<WsLink>& link);

  // domain::EventSink. Deliver queues one copy per matching session (§8).
  void Deliver(std::vector<domain::Notification> notifications) override;
  // Ends the Bayeux sessions bound to the HTTP session (held connect:
  // successful:true, advice reconnect none).
  void HttpSessionEnded(const std::string& http_session_id) override;
  // Ends every Bayeux session of the user (disabled or deleted).
  void UserDisabled(const std::string& user_id);

  // Answers held connects whose timeout passed and removes expired sessions.
  void Tick();

  BrokerMetrics Metrics() const;
  size_t SessionCount() const;
  size_t QueuedMessages() const;

  const BrokerSettings& settings() const { return settings_; }
  Authenticator* authenticator() const { return authenticator_; }
  Executor* executor() const { return executor_; }
  const Clock* clock() const { return clock_; }

 private:
  struct Target {
    Transport transport = Transport::kLongPolling;
    HttpReply http;
    std::shared_ptr<WsLink> ws;
  };
  // Work to do once the lock is released.
  class Outbox {
   public:
    void Later(std::function<void()> task) {
      tasks_.push_back(std::move(task));
    }
    void Run();

   private:
    std::vector<std::function<void()>> tasks_;
  };
  enum class Release { kEvent, kTimeout, kSuperseded, kLinkClosed, kEnded };
  struct Tombstone {
    TimePoint at;
    EndReason reason;
  };
  // (clientId, userId) -> may act for, computed before taking the lock.
  using Authority = std::map<std::pair<std::string, std::string>, bool>;

  // A replay to read from the log and deliver (extensions.md §2.4).
  struct ReplayJob {
    std::string client_id;
    std::string user_id;
    int64_t from_seq = 0;
    std::vector<std::string> patterns;  // those added by the subscribe
  };
  // One request (or frame) being processed.
  struct Call {
    // The replay bounds read for a handshake with ext.replay (not engaged:
    // none asked for).
    const std::optional<Result<domain::ReplayBounds>>* replay_bounds = nullptr;
    std::vector<ReplayJob> replays;
    const RequestContext* ctx = nullptr;
    Target* target = nullptr;
    const Authority* authority = nullptr;
    bool alone = false;  // the only message of its request
    Outbox* out = nullptr;
    std::vector<std::string> involved;  // clientIds authorized in this request
  };

  // broker_messages.cc; Do* run under mu_.
  void Process(std::vector<boost::json::object> messages, RequestContext ctx,
               Target target);
  Authority CheckAuthority(const std::vector<boost::json::object>& messages);
  Session* FindAuthorized(const boost::json::object& m, Call* call);
  boost::json::object DoHandshake(const boost::json::object& m,
                                  const MessageHeader& h, Call* call);
  // Returns true when the connect is held (no reply now).
  bool DoConnect(const boost::json::object& m, const MessageHeader& h,
                 Call* call, Batch* response);
  boost::json::object DoSubscribe(const boost::json::object& m,
                                  const MessageHeader& h, Call* call);
  boost::json::object DoUnsubscribe(const boost::json::object& m,
                                    const MessageHeader& h, Call* call);
  boost::json::object DoDisconnect(const boost::json::object& m,
                                   const MessageHeader& h, Call* call);
  boost::json::object DoPublish(const boost::json::object& m,
                                const MessageHeader& h, Call* call);
  boost::json::object NormalAdvice() const;

  // broker.cc, all under mu_.
  TimePoint Now() const { return clock_->SteadyNow(); }
  // Marks traffic of `s` over `target`: transport, socket, touch, expiry.
  void NoteActivity(Session* s, const Target& target, Outbox* out);
  void MaybeTouch(Session* s, Outbox* out);
  int64_t IntervalOf(const Session& s) const;
  void SetExpiryAfterReply(Session* s);
  // Queues `event` for `s`. A held connect is answered at once, or, with
  // `defer_release`, `s` is added to releases_ for FlushReleases.
  void Enqueue(Session* s, const EventPtr& event, Outbox* out,
               bool defer_release = false);
  // Answers the held connects of releases_ that are still held.
  void FlushReleases(Outbox* out);
  // Enqueue for a numbered copy addressed to the session's own user: held
  // back while a replay is being read, and never twice within the window.
  void EnqueueNumbered(Session* s, int64_t seq, const EventPtr& event,
                       Outbox* out);
  // The ext.replay of a handshake reply; sets s->replay when needed.
  boost::json::object StartReplay(Session* s, const boost::json::object& ask,
                                  const Result<domain::ReplayBounds>& bounds);
  // Subscribe: queues the replay (or ReplayUnavailable) the new patterns ask.
  void ReplayForSubscribe(Session* s, const std::vector<std::string>& added,
                          Call* call);
  // Reads the log and delivers, merged with the held live events. Runs on
  // the Executor, without mu_.
  void RunReplay(const ReplayJob& job);
  void SendReplayUnavailable(Session* s, Outbox* out);
  // The addressee's copy of `n` on /v2/me/<topic> (ext.seq when numbered;
  // ext.replayed when `replayed`).
  static EventPtr OwnCopy(const domain::Notification& n, bool replayed);
  // The successful connect reply for `s`, taking its ready events into
  // `events` (ack: all stored events, ext.ack = current batch).
  boost::json::object ConnectReply(Session* s,
                                   const std::optional<boost::json::value>& id,
                                   const boost::json::object& advice,
                                   const std::optional<Timesync>& timesync,
                                   bool with_events,
                                   std::vector<EventPtr>* events);
  // ConnectReply with events, as JSON text; the usual reply (no advice,
  // timesync or ack) is written without building the object.
  std::string ConnectReplyText(Session* s,
                               const std::optional<boost::json::value>& id,
                               const boost::json::object& advice,
                               const std::optional<Timesync>& timesync,
                               std::vector<EventPtr>* events);
  // A connect reply that sends the client to handshake (session ended by the
  // server): successful false with 402::Unknown client. Every Bayeux client
  // follows the advice of an unsuccessful connect; the stock CometD
  // JavaScript client rejects reconnect "handshake" on a successful one.
  static void MarkUnknownClient(boost::json::object* reply);
  void Hold(Session* s, HeldConnect held);
  void ReleaseHeld(Session* s, Release why, Outbox* out,
                   const boost::json::object* advice = nullptr);
  void EndSession(Session* s, EndReason reason, Outbox* out);
  void Emit(const Target& target, Batch batch, Outbox* out);
  // Subscriptions a publish can reach: the open channels outside /v2.
  bool Publishable(std::string_view pattern) const;
  void TickLocked(Outbox* out);
  void TimerLoop();

  const BrokerSettings settings_;
  Authenticator* const authenticator_;
  Executor* const executor_;
  const Clock* const clock_;
  domain::ReplayLog* const replay_;

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Session>> sessions_;
  std::unordered_map<std::string, std::vector<Session*>> by_user_;
  std::unordered_map<std::string, std::vector<Session*>> by_http_session_;
  // The sessions subscribed to each open (publishable) pattern, per contact
  // center; a publish delivers to the sessions it matches.
  SubscriptionIndex subscribers_;
  std::vector<Session*> match_scratch_;  // DoPublish's matches, reused
  // Sessions whose held connect got events from the publishes of the request
  // being processed; answered once the publishes next to each other are
  // processed (FlushReleases), so one reply carries all their events.
  // EndSession takes a session out (Session::release_pending).
  std::vector<Session*> releases_;
  std::unordered_map<std::string, int> browser_holds_;
  std::map<std::pair<TimePoint, uint64_t>, std::string>
      deadlines_;  // held connects
  std::unordered_map<std::string, Tombstone> tombstones_;
  uint64_t next_token_ = 1;
  size_t queued_ = 0;
  size_t held_ = 0;
  uint64_t delivered_ = 0;
  uint64_t ended_[kEndReasonCount] = {};
  std::map<std::string, uint64_t> notifications_by_type_;
  uint64_t replay_available_ = 0;    // replay requests answered available
  uint64_t replay_unavailable_ = 0;  // ... and unavailable
  TimePoint next_sweep_{};
  bool shutting_down_ = false;

  // Timer thread.
  std::condition_variable timer_cv_;
  bool timer_stop_ = false;
  bool timer_dirty_ = false;
  std::thread timer_;
};

}  // namespace workbind::cometd
