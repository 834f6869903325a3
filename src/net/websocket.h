// WebSocket connection as seen by the layers above net/ (cometd/). The
// transport owns the socket; a WebSocketConnection handle may be kept by the
// owner of the handler. Thread-safe: Send and Close may be called from any
// thread; they are posted to the connection's executor.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/http_message.h"

namespace workbind::net {

// Receives the events of one WebSocket connection. Called on the
// connection's executor, one at a time, never concurrently.
class WebSocketHandler {
 public:
  // The answer to an upgrade request: no reply accepts it (the transport
  // writes the handshake reply, 101); a reply refuses it (that reply is
  // written instead and the connection closes after it).
  using UpgradeDecision = std::function<void(std::optional<HttpResponse>)>;

  virtual ~WebSocketHandler() = default;
  // Called once, before the handshake reply is written and before any other
  // event: `decide` must be called exactly once, from any thread, now or
  // later (e.g. after checking credentials on another thread). On a refusal,
  // or when the connection closes before the decision, OnClose follows and
  // no OnMessage. The default accepts at once.
  virtual void DecideUpgrade(UpgradeDecision decide) { decide(std::nullopt); }
  // A complete text message arrived.
  virtual void OnMessage(std::string text) = 0;
  // The connection closed (by either side, error or timeout). Called once;
  // no OnMessage follows.
  virtual void OnClose() = 0;
  // Appends the outgoing message `next` to the outgoing message `*into` as
  // one message, when the handler's protocol allows it; false leaves `*into`
  // unchanged. The transport calls it on the connection's executor, with
  // texts given to WebSocketConnection::Send in their order, so that the
  // messages queued while a write is in flight leave in one frame (one
  // system call). The default joins nothing: one Send, one frame.
  virtual bool JoinMessages(std::string* into, std::string_view next) {
    return false;
  }
};

class WebSocketConnection {
 public:
  virtual ~WebSocketConnection() = default;
  // Queues a text message: one frame, or part of one frame when the handler
  // joins it to the messages queued before it (JoinMessages). Returns false
  // when the connection is closed or the queued bytes exceed
  // ServerLimits::ws_max_pending_bytes (the connection is then closed).
  virtual bool Send(std::string text) = 0;
  // Starts a normal close (code 1000) after the frames already queued.
  // Idempotent.
  virtual void Close() = 0;
  // Starts a close with the given status code (e.g. 1007 for malformed data)
  // after the frames already queued. Codes outside 1000-4999 or reserved for
  // the wire (1004-1006, 1015) are sent as 1000. Only the first Close or
  // CloseWithCode counts. The default calls Close().
  virtual void CloseWithCode(int code) { Close(); }
  virtual const std::string& remote_address() const = 0;
};

}  // namespace workbind::net
