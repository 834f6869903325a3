// Broker: processing the messages of one request or frame
// (notifications.md §3, §4, §7).
#include <algorithm>

#include "cometd/broker.h"
#include "cometd/channel.h"
#include "cometd/extensions.h"
#include "cometd/permissions.h"
#include "common/ids.h"

namespace workbind::cometd {
namespace json = boost::json;
namespace {

using std::chrono::milliseconds;

constexpr int64_t kMaxClientIntervalMs = 600000;

// The patterns of a (un)subscribe message, normalized. Returns the error of
// §4.3 (empty when fine).
std::string_view ReadSubscription(const json::object& m,
                                  std::vector<std::string>* patterns) {
  const json::value* sub = m.if_contains("subscription");
  if (sub == nullptr || sub->is_null()) return kErrSubscriptionMissing;
  std::vector<const json::value*> items;
  if (sub->is_array()) {
    for (const auto& e : sub->get_array()) items.push_back(&e);
    if (items.empty()) return kErrSubscriptionMissing;
  } else {
    items.push_back(sub);
  }
  for (const json::value* v : items) {
    if (!v->is_string()) return kErrSubscriptionInvalid;
    std::optional<std::string> p = NormalizeChannel(v->get_string());
    if (!p) return kErrSubscriptionInvalid;
    patterns->push_back(std::move(*p));
  }
  return {};
}

// ext.replay of a handshake, when it is an object.
const json::object* ReplayAsked(const json::object& m) {
  const json::value* ext = m.if_contains("ext");
  if (ext == nullptr || !ext->is_object()) return nullptr;
  const json::value* r = ext->get_object().if_contains("replay");
  return r != nullptr && r->is_object() ? &r->get_object() : nullptr;
}

bool IsChannel(const json::object& m, std::string_view channel) {
  const json::value* c = m.if_contains("channel");
  if (c == nullptr || !c->is_string()) return false;
  std::optional<std::string> n = NormalizeChannel(c->get_string());
  return n && *n == channel;
}

}  // namespace

bool Broker::NeedsBlockingWork(const std::vector<json::object>& messages) {
  for (const auto& m : messages) {
    if (IsChannel(m, kMetaHandshake) && ReplayAsked(m)) return true;
    if (!IsChannel(m, kMetaSubscribe)) continue;
    std::vector<std::string> patterns;
    ReadSubscription(m, &patterns);
    for (const auto& p : patterns)
      if (SupervisedUserOf(p)) return true;
  }
  return false;
}

void Broker::HandleHttpMessages(std::vector<json::object> messages,
                                RequestContext ctx, HttpReply reply) {
  Target target;
  target.transport = ctx.transport == Transport::kWebSocket
                         ? Transport::kLongPolling
                         : ctx.transport;
  target.http = std::move(reply);
  Process(std::move(messages), std::move(ctx), std::move(target));
}

void Broker::HandleFrame(std::vector<json::object> messages, RequestContext ctx,
                         const std::shared_ptr<WsLink>& link) {
  Target target;
  target.transport = Transport::kWebSocket;
  target.ws = link;
  ctx.transport = Transport::kWebSocket;
  Process(std::move(messages), std::move(ctx), std::move(target));
}

Broker::Authority Broker::CheckAuthority(
    const std::vector<json::object>& messages) {
  std::vector<std::pair<std::string, std::string>>
      wanted;  // (clientId, userId)
  for (const auto& m : messages) {
    if (!IsChannel(m, kMetaSubscribe)) continue;
    std::vector<std::string> patterns;
    ReadSubscription(m, &patterns);
    for (const auto& p : patterns)
      if (auto user = SupervisedUserOf(p))
        wanted.emplace_back(ClientIdOf(m), *user);
  }
  Authority authority;
  if (wanted.empty()) return authority;
  std::map<std::string, domain::Principal> principals;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [client, user] : wanted) {
      auto it = sessions_.find(client);
      if (it != sessions_.end())
        principals.emplace(client, it->second->principal);
    }
  }
  for (const auto& key : wanted) {
    if (authority.count(key)) continue;
    auto p = principals.find(key.first);
    authority[key] = p != principals.end() && MayWatchOthers(p->second) &&
                     authenticator_->MayActFor(p->second, key.second);
  }
  return authority;
}

