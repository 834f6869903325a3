#include "cometd/websocket_channel.h"

#include <cctype>
#include <string_view>
#include <utility>

#include "cometd/channel.h"
#include "http/error_mapping.h"

namespace workbind::cometd {
namespace json = boost::json;
namespace {

// Faye's WebSocket transport sends "[]" as a keep-alive: no messages, no reply.
bool IsKeepAlive(std::string_view text) {
  while (!text.empty() &&
         std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.size() < 2 || text.front() != '[' || text.back() != ']')
    return false;
  for (char c : text.substr(1, text.size() - 2))
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

bool HasHandshake(const std::vector<json::object>& messages) {
  for (const auto& m : messages) {
    const json::value* c = m.if_contains("channel");
    if (c != nullptr && c->is_string() &&
        NormalizeChannel(c->get_string()) == std::string(kMetaHandshake))
      return true;
  }
  return false;
}

// RFC 6455 7.4.1: the endpoint terminates the connection because a message
// violates its policy (here: the credentials no longer hold).
constexpr int kPolicyViolation = 1008;

// The part of the upgrade request that re-authentication reads: its line,
// peer address, credentials (Authorization, Cookie) and whether a browser's
// script sent it (Origin, X-Requested-With). The channel keeps it for the
// socket's life, so the other headers are not kept.
HttpRequest WhatReauthenticationReads(const HttpRequest& upgrade) {
  HttpRequest r;
  r.method = upgrade.method;
  r.target = upgrade.target;
  r.remote_address = upgrade.remote_address;
  r.secure = upgrade.secure;
  r.version = upgrade.version;
  for (const auto& [name, value] : upgrade.headers) {
    if (EqualsIgnoreCase(name, "Authorization") ||
        EqualsIgnoreCase(name, "Cookie") || EqualsIgnoreCase(name, "Origin") ||
        EqualsIgnoreCase(name, "X-Requested-With"))
      r.headers.emplace_back(name, value);
  }
  return r;
}

}  // namespace

WebSocketChannel::WebSocketChannel(
    Broker* broker, SocketsBySession* sockets,
    std::shared_ptr<net::WebSocketConnection> connection,
    const HttpRequest& upgrade)
    : broker_(broker),
      sockets_(sockets),
      link_(std::make_shared<WsLink>(std::move(connection))),
      upgrade_(WhatReauthenticationReads(upgrade)) {
  base_context_.transport = Transport::kWebSocket;
}

void WebSocketChannel::DecideUpgrade(UpgradeDecision decide) {
  std::shared_ptr<WebSocketChannel> self = shared_from_this();
  broker_->executor()->Post([self, decide = std::move(decide)] {
    RequestContext ctx;
    Status st = self->Reauthenticate(&ctx);
    if (!st.ok()) {
      HttpResponse refusal = http::ErrorResponse(st);
      // No Basic challenge for a browser's script (it would make the browser
      // prompt and then replay the credentials cross-site).
      if (FromBrowserScript(self->upgrade_))
        RemoveHeader(&refusal, "WWW-Authenticate");
      decide(std::move(refusal));
      return;
    }
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      self->base_context_ = std::move(ctx);
    }
    decide(std::nullopt);
  });
}

Status WebSocketChannel::Reauthenticate(RequestContext* ctx) {
  // Once bound, the credentials are checked against the bound HTTP session:
  // Basic credentials reuse it (instead of opening a session per handshake)
  // when it is still alive, a cookie is that session.
  HttpRequest request = upgrade_;
  std::string bound;
  {
    std::lock_guard<std::mutex> lock(mu_);
    bound = http_session_id_;
  }
  if (!bound.empty()) {
    std::erase_if(request.headers, [](const auto& h) {
      return EqualsIgnoreCase(h.first, "Cookie");
    });
    request.headers.emplace_back("Cookie", "JSESSIONID=" + bound);
  }
  HeaderList ignored;  // the upgrade reply (or a frame) cannot set cookies
  Result<domain::Principal> principal =
      broker_->authenticator()->Authenticate(request, &ignored);
  ctx->transport = Transport::kWebSocket;
  ctx->auth = RequestAuth{};
  ctx->principal.reset();
  if (!principal.ok()) return principal.status();
  // Later frames are bound like later long-polling requests (§2.3): Basic
  // credentials by user, a cookie by its HTTP session.
  if (upgrade_.HasHeader("Authorization")) {
    ctx->auth.basic = true;
    ctx->auth.basic_user_id = principal->user_id;
  } else {
    ctx->auth.session_cookies.push_back(principal->http_session_id);
  }
  BindTo(principal->http_session_id);
  ctx->principal = std::move(principal).value();
  return Status::Ok();
}

void WebSocketChannel::BindTo(const std::string& http_session_id) {
  std::string previous;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (http_session_id_ == http_session_id) return;
    previous = std::exchange(http_session_id_, http_session_id);
  }
  if (!previous.empty()) sockets_->Unbind(previous, this);
  sockets_->Bind(http_session_id, shared_from_this());
}

