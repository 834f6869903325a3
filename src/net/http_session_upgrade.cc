// HttpSession: the WebSocket upgrade of a connection.
#include <boost/asio/post.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <utility>

#include "net/http_session_impl.h"

namespace workbind::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

}  // namespace

// An upgrade request that the RequestHandler accepts stops the reading: the
// socket moves to the WebSocket once the handler decides and every earlier
// reply is written. Returns false when the request is to be answered as
// plain HTTP.
template <typename Stream>
bool HttpSession<Stream>::OfferUpgrade(const HttpRequest& request,
                                       RequestMessage& message) {
  if (!beast::websocket::is_upgrade(message)) return false;
  PendingWebSocket<Stream> websocket =
      PrepareWebSocket<Stream>(executor_, context_, remote_address_);
  std::shared_ptr<WebSocketHandler> handler =
      context_->handler->AcceptWebSocket(request, websocket.connection);
  if (!handler) return false;
  read_state_ = ReadState::kStopped;
  upgrade_.emplace(Upgrade{std::move(websocket), handler, std::move(message)});
  upgrade_decided_ = false;
  // No read is pending while the handler decides: hold ourselves
  // (released by CloseNow, or when the socket moves to the WebSocket).
  hold_ = shared_from_this();
  // The decision may come from another thread: through the gate (the
  // server may be stopping) and posted to the strand, like a reply.
  std::weak_ptr<HttpSession> weak = weak_from_this();
  std::shared_ptr<SessionContext> context = context_;
  handler->DecideUpgrade([weak, context](std::optional<HttpResponse> refusal) {
    context->gate.Run([&] {
      if (auto self = weak.lock()) {
        asio::post(
            self->executor_, [self, refusal = std::move(refusal)]() mutable {
              self->Guard([&] { self->OnUpgradeDecided(std::move(refusal)); });
            });
      }
    });
  });
  return true;
}

// The upgrade waits until every earlier reply is written, then the socket
// moves to the WebSocket session with this connection's registry entry.
template <typename Stream>
void HttpSession<Stream>::MaybeStartUpgrade() {
  if (!upgrade_ || !upgrade_decided_ || writing_ || !pipeline_.empty() ||
      closed_)
    return;
  if (draining_) {
    MaybeFinishDrain();
    return;
  }
  Upgrade upgrade = std::move(*upgrade_);
  upgrade_.reset();
  if (buffer_.size() > 0) {
    log::Debug("http {}: ignoring {} bytes sent before the upgrade reply",
               remote_address_, buffer_.size());
  }
  closed_ = true;  // this object is done; its timers' waits end as aborted
  read_timer_.cancel();
  write_timer_.cancel();
  if (hold_) asio::post(executor_, [hold = std::move(hold_)] {});
  RunWebSocket(upgrade.websocket.session, std::move(upgrade.handler),
               std::move(stream_), std::move(upgrade.request),
               std::exchange(id_, 0));
}

// The handler's answer to the upgrade request. A refusal is written like any
// reply, after the earlier ones, and closes the connection; the WebSocket
// handler learns of it through OnClose.
template <typename Stream>
void HttpSession<Stream>::OnUpgradeDecided(
    std::optional<HttpResponse> refusal) {
  if (!upgrade_ || upgrade_decided_ || closed_) return;  // aborted meanwhile
  if (!refusal) {
    upgrade_decided_ = true;
    MaybeStartUpgrade();
    return;
  }
  Upgrade upgrade = std::move(*upgrade_);
  upgrade_.reset();
  AbortWebSocket(upgrade.websocket.session, upgrade.handler);
  const uint64_t seq = next_seq_++;
  Slot slot;
  slot.close_after = true;
  slot.version = upgrade.request.version() == 10 ? 10 : 11;
  pipeline_.push_back(std::move(slot));
  // hold_, taken when the decision was asked for, keeps us until the reply
  // is written (released by CloseNow).
  OnReply(seq, std::move(*refusal));
}

// The member functions above, for both streams.
#define WORKBIND_HTTP_SESSION_UPGRADE(S)                         \
  template bool HttpSession<S>::OfferUpgrade(const HttpRequest&, \
                                             RequestMessage&);   \
  template void HttpSession<S>::MaybeStartUpgrade();             \
  template void HttpSession<S>::OnUpgradeDecided(std::optional<HttpResponse>);
WORKBIND_HTTP_SESSION_UPGRADE(TcpStream)
WORKBIND_HTTP_SESSION_UPGRADE(TlsStream)
#undef WORKBIND_HTTP_SESSION_UPGRADE

}  // namespace workbind::net