void Broker::Process(std::vector<json::object> messages, RequestContext ctx,
                     Target target) {
  Authority authority = CheckAuthority(messages);
  // Replay bounds are read before the lock (a handshake with ext.replay
  // runs on the Executor, see NeedsBlockingWork).
  std::optional<Result<domain::ReplayBounds>> replay_bounds;
  if (replay_ != nullptr && ctx.principal) {
    for (const auto& m : messages) {
      if (IsChannel(m, kMetaHandshake) && ReplayAsked(m)) {
        replay_bounds = replay_->Bounds(ctx.principal->user_id);
        break;
      }
    }
  }
  Outbox out;
  std::vector<ReplayJob> replays;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Call call;
    call.replay_bounds = &replay_bounds;
    call.ctx = &ctx;
    call.target = &target;
    call.authority = &authority;
    call.alone = messages.size() == 1;
    call.out = &out;
    Batch response;
    bool held = false;
    for (const auto& m : messages) {
      MessageHeader h = ReadHeader(m);
      // Consecutive publishes share the release of the connects they feed;
      // any other message sees those connects answered, as if each publish
      // had answered them itself.
      if (h.channel.empty() || IsMetaChannel(h.channel)) FlushReleases(&out);
      if (!h.error.empty()) {
        json::object r = MakeReply(h);
        SetError(&r, h.error);
        response.AddReply(std::move(r));
      } else if (h.channel == kMetaHandshake) {
        response.AddHead(DoHandshake(m, h, &call));
      } else if (h.channel == kMetaConnect) {
        held = DoConnect(m, h, &call, &response) || held;
      } else if (h.channel == kMetaSubscribe) {
        response.AddReply(DoSubscribe(m, h, &call));
      } else if (h.channel == kMetaUnsubscribe) {
        response.AddReply(DoUnsubscribe(m, h, &call));
      } else if (h.channel == kMetaDisconnect) {
        response.AddReply(DoDisconnect(m, h, &call));
      } else {
        response.AddReply(DoPublish(m, h, &call));
      }
    }
    // Events ready for the sessions of this request ride along (§3.4),
    // except with ack and callback-polling, where only connect replies
    // carry events (and did so above).
    if (!held && target.transport != Transport::kCallbackPolling &&
        response.head.empty()) {
      std::sort(call.involved.begin(), call.involved.end());
      call.involved.erase(
          std::unique(call.involved.begin(), call.involved.end()),
          call.involved.end());
      for (const auto& id : call.involved) {
        auto it = sessions_.find(id);
        if (it == sessions_.end()) continue;
        Session* s = it->second.get();
        if (s->ack_enabled || s->held || s->queue.empty()) continue;
        for (auto& e : s->queue) response.events.push_back(std::move(e.text));
        queued_ -= s->queue.size();
        s->queue.clear();
        s->queue.shrink_to_fit();
      }
    }
    if (!held) Emit(target, std::move(response), &out);
    // After the request's own reply, so that a publisher is not kept
    // waiting behind the connect replies its messages released.
    FlushReleases(&out);
    replays = std::move(call.replays);
  }
  out.Run();
  for (auto& job : replays)
    executor_->Post([this, job = std::move(job)] { RunReplay(job); });
}

Session* Broker::FindAuthorized(const json::object& m, Call* call) {
  std::string_view client_id = ClientIdOf(m);
  if (client_id.empty()) return nullptr;
  auto it = sessions_.find(std::string(client_id));
  if (it == sessions_.end()) return nullptr;
  Session* s = it->second.get();
  const RequestAuth& auth = call->ctx->auth;
  bool ok;
  if (auth.basic) {
    ok = !auth.basic_user_id.empty() &&
         auth.basic_user_id == s->principal.user_id;
  } else {
    ok = std::find(auth.session_cookies.begin(), auth.session_cookies.end(),
                   s->principal.http_session_id) != auth.session_cookies.end();
  }
  if (!ok) return nullptr;
  call->involved.push_back(s->client_id);
  return s;
}

json::object Broker::NormalAdvice() const {
  return json::object{{"reconnect", "retry"},
                      {"interval", settings_.interval_ms},
                      {"timeout", settings_.timeout_ms}};
}

// ---------------------------------------------------------------------------
// /meta/handshake (§2, §4.1)

