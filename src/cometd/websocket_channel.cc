#include "cometd/websocket_channel.h"

#include <cctype>
#include <string_view>
#include <utility>

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

}  // namespace

WebSocketChannel::WebSocketChannel(
    Broker* broker, std::shared_ptr<net::WebSocketConnection> connection)
    : broker_(broker), link_(std::make_shared<WsLink>(std::move(connection))) {
  base_context_.transport = Transport::kWebSocket;
}

void WebSocketChannel::Start(const HttpRequest& upgrade) {
  auto request = std::make_shared<HttpRequest>(upgrade);
  request->body.clear();
  std::shared_ptr<WebSocketChannel> self = shared_from_this();
  broker_->executor()->Post([self, request] {
    HeaderList ignored;  // an upgrade reply has been sent already
    Result<domain::Principal> principal =
        self->broker_->authenticator()->Authenticate(*request, &ignored);
    RequestContext ctx;
    ctx.transport = Transport::kWebSocket;
    if (principal.ok()) {
      // Later frames are bound like later long-polling requests (§2.3):
      // Basic credentials by user, a cookie by its HTTP session.
      if (request->HasHeader("Authorization")) {
        ctx.auth.basic = true;
        ctx.auth.basic_user_id = principal->user_id;
      } else {
        ctx.auth.session_cookies.push_back(principal->http_session_id);
      }
      ctx.principal = std::move(principal).value();
    } else if (principal.status().code() == Code::kTooManyAttempts) {
      ctx.auth_refusal = principal.status().message();
    }
    bool start;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      self->base_context_ = std::move(ctx);
      self->authenticated_ = true;
      start = !self->draining_ && !self->closed_ && !self->pending_.empty();
      if (start) self->draining_ = true;
    }
    if (start) self->Drain(true);
  });
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
    if (draining_ || !authenticated_) return;
    draining_ = true;
  }
  Drain(false);
}

void WebSocketChannel::OnClose() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    pending_.clear();
    parked_.reset();
  }
  broker_->LinkClosed(link_);
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
      if (!on_executor && Broker::NeedsBlockingWork(*messages)) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          parked_ = std::move(messages);
        }
        std::shared_ptr<WebSocketChannel> self = shared_from_this();
        broker_->executor()->Post([self] { self->Drain(true); });
        return;  // draining_ stays set: the executor continues
      }
    }
    ctx.received_at = broker_->clock()->SteadyNow();
    ctx.received_wall_ms = broker_->clock()->NowMillis();
    broker_->HandleFrame(std::move(*messages), std::move(ctx), link_);
  }
}

}  // namespace workbind::cometd
