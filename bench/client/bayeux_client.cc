#include "bayeux_client.h"

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

void BayeuxClient::Send(
    HttpConnection* conn, const json::array& messages,
    std::function<void(bool, json::array, const std::string&)> done) {
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

void BayeuxClient::Handshake(Done done) {
  json::array batch;
  batch.push_back(
      json::object{{"id", std::to_string(next_id_++)},
                   {"channel", "/meta/handshake"},
                   {"version", "1.0"},
                   {"minimumVersion", "1.0"},
                   {"supportedConnectionTypes", json::array{"long-polling"}}});
  Send(poll_.get(), batch,
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
  Send(poll_.get(), batch,
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
  batch.push_back(json::object{{"id", std::to_string(next_id_++)},
                               {"channel", "/meta/connect"},
                               {"clientId", client_id_},
                               {"connectionType", "long-polling"}});
  Send(poll_.get(), batch,
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
  Send(command(), batch,
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
  Send(command(), batch,
       [done = std::move(done)](bool ok, json::array, const std::string& e) {
         done(ok, e);
       });
}

void BayeuxClient::Stop() {
  polling_ = false;
  alive_ = std::make_shared<Alive>();  // earlier callbacks see expiry
  if (poll_) poll_->Close();
  if (command_) command_->Close();
}

}  // namespace workbind::bench