json::object Broker::DoHandshake(const json::object& m, const MessageHeader& h,
                                 Call* call) {
  const RequestContext& ctx = *call->ctx;
  std::optional<Timesync> ts = ReadTimesync(m, ctx.received_wall_ms);
  json::object r = MakeReply(h);
  json::array transports;
  for (const auto& t : settings_.transports) transports.emplace_back(t);
  auto refuse = [&](std::string_view error) {
    SetError(&r, error);
    r["advice"] = json::object{{"reconnect", "none"}};
    AddTimesyncReply(ts, clock_->NowMillis(), &r);
    return r;
  };
  if (!ctx.principal && !ctx.auth_refusal.empty())
    return refuse("403::" + ctx.auth_refusal);
  if (!ctx.principal || ctx.principal->system_admin ||
      ctx.principal->contact_center_id.empty()) {
    return refuse(kErrHandshakeDenied);
  }
  if (const json::value* v = m.if_contains("version")) {
    if (!v->is_string() || v->get_string().empty() || v->get_string()[0] != '1')
      return refuse(kErrUnsupportedVersion);
  }
  if (const json::value* types = m.if_contains("supportedConnectionTypes");
      types && types->is_array()) {
    bool common = false;
    for (const auto& t : types->get_array())
      common = common ||
               (t.is_string() && settings_.TransportEnabled(t.get_string()));
    if (!common) {
      r["supportedConnectionTypes"] = transports;
      return refuse(kErrUnsupportedConnectionType);
    }
  }
  const domain::Principal& p = *ctx.principal;
  if (settings_.max_sessions_per_user > 0) {
    auto it = by_user_.find(p.user_id);
    if (it != by_user_.end() && static_cast<int64_t>(it->second.size()) >=
                                    settings_.max_sessions_per_user)
      return refuse(kErrTooManySessions);
  }

  auto session = std::make_unique<Session>();
  Session* s = session.get();
  do {
    s->client_id = ids::RandomHex(16);
  } while (sessions_.count(s->client_id) || tombstones_.count(s->client_id));
  s->principal = p;
  s->ack_enabled = AckRequested(m);
  s->transport = call->target->transport;
  if (s->transport == Transport::kWebSocket) s->ws = call->target->ws;
  s->last_touch = Now();  // Authenticate counted as activity
  SetExpiryAfterReply(s);
  by_user_[p.user_id].push_back(s);
  by_http_session_[p.http_session_id].push_back(s);
  sessions_.emplace(s->client_id, std::move(session));

  r["version"] = "1.0";
  r["minimumVersion"] = "1.0";
  r["supportedConnectionTypes"] = std::move(transports);
  r["clientId"] = s->client_id;
  r["successful"] = true;
  r["advice"] = json::object{{"reconnect", "retry"},
                             {"interval", settings_.interval_ms},
                             {"timeout", settings_.timeout_ms},
                             {"maxInterval", settings_.max_interval_ms}};
  json::object ext;
  if (s->ack_enabled) ext["ack"] = true;
  if (const json::object* ask = ReplayAsked(m);
      ask && call->replay_bounds && *call->replay_bounds)
    ext["replay"] = StartReplay(s, *ask, **call->replay_bounds);
  if (!ext.empty()) r["ext"] = std::move(ext);
  AddTimesyncReply(ts, clock_->NowMillis(), &r);
  return r;
}

// ---------------------------------------------------------------------------
// /meta/connect (§4.2, §9.2, §12.1)