void WebSocketChannel::SessionEnded() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    closed_ = true;
    pending_.clear();
    parked_.reset();
  }
  link_->CloseAfterQueued(kPolicyViolation);
}

void WebSocketChannel::OnMessage(std::string text) {
  if (static_cast<int64_t>(text.size()) >
      broker_->settings().max_message_bytes) {
    CloseForProtocolError();  // 1009 when the transport enforces the same limit
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    pending_.push_back(std::move(text));
    if (draining_) return;
    draining_ = true;
  }
  Drain(false);
}

void WebSocketChannel::OnClose() {
  std::string bound;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    pending_.clear();
    parked_.reset();
    bound = http_session_id_;
  }
  if (!bound.empty()) sockets_->Unbind(bound, this);
  broker_->LinkClosed(link_);
}

bool WebSocketChannel::JoinMessages(std::string* into, std::string_view next) {
  // Every text sent is a Batch's array: "[...]" with at least one message.
  if (into->size() < 3 || into->front() != '[' || into->back() != ']' ||
      next.size() < 3 || next.front() != '[' || next.back() != ']')
    return false;
  into->back() = ',';
  into->append(next.substr(1));
  return true;
}

void WebSocketChannel::CloseForProtocolError() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    pending_.clear();
    parked_.reset();
  }
  link_->Close();
}

void WebSocketChannel::Drain(bool on_executor) {
  for (;;) {
    std::optional<std::vector<json::object>> messages;
    std::string text;
    RequestContext ctx;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) {
        draining_ = false;
        return;
      }
      if (parked_) {
        messages = std::move(parked_);
        parked_.reset();
      } else if (pending_.empty()) {
        draining_ = false;
        return;
      } else {
        text = std::move(pending_.front());
        pending_.pop_front();
        if (pending_.empty()) pending_.shrink_to_fit();
      }
      ctx = base_context_;
    }
    if (!messages) {
      if (IsKeepAlive(text)) continue;
      DecodeResult decoded = DecodeMessages(text);
      if (decoded.error) {
        CloseForProtocolError();  // 1007 for malformed JSON
        std::lock_guard<std::mutex> lock(mu_);
        draining_ = false;
        return;
      }
      messages = std::move(decoded.messages);
      if (!on_executor &&
          (HasHandshake(*messages) || Broker::NeedsBlockingWork(*messages))) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          parked_ = std::move(messages);
        }
        std::shared_ptr<WebSocketChannel> self = shared_from_this();
        broker_->executor()->Post([self] { self->Drain(true); });
        return;  // draining_ stays set: the executor continues
      }
    }
    // A handshake is authenticated against the live HTTP session, never
    // the principal the upgrade found: a session ended since then refuses
    // it, and the socket closes after the refusal.
    bool refused = false;
    if (HasHandshake(*messages)) {
      Status st = Reauthenticate(&ctx);
      refused = !st.ok();
      if (st.code() == Code::kTooManyAttempts) ctx.auth_refusal = st.message();
      if (!refused) {
        std::lock_guard<std::mutex> lock(mu_);
        base_context_.auth = ctx.auth;
        base_context_.principal = ctx.principal;
      }
    }
    ctx.received_at = broker_->clock()->SteadyNow();
    ctx.received_wall_ms = broker_->clock()->NowMillis();
    broker_->HandleFrame(std::move(*messages), std::move(ctx), link_);
    if (refused) {
      SessionEnded();
      std::lock_guard<std::mutex> lock(mu_);
      draining_ = false;
      return;
    }
  }
}

}  // namespace workbind::cometd
