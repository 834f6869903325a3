// Broker lifecycle, delivery, held connects, session ending and timers.
// Message processing is in broker_messages.cc.
#include "cometd/broker.h"

#include <algorithm>

#include "cometd/channel.h"
#include "cometd/extensions.h"
#include "cometd/permissions.h"

namespace workbind::cometd {
namespace json = boost::json;
namespace {

using std::chrono::milliseconds;

constexpr int64_t kShutdownReconnectIntervalMs = 1000;
constexpr milliseconds kSweepPeriod{1000};
constexpr milliseconds kTombstoneLifetime{60000};

void RemoveFrom(std::vector<Session*>* v, Session* s) {
  v->erase(std::remove(v->begin(), v->end(), s), v->end());
}

void RemoveIndexed(
    std::unordered_map<std::string, std::vector<Session*>>* index,
    const std::string& key, Session* s) {
  auto it = index->find(key);
  if (it == index->end()) return;
  RemoveFrom(&it->second, s);
  if (it->second.empty()) index->erase(it);
}

}  // namespace

void Broker::Outbox::Run() {
  for (auto& task : tasks_) task();
  tasks_.clear();
}

Broker::Broker(BrokerSettings settings, Authenticator* authenticator,
               Executor* executor, const Clock* clock,
               domain::ReplayLog* replay)
    : settings_(std::move(settings)),
      authenticator_(authenticator),
      executor_(executor),
      clock_(clock),
      replay_(replay) {
  next_sweep_ = clock_->SteadyNow() + kSweepPeriod;
}

Broker::~Broker() { Shutdown(); }

void Broker::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (timer_.joinable() || timer_stop_) return;
  timer_ = std::thread([this] { TimerLoop(); });
}

void Broker::Shutdown() {
  Outbox out;
  std::thread timer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!shutting_down_) {
      shutting_down_ = true;
      json::object advice{{"reconnect", "handshake"},
                          {"interval", kShutdownReconnectIntervalMs}};
      for (auto& [id, s] : sessions_) {
        if (!s->held) continue;
        ReleaseHeld(s.get(), Release::kEnded, &out, &advice);
        ++ended_[static_cast<int>(EndReason::kShutdown)];
      }
    }
    timer_stop_ = true;
    timer = std::move(timer_);
  }
  timer_cv_.notify_all();
  out.Run();
  if (timer.joinable()) timer.join();
}

// ---------------------------------------------------------------------------
// Activity and expiry (§9.1)

int64_t Broker::IntervalOf(const Session& s) const {
  if (s.multiple_clients)
    return std::max<int64_t>(settings_.multi_session_interval_ms, 0);
  if (s.client_interval_ms >= 0) return s.client_interval_ms;
  return settings_.interval_ms;
}

void Broker::SetExpiryAfterReply(Session* s) {
  s->expiry = Now() + milliseconds(IntervalOf(*s) + settings_.max_interval_ms);
}

void Broker::MaybeTouch(Session* s, Outbox* out) {
  TimePoint now = Now();
  if (now - s->last_touch < milliseconds(settings_.touch_interval_ms)) return;
  s->last_touch = now;
  std::string id = s->principal.http_session_id;
  Authenticator* auth = authenticator_;
  Executor* exec = executor_;
  out->Later([auth, exec, id = std::move(id)] {
    exec->Post([auth, id] { auth->TouchSession(id); });
  });
}

void Broker::NoteActivity(Session* s, const Target& target, Outbox* out) {
  s->transport = target.transport;
  if (target.transport == Transport::kWebSocket) {
    s->ws = target.ws;
  } else {
    s->ws.reset();
  }
  if (!s->held)
    s->expiry =
        std::max(s->expiry, Now() + milliseconds(settings_.max_interval_ms));
  MaybeTouch(s, out);
}

// ---------------------------------------------------------------------------
// Sending

void Broker::Emit(const Target& target, Batch batch, Outbox* out) {
  if (batch.empty()) return;
  delivered_ += batch.events.size();
  if (target.transport == Transport::kWebSocket) {
    if (!target.ws) return;
    if (target.ws->Push(std::move(batch)))
      out->Later([ws = target.ws] { ws->Flush(); });
    return;
  }
  out->Later([http = target.http, batch = std::move(batch)]() mutable {
    SendBatch(std::move(http), batch);
  });
}