bool Broker::DoConnect(const json::object& m, const MessageHeader& h,
                       Call* call, Batch* response) {
  const RequestContext& ctx = *call->ctx;
  std::optional<Timesync> ts = ReadTimesync(m, ctx.received_wall_ms);
  Session* s = FindAuthorized(m, call);
  if (s == nullptr) {
    json::object r = MakeReply(h);
    std::string client_id(ClientIdOf(m));
    auto tomb = tombstones_.find(client_id);
    if (tomb != tombstones_.end() &&
        tomb->second.reason == EndReason::kDisconnect &&
        ctx.received_at < tomb->second.at) {
      // Received before the disconnect, answered after it (§4.5).
      r["successful"] = false;
      r["clientId"] = client_id;
      r["advice"] = json::object{{"reconnect", "none"}};
    } else {
      SetError(&r, kErrUnknownClient);
      r["advice"] = json::object{{"reconnect", "handshake"}, {"interval", 0}};
    }
    AddTimesyncReply(ts, clock_->NowMillis(), &r);
    response->AddReply(std::move(r));
    return false;
  }
  NoteActivity(s, *call->target, call->out);
  if (s->held) ReleaseHeld(s, Release::kSuperseded, call->out);
  if (shutting_down_) {
    json::object advice{{"reconnect", "handshake"}, {"interval", 1000}};
    json::object r = ConnectReply(s, h.id, advice, ts, true, &response->events);
    MarkUnknownClient(&r);
    response->AddReply(std::move(r));
    return false;
  }
  if (s->ack_enabled) {
    if (std::optional<int64_t> acked = AckedBatch(m)) {
      while (!s->queue.empty() && s->queue.front().batch <= *acked) {
        s->queue.pop_front();
        --queued_;
      }
      if (s->queue.empty()) s->queue.shrink_to_fit();
    }
  }
  int64_t timeout = settings_.timeout_ms;
  json::object advice;
  if (!s->connected) advice = NormalAdvice();
  if (const json::value* a = m.if_contains("advice"); a && a->is_object()) {
    const json::object& client = a->get_object();
    if (std::optional<int64_t> t = IntOf(client.if_contains("timeout"));
        t && *t >= 0)
      timeout = std::min(*t, timeout);
    if (std::optional<int64_t> iv = IntOf(client.if_contains("interval"));
        iv && *iv >= 0) {
      s->client_interval_ms = std::min(*iv, kMaxClientIntervalMs);
      advice = json::object{{"reconnect", "retry"},
                            {"interval", s->client_interval_ms},
                            {"timeout", settings_.timeout_ms}};
    }
  }
  bool hold = call->alone && s->connected && timeout > 0 && s->queue.empty();
  s->connected = true;
  const Target& target = *call->target;
  bool counted = hold && target.transport != Transport::kWebSocket &&
                 !ctx.browser_id.empty() &&
                 settings_.max_sessions_per_browser >= 0;
  if (counted) {
    auto it = browser_holds_.find(ctx.browser_id);
    int holds = it == browser_holds_.end() ? 0 : it->second;
    if (holds + 1 > settings_.max_sessions_per_browser) {
      // Browser limit (§9.2): answer at once, telling the client to poll.
      if (settings_.multi_session_interval_ms > 0) {
        s->multiple_clients = true;
        json::object mc{{"multiple-clients", true},
                        {"reconnect", "retry"},
                        {"interval", settings_.multi_session_interval_ms}};
        response->AddReply(
            ConnectReply(s, h.id, mc, ts, true, &response->events));
      } else {
        json::object mc{{"multiple-clients", true}, {"reconnect", "none"}};
        json::object r = ConnectReply(s, h.id, mc, ts, false, nullptr);
        r["successful"] = false;
        response->AddReply(std::move(r));
      }
      return false;
    }
  }
  if (s->multiple_clients) {
    // Back to normal holding: the advice says so (§9.2).
    s->multiple_clients = false;
    if (advice.empty()) advice = NormalAdvice();
  }
  if (hold) {
    HeldConnect held;
    held.transport = target.transport;
    held.id = h.id;
    held.http = target.http;
    held.ws = target.ws;
    if (counted) held.browser_id = ctx.browser_id;
    held.deadline = Now() + milliseconds(timeout);
    held.advice = std::move(advice);
    held.timesync = ts;
    Hold(s, std::move(held));
    return true;
  }
  response->replies.push_back(
      ConnectReplyText(s, h.id, advice, ts, &response->events));
  return false;
}

// ---------------------------------------------------------------------------
// /meta/subscribe, /meta/unsubscribe (§4.3, §7)

