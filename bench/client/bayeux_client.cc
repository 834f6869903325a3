#include "bayeux_client.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

namespace workbind::bench {

namespace json = boost::json;

namespace {

// Pause before retrying a connect that failed, so that a refusing server is
// not hammered.
constexpr std::chrono::milliseconds kRetryPause{100};

std::string ErrorOf(const json::array& replies) {
  for (const auto& r : replies)
    if (const auto* o = r.if_object())
      if (const auto* s = o->if_contains("successful");
          s && s->is_bool() && !s->as_bool()) {
        if (const auto* e = o->if_contains("error"); e && e->is_string())
          return std::string(e->as_string());
        return "unsuccessful";
      }
  return {};
}

}  // namespace

BayeuxClient::BayeuxClient(EventLoop* loop, BayeuxConfig config)
    : loop_(loop), config_(std::move(config)) {
  if (!config_.cookies) config_.cookies = std::make_shared<CookieJar>();
  poll_ = std::make_unique<HttpConnection>(loop_, config_.endpoint);
}

BayeuxClient::~BayeuxClient() { Stop(); }

HttpConnection* BayeuxClient::command() {
  if (!command_)
    command_ = std::make_unique<HttpConnection>(loop_, config_.endpoint);
  return command_.get();
}

void BayeuxClient::Send(Via via, const json::array& messages,
                        RepliesDone done) {
  if (config_.transport == BayeuxTransport::kWebSocket)
    return SendWs(messages, std::move(done));
  SendHttp(via == Via::kPoll ? poll_.get() : command(), messages,
           std::move(done));
}

void BayeuxClient::SendHttp(HttpConnection* conn, const json::array& messages,
                            RepliesDone done) {
  HttpCall call;
  call.method = "POST";
  call.target = config_.path;
  call.body = json::serialize(messages);
  const bool handshake =
      messages.size() == 1 &&
      messages[0].as_object().at("channel").as_string() == "/meta/handshake";
  if (handshake && !config_.authorization.empty())
    call.headers.push_back({"Authorization", config_.authorization});
  config_.cookies->Apply(&call);
  std::weak_ptr<Alive> alive = alive_;
  conn->Send(std::move(call), [this, alive,
                               done = std::move(done)](HttpReply reply) {
    if (alive.expired()) return;
    config_.cookies->Absorb(reply);
    if (!reply.ok()) return done(false, {}, reply.error);
    if (reply.status != 200)
      return done(false, {},
                  "HTTP " + std::to_string(reply.status) + " " + reply.body);
    boost::system::error_code ec;
    json::value v = json::parse(reply.body, ec);
    if (ec) return done(false, {}, "bad JSON: " + ec.message());
    json::array replies;
    if (v.is_array())
      replies = std::move(v.as_array());
    else
      replies.push_back(std::move(v));
    std::string error = ErrorOf(replies);
    done(error.empty(), std::move(replies), error);
  });
}

WsConnection* BayeuxClient::socket() {
  if (ws_ && ws_->usable()) return ws_.get();
  ws_ = std::make_unique<WsConnection>(loop_, config_.endpoint);
  HttpCall cookies;
  config_.cookies->Apply(&cookies);
  std::weak_ptr<Alive> alive = alive_;
  WsConnection* ws = ws_.get();
  ws->Open(
      config_.path, std::move(cookies.headers),
      [this, alive](std::string_view text) {
        if (!alive.expired()) OnWsMessage(text);
      },
      [this, alive, ws](const std::string& why) {
        if (!alive.expired() && ws_.get() == ws) OnWsClosed(why);
      });
  return ws;
}

void BayeuxClient::SendWs(const json::array& messages, RepliesDone done) {
  auto pending = std::make_shared<WsPending>();
  pending->done = std::move(done);
  for (const auto& m : messages)
    if (const auto* id = m.as_object().if_contains("id")) {
      ws_pending_[std::string(id->as_string())] = pending;
      ++pending->remaining;
    }
  socket()->Send(json::serialize(messages));
}

// A message with data on a non-meta channel is an event; any other message
// whose id is awaited is a reply (the id of an event is its publisher's).
void BayeuxClient::OnWsMessage(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return;
  json::array messages;
  if (v.is_array())
    messages = std::move(v.as_array());
  else
    messages.push_back(std::move(v));
  for (auto& m : messages) {
    const auto* o = m.if_object();
    if (!o) continue;
    const auto* channel = o->if_contains("channel");
    if (!channel || !channel->is_string()) continue;
    std::string_view name = channel->as_string();
    if (!name.starts_with("/meta/")) {
      if (const auto* data = o->if_contains("data")) {
        if (on_event_) on_event_(name, *data);
        continue;
      }
    }
    const auto* id = o->if_contains("id");
    if (!id || !id->is_string()) continue;
    auto it = ws_pending_.find(std::string(id->as_string()));
    if (it == ws_pending_.end()) continue;
    std::shared_ptr<WsPending> pending = std::move(it->second);
    ws_pending_.erase(it);
    pending->replies.push_back(std::move(m));
    if (--pending->remaining > 0) continue;
    std::string error = ErrorOf(pending->replies);
    std::weak_ptr<Alive> alive = alive_;
    pending->done(error.empty(), std::move(pending->replies), error);
    if (alive.expired()) return;  // the callback stopped this client
  }
}

// Every exchange still waiting fails; the next Send opens a new socket.
void BayeuxClient::OnWsClosed(const std::string& why) {
  std::vector<std::shared_ptr<WsPending>> failed;
  for (auto& [id, p] : ws_pending_)
    if (std::find(failed.begin(), failed.end(), p) == failed.end())
      failed.push_back(p);
  ws_pending_.clear();
  std::weak_ptr<Alive> alive = alive_;
  for (auto& p : failed) {
    if (alive.expired()) return;
    p->done(false, {}, "websocket " + why);
  }
}

void BayeuxClient::Login(Done done) {
  login_ = std::make_unique<HttpConnection>(loop_, config_.endpoint);
  HttpCall call;
  call.target = config_.login_target;
  call.headers.push_back({"Authorization", config_.authorization});
  std::weak_ptr<Alive> alive = alive_;
  login_->Send(
      std::move(call), [this, alive, done = std::move(done)](HttpReply reply) {
        if (alive.expired()) return;
        config_.cookies->Absorb(reply);
        login_.reset();  // one connection fewer per client while it runs
        if (!reply.ok()) return done(false, "login: " + reply.error);
        if (reply.status != 200)
          return done(false, "login: HTTP " + std::to_string(reply.status));
        done(true, {});
      });
}

void BayeuxClient::Handshake(Done done) {
  const bool websocket = config_.transport == BayeuxTransport::kWebSocket;
  if (websocket && !config_.authorization.empty() &&
      config_.cookies->Get("JSESSIONID").empty())
    return Login(
        [this, done = std::move(done)](bool ok, const std::string& error) {
          if (!ok) {
            ++failures_;
            return done(false, error);
          }
          SendHandshake(done);
        });
  SendHandshake(std::move(done));
}

void BayeuxClient::SendHandshake(Done done) {
  const char* type = config_.transport == BayeuxTransport::kWebSocket
                         ? "websocket"
                         : "long-polling";
  json::array batch;
  batch.push_back(
      json::object{{"id", std::to_string(next_id_++)},
                   {"channel", "/meta/handshake"},
                   {"version", "1.0"},
                   {"minimumVersion", "1.0"},
                   {"supportedConnectionTypes", json::array{type}}});
  Send(Via::kPoll, batch,
       [this, done = std::move(done)](bool ok, json::array replies,
                                      const std::string& error) {
         if (ok)
           for (const auto& r : replies)
             if (const auto* o = r.if_object())
               if (const auto* id = o->if_contains("clientId"))
                 client_id_ = std::string(id->as_string());
         if (ok && client_id_.empty()) ok = false;
         if (!ok) ++failures_;
         done(ok, ok ? std::string() : "handshake: " + error);
       });
}

void BayeuxClient::Subscribe(const std::vector<std::string>& channels,
                             Done done) {
  for (const auto& c : channels) subscriptions_.push_back(c);
  json::array batch;
  for (const auto& c : channels)
    batch.push_back(json::object{{"id", std::to_string(next_id_++)},
                                 {"channel", "/meta/subscribe"},
                                 {"clientId", client_id_},
                                 {"subscription", c}});
  Send(Via::kPoll, batch,
       [this, done = std::move(done)](bool ok, json::array replies,
                                      const std::string& error) {
         if (!ok) ++failures_;
         Dispatch(replies);
         done(ok, ok ? std::string() : "subscribe: " + error);
       });
}

void BayeuxClient::StartPolling(EventHandler on_event) {
  on_event_ = std::move(on_event);
  polling_ = true;
  Poll();
}

void BayeuxClient::Poll() {
  if (!polling_) return;
  json::array batch;
  batch.push_back(json::object{
      {"id", std::to_string(next_id_++)},
      {"channel", "/meta/connect"},
      {"clientId", client_id_},
      {"connectionType", config_.transport == BayeuxTransport::kWebSocket
                             ? "websocket"
                             : "long-polling"}});
  Send(Via::kPoll, batch,
       [this](bool ok, json::array replies, const std::string&) {
         OnPollReply(ok, std::move(replies));
       });
}

void BayeuxClient::OnPollReply(bool ok, json::array replies) {
  Dispatch(replies);
  if (ok) return Poll();
  ++failures_;
  bool rehandshake = false;
  for (const auto& r : replies)
    if (const auto* o = r.if_object())
      if (const auto* advice = o->if_contains("advice"))
        if (const auto* rc = advice->as_object().if_contains("reconnect"))
          rehandshake = rc->as_string() == "handshake";
  std::weak_ptr<Alive> alive = alive_;
  loop_->After(kRetryPause, [this, alive, rehandshake] {
    if (alive.expired() || !polling_) return;
    if (!rehandshake) return Poll();
    Handshake([this](bool ok, const std::string&) {
      if (!ok) return OnPollReply(false, {});
      std::vector<std::string> subs;
      subs.swap(subscriptions_);
      if (subs.empty()) return Poll();
      Subscribe(subs, [this](bool, const std::string&) { Poll(); });
    });
  });
}

void BayeuxClient::Dispatch(const json::array& replies) {
  if (!on_event_) return;
  for (const auto& r : replies) {
    const auto* o = r.if_object();
    if (!o) continue;
    const auto* channel = o->if_contains("channel");
    const auto* data = o->if_contains("data");
    if (!channel || !data || !channel->is_string()) continue;
    std::string_view name = channel->as_string();
    if (name.starts_with("/meta/")) continue;
    on_event_(name, *data);
  }
}

void BayeuxClient::Publish(
    const std::vector<std::pair<std::string, json::value>>& messages,
    Done done) {
  json::array batch;
  for (const auto& [channel, data] : messages)
    batch.push_back(json::object{{"id", std::to_string(next_id_++)},
                                 {"channel", channel},
                                 {"clientId", client_id_},
                                 {"data", data}});
  Send(Via::kCommand, batch,
       [this, done = std::move(done)](bool ok, json::array replies,
                                      const std::string& error) {
         if (!ok) ++failures_;
         Dispatch(replies);
         done(ok, ok ? std::string() : "publish: " + error);
       });
}

void BayeuxClient::Disconnect(Done done) {
  json::array batch;
  batch.push_back(json::object{{"id", std::to_string(next_id_++)},
                               {"channel", "/meta/disconnect"},
                               {"clientId", client_id_}});
  Send(Via::kCommand, batch,
       [done = std::move(done)](bool ok, json::array, const std::string& e) {
         done(ok, e);
       });
}

void BayeuxClient::Stop() {
  polling_ = false;
  alive_ = std::make_shared<Alive>();  // earlier callbacks see expiry
  if (poll_) poll_->Close();
  if (command_) command_->Close();
  if (ws_) ws_->Close();
  login_.reset();
  ws_pending_.clear();
}

}  // namespace workbind::bench