void Broker::Enqueue(Session* s, const EventPtr& event, Outbox* out,
                     bool defer_release) {
  if (!s->ack_enabled && s->ws && !s->ws->closed()) {
    // WebSocket without ack: pushed at once in its own frame (§1.3).
    Batch b;
    b.events.push_back(event);
    Target t{Transport::kWebSocket, {}, s->ws};
    Emit(t, std::move(b), out);
    return;
  }
  s->queue.push_back(QueuedEvent{event, s->ack_batch});
  ++queued_;
  if (static_cast<int64_t>(s->queue.size()) > settings_.max_queue) {
    EndSession(s, EndReason::kOverflow, out);
    return;
  }
  if (!s->held) return;
  if (defer_release) {
    if (!s->release_pending) {
      s->release_pending = true;
      releases_.push_back(s);
    }
  } else {
    ReleaseHeld(s, Release::kEvent, out);
  }
}

void Broker::FlushReleases(Outbox* out) {
  // ReleaseHeld does not end sessions, so the list stays valid throughout.
  for (Session* s : releases_) {
    s->release_pending = false;
    if (s->held) ReleaseHeld(s, Release::kEvent, out);
  }
  releases_.clear();
}

json::object Broker::ConnectReply(Session* s,
                                  const std::optional<json::value>& id,
                                  const json::object& advice,
                                  const std::optional<Timesync>& timesync,
                                  bool with_events,
                                  std::vector<EventPtr>* events) {
  json::object r;
  if (id) r["id"] = *id;
  r["channel"] = kMetaConnect;
  r["successful"] = true;
  r["clientId"] = s->client_id;
  if (!advice.empty()) r["advice"] = advice;
  json::object ext;
  if (s->ack_enabled) {
    int64_t batch = s->ack_batch;
    if (with_events)
      for (const auto& e : s->queue) events->push_back(e.text);
    ext["ack"] = batch;
    s->ack_batch = batch + 1;
  } else if (with_events) {
    for (auto& e : s->queue) events->push_back(std::move(e.text));
    queued_ -= s->queue.size();
    s->queue.clear();
    s->queue.shrink_to_fit();
  }
  if (!ext.empty()) r["ext"] = std::move(ext);
  AddTimesyncReply(timesync, clock_->NowMillis(), &r);
  SetExpiryAfterReply(s);
  return r;
}

std::string Broker::ConnectReplyText(Session* s,
                                     const std::optional<json::value>& id,
                                     const json::object& advice,
                                     const std::optional<Timesync>& timesync,
                                     std::vector<EventPtr>* events) {
  if (!advice.empty() || timesync || s->ack_enabled)
    return json::serialize(ConnectReply(s, id, advice, timesync, true, events));
  // The usual reply, written as MakeReply + ConnectReply would: only the
  // id needs serializing (the clientId is hex).
  for (auto& e : s->queue) events->push_back(std::move(e.text));
  queued_ -= s->queue.size();
  s->queue.clear();
  s->queue.shrink_to_fit();
  SetExpiryAfterReply(s);
  constexpr std::string_view kTail =
      R"("channel":"/meta/connect","successful":true,"clientId":")";
  std::string text;
  text.reserve(96 + s->client_id.size());
  text.push_back('{');
  if (id) {
    text += R"("id":)";
    text += json::serialize(*id);
    text.push_back(',');
  }
  text += kTail;
  text += s->client_id;
  text += "\"}";
  return text;
}

// ---------------------------------------------------------------------------
// Held connects (§4.2)

void Broker::Hold(Session* s, HeldConnect held) {
  held.token = next_token_++;
  bool earliest =
      deadlines_.empty() || held.deadline < deadlines_.begin()->first.first;
  deadlines_.emplace(std::make_pair(held.deadline, held.token), s->client_id);
  if (!held.browser_id.empty()) ++browser_holds_[held.browser_id];
  ++held_;
  s->held = std::move(held);
  if (earliest) {
    timer_dirty_ = true;
    timer_cv_.notify_all();
  }
}

void Broker::ReleaseHeld(Session* s, Release why, Outbox* out,
                         const json::object* advice) {
  HeldConnect h = std::move(*s->held);
  s->held.reset();
  --held_;
  deadlines_.erase(std::make_pair(h.deadline, h.token));
  if (!h.browser_id.empty()) {
    auto it = browser_holds_.find(h.browser_id);
    if (it != browser_holds_.end() && --it->second <= 0)
      browser_holds_.erase(it);
  }
  Target target{h.transport, std::move(h.http), std::move(h.ws)};
  Batch batch;
  switch (why) {
    case Release::kEvent:
    case Release::kTimeout:
      batch.replies.push_back(
          ConnectReplyText(s, h.id, h.advice, h.timesync, &batch.events));
      break;
    case Release::kSuperseded:
      SetExpiryAfterReply(s);
      if (target.transport != Transport::kWebSocket) {
        int status = settings_.duplicate_connect_http_status;
        out->Later([http = std::move(target.http), status]() mutable {
          SendError(std::move(http),
                    Internal("Superseded by a newer /meta/connect"), status);
        });
        return;
      } else {
        json::object r;
        if (h.id) r["id"] = *h.id;
        r["channel"] = kMetaConnect;
        r["successful"] = true;
        r["clientId"] = s->client_id;
        batch.AddReply(std::move(r));
      }
      break;
    case Release::kLinkClosed:
      SetExpiryAfterReply(s);
      return;
    case Release::kEnded: {
      json::object r = ConnectReply(s, h.id, advice ? *advice : json::object{},
                                    h.timesync, false, nullptr);
      if (advice && advice->contains("reconnect") &&
          advice->at("reconnect") == "handshake")
        MarkUnknownClient(&r);
      batch.AddReply(std::move(r));
      break;
    }
  }
  Emit(target, std::move(batch), out);
}