json::object Broker::DoSubscribe(const json::object& m, const MessageHeader& h,
                                 Call* call) {
  json::object r = MakeReply(h);
  std::optional<Timesync> ts = ReadTimesync(m, call->ctx->received_wall_ms);
  Session* s = FindAuthorized(m, call);
  if (s == nullptr) {
    SetError(&r, kErrUnknownClient);
    AddTimesyncReply(ts, clock_->NowMillis(), &r);
    return r;
  }
  NoteActivity(s, *call->target, call->out);
  if (const json::value* sub = m.if_contains("subscription"))
    r["subscription"] = *sub;
  r["clientId"] = s->client_id;
  AddTimesyncReply(ts, clock_->NowMillis(), &r);
  std::vector<std::string> patterns;
  if (std::string_view error = ReadSubscription(m, &patterns); !error.empty()) {
    SetError(&r, error);
    return r;
  }
  const Authority& authority = *call->authority;
  auto may_act_for = [&](const std::string& user) {
    auto it = authority.find({s->client_id, user});
    return it != authority.end() && it->second;
  };
  std::vector<std::string> added;
  for (const auto& p : patterns) {
    SubscribeDecision d =
        CheckSubscribe(p, s->principal, settings_.open_channels, may_act_for);
    if (d == SubscribeDecision::kDeny) {
      SetError(&r, kErrSubscriptionDenied);
      return r;
    }
    if (d == SubscribeDecision::kNoOp) continue;
    bool known = std::find(s->subscriptions.begin(), s->subscriptions.end(),
                           p) != s->subscriptions.end() ||
                 std::find(added.begin(), added.end(), p) != added.end();
    if (!known) added.push_back(p);
  }
  if (static_cast<int64_t>(s->subscriptions.size() + added.size()) >
      settings_.max_subscriptions_per_session) {
    SetError(&r, kErrTooManySubscriptions);
    return r;
  }
  for (const auto& p : added) {
    if (Publishable(p)) subscribers_.Add(s->principal.contact_center_id, p, s);
    s->subscriptions.push_back(p);
  }
  ReplayForSubscribe(s, added, call);
  r["successful"] = true;
  return r;
}

json::object Broker::DoUnsubscribe(const json::object& m,
                                   const MessageHeader& h, Call* call) {
  json::object r = MakeReply(h);
  std::optional<Timesync> ts = ReadTimesync(m, call->ctx->received_wall_ms);
  Session* s = FindAuthorized(m, call);
  if (s == nullptr) {
    SetError(&r, kErrUnknownClient);
    AddTimesyncReply(ts, clock_->NowMillis(), &r);
    return r;
  }
  NoteActivity(s, *call->target, call->out);
  if (const json::value* sub = m.if_contains("subscription"))
    r["subscription"] = *sub;
  r["clientId"] = s->client_id;
  AddTimesyncReply(ts, clock_->NowMillis(), &r);
  std::vector<std::string> patterns;
  if (std::string_view error = ReadSubscription(m, &patterns); !error.empty()) {
    SetError(&r, error);
    return r;
  }
  for (const auto& p : patterns) {
    auto& subs = s->subscriptions;
    auto it = std::find(subs.begin(), subs.end(), p);
    if (it == subs.end()) continue;
    subs.erase(it);  // no duplicates
    subscribers_.Remove(s->principal.contact_center_id, p, s);
  }
  r["successful"] = true;
  return r;
}

// ---------------------------------------------------------------------------
// /meta/disconnect (§4.5)

json::object Broker::DoDisconnect(const json::object& m, const MessageHeader& h,
                                  Call* call) {
  json::object r = MakeReply(h);
  std::optional<Timesync> ts = ReadTimesync(m, call->ctx->received_wall_ms);
  Session* s = FindAuthorized(m, call);
  if (s == nullptr) {
    SetError(&r, kErrUnknownClient);
  } else {
    r["successful"] = true;
    r["clientId"] = s->client_id;
    MaybeTouch(s, call->out);
    EndSession(s, EndReason::kDisconnect, call->out);
  }
  AddTimesyncReply(ts, clock_->NowMillis(), &r);
  return r;
}

// ---------------------------------------------------------------------------
// Publish (§4.4, §7.3)

json::object Broker::DoPublish(const json::object& m, const MessageHeader& h,
                               Call* call) {
  json::object r = MakeReply(h);
  Session* s = FindAuthorized(m, call);
  if (s == nullptr) {
    SetError(&r, kErrUnknownClient);
    return r;
  }
  NoteActivity(s, *call->target, call->out);
  const json::value* data = m.if_contains("data");
  if (data == nullptr || data->is_null()) {
    SetError(&r, kErrDataMissing);
    return r;
  }
  PublishDecision d = CheckPublish(h.channel, settings_.open_channels);
  if (d == PublishDecision::kDeny) {
    SetError(&r, kErrPublishDenied);
    return r;
  }
  r["successful"] = true;
  if (d == PublishDecision::kService) return r;
  // Enqueue may end a session (overflow), which changes the index but not
  // the matches taken from it; each session is matched once.
  subscribers_.Match(s->principal.contact_center_id, h.channel,
                     &match_scratch_);
  if (match_scratch_.empty()) return r;
  EventPtr event = MakeChannelEvent(h.channel, *data);
  for (Session* t : match_scratch_)
    Enqueue(t, event, call->out, /*defer_release=*/true);
  return r;
}

}  // namespace workbind::cometd