void Broker::MarkUnknownClient(json::object* reply) {
  (*reply)["successful"] = false;
  (*reply)["error"] = kErrUnknownClient;
}

// ---------------------------------------------------------------------------
// Ending sessions (§4.5, §4.6, §9.1)

void Broker::EndSession(Session* s, EndReason reason, Outbox* out) {
  if (s->held) {
    json::object advice;
    switch (reason) {
      case EndReason::kDisconnect:
      case EndReason::kLogout:
        advice = {{"reconnect", "none"}};
        break;
      case EndReason::kShutdown:
        advice = {{"reconnect", "handshake"},
                  {"interval", kShutdownReconnectIntervalMs}};
        break;
      case EndReason::kExpired:
      case EndReason::kOverflow:
        advice = {{"reconnect", "handshake"}, {"interval", 0}};
        break;
    }
    ReleaseHeld(s, Release::kEnded, out, &advice);
  }
  RemoveIndexed(&by_user_, s->principal.user_id, s);
  RemoveIndexed(&by_http_session_, s->principal.http_session_id, s);
  for (const auto& p : s->subscriptions)
    subscribers_.Remove(s->principal.contact_center_id, p, s);
  if (s->release_pending) RemoveFrom(&releases_, s);
  queued_ -= s->queue.size();
  ++ended_[static_cast<int>(reason)];
  tombstones_[s->client_id] = Tombstone{Now(), reason};
  sessions_.erase(s->client_id);  // destroys *s
}

void Broker::HttpSessionEnded(const std::string& http_session_id) {
  Outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_http_session_.find(http_session_id);
    if (it != by_http_session_.end()) {
      std::vector<Session*> victims = it->second;
      for (Session* s : victims) EndSession(s, EndReason::kLogout, &out);
    }
  }
  out.Run();
}

void Broker::UserDisabled(const std::string& user_id) {
  Outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_user_.find(user_id);
    if (it != by_user_.end()) {
      std::vector<Session*> victims = it->second;
      for (Session* s : victims) EndSession(s, EndReason::kLogout, &out);
    }
  }
  out.Run();
}

void Broker::LinkClosed(const std::shared_ptr<WsLink>& link) {
  link->MarkClosed();
  Outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, s] : sessions_) {
      if (s->held && s->held->ws == link)
        ReleaseHeld(s.get(), Release::kLinkClosed, &out);
      if (s->ws == link) s->ws.reset();
    }
  }
  out.Run();
}

// ---------------------------------------------------------------------------
// Delivery (§7.2, §8)

bool Broker::Publishable(std::string_view pattern) const {
  return FirstSegment(pattern) != "v2" &&
         IsOpenChannel(pattern, settings_.open_channels);
}

void Broker::Deliver(std::vector<domain::Notification> notifications) {
  // The serialized copies of one notification.
  struct Copies {
    std::string channel;          // /v2/me/<topic>
    std::string watcher_channel;  // /v2/users/<id>/<topic>
    EventPtr own;                 // the addressee's copy
    EventPtr watcher_plain;       // supervisor copy without referenceId
    EventPtr watcher_with_ref;    // supervisor copy of the actor
  };
  std::vector<Copies> copies(notifications.size());
  std::vector<char> want_own(notifications.size()),
      want_watchers(notifications.size());
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < notifications.size(); ++i) {
      const auto& n = notifications[i];
      if (const json::value* t = n.data.if_contains("messageType");
          t && t->is_string())
        ++notifications_by_type_[std::string(t->get_string())];
      want_own[i] = by_user_.count(n.user_id) > 0;
      if (n.topic != "replay")
        for (const auto& w : n.watchers)
          want_watchers[i] |= by_user_.count(w) > 0;
    }
  }
  // Serialize outside the lock.
  for (size_t i = 0; i < notifications.size(); ++i) {
    const auto& n = notifications[i];
    Copies& c = copies[i];
    c.channel = "/v2/me/" + n.topic;
    bool has_ref = n.reference_id > 0 && !n.actor_user_id.empty();
    if (want_own[i]) c.own = OwnCopy(n, /*replayed=*/false);
    if (want_watchers[i]) {
      c.watcher_channel = "/v2/users/" + n.user_id + "/" + n.topic;
      json::object data = n.data;
      data["userId"] = n.user_id;
      data["userUri"] = n.user_uri;
      c.watcher_plain = MakeEvent(
          json::object{{"channel", c.watcher_channel}, {"data", data}});
      if (has_ref) {
        data["referenceId"] = n.reference_id;
        c.watcher_with_ref = MakeEvent(json::object{
            {"channel", c.watcher_channel}, {"data", std::move(data)}});
      }
    }
  }
  Outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto sessions_of = [&](const std::string& user) {
      auto it = by_user_.find(user);
      return it == by_user_.end() ? std::vector<Session*>{} : it->second;
    };
    for (size_t i = 0; i < notifications.size(); ++i) {
      const auto& n = notifications[i];
      const Copies& c = copies[i];
      if (c.own) {
        // Enqueue may end a session (overflow): iterate over a copy.
        for (Session* s : sessions_of(n.user_id)) {
          if (s->principal.contact_center_id == n.contact_center_id &&
              s->SubscribedTo(c.channel))
            EnqueueNumbered(s, n.seq, c.own, &out);
        }
      }
      if (c.watcher_plain) {
        for (const auto& w : n.watchers) {
          const EventPtr& e = (w == n.actor_user_id && c.watcher_with_ref)
                                  ? c.watcher_with_ref
                                  : c.watcher_plain;
          for (Session* s : sessions_of(w)) {
            if (s->principal.contact_center_id == n.contact_center_id &&
                s->SubscribedTo(c.watcher_channel))
              Enqueue(s, e, &out);
          }
        }
      }
    }
  }
  out.Run();
}

// ---------------------------------------------------------------------------
// Timers

void Broker::TickLocked(Outbox* out) {
  TimePoint now = Now();
  while (!deadlines_.empty() && deadlines_.begin()->first.first <= now) {
    auto it = sessions_.find(deadlines_.begin()->second);
    if (it == sessions_.end() || !it->second->held) {  // defensive: stale entry
      deadlines_.erase(deadlines_.begin());
      continue;
    }
    ReleaseHeld(it->second.get(), Release::kTimeout, out);
  }
  if (now < next_sweep_) return;
  next_sweep_ = now + kSweepPeriod;
  std::vector<Session*> expired;
  for (auto& [id, s] : sessions_) {
    if (s->held) {
      MaybeTouch(s.get(), out);  // a held connect is HTTP-session activity
    } else if (s->expiry <= now) {
      expired.push_back(s.get());
    }
  }
  for (Session* s : expired) EndSession(s, EndReason::kExpired, out);
  for (auto it = tombstones_.begin(); it != tombstones_.end();) {
    if (now - it->second.at > kTombstoneLifetime) {
      it = tombstones_.erase(it);
    } else {
      ++it;
    }
  }
}

void Broker::Tick() {
  Outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    TickLocked(&out);
  }
  out.Run();
}

void Broker::TimerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!timer_stop_) {
    Outbox out;
    TickLocked(&out);
    lock.unlock();
    out.Run();
    lock.lock();
    if (timer_stop_) break;
    TimePoint wake = next_sweep_;
    if (!deadlines_.empty())
      wake = std::min(wake, deadlines_.begin()->first.first);
    timer_dirty_ = false;
    timer_cv_.wait_until(lock, wake,
                         [this] { return timer_stop_ || timer_dirty_; });
  }
}

// ---------------------------------------------------------------------------
// Metrics

BrokerMetrics Broker::Metrics() const {
  BrokerMetrics m;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, s] : sessions_) {
    switch (s->transport) {
      case Transport::kLongPolling:
        ++m.sessions_long_polling;
        break;
      case Transport::kCallbackPolling:
        ++m.sessions_callback_polling;
        break;
      case Transport::kWebSocket:
        ++m.sessions_websocket;
        break;
    }
  }
  m.held_connects = held_;
  m.queued_messages = queued_;
  m.messages_delivered_total = delivered_;
  for (int i = 0; i < kEndReasonCount; ++i)
    m.sessions_ended_total[i] = ended_[i];
  m.notifications_total = notifications_by_type_;
  m.replay_available_total = replay_available_;
  m.replay_unavailable_total = replay_unavailable_;
  return m;
}

size_t Broker::SessionCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

size_t Broker::QueuedMessages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queued_;
}

}  // namespace workbind::cometd
