// WebSocketChannel: the Bayeux side of one WebSocket connection (§1.3). It
// authenticates the upgrade request on the Executor (frames arriving before
// that finishes wait), then decodes each text frame and hands its messages to
// the Broker in arrival order; replies and events go out through its WsLink.
// A frame over maxMessageBytes or with malformed JSON closes the socket; an
// empty array (Faye's keep-alive) is ignored.
// Thread-safe: OnMessage/OnClose come from the transport (serially); the
// authentication and frames that need the Authenticator complete on the
// Executor. Owned by the transport (shared_ptr); keeps the Broker pointer.
#pragma once

#include <boost/json.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cometd/broker.h"
#include "cometd/ws_link.h"
#include "common/http_message.h"
#include "net/websocket.h"

namespace workbind::cometd {

class WebSocketChannel final
    : public net::WebSocketHandler,
      public std::enable_shared_from_this<WebSocketChannel> {
 public:
  WebSocketChannel(Broker* broker,
                   std::shared_ptr<net::WebSocketConnection> connection);

  // Starts authenticating `upgrade` on the Executor. Call once, right after
  // construction.
  void Start(const HttpRequest& upgrade);

  void OnMessage(std::string text) override;
  void OnClose() override;

 private:
  // Processes queued frames in order until none is left. A frame that needs
  // the Authenticator is parked and the drain continues on the Executor.
  void Drain(bool on_executor);
  void CloseForProtocolError();

  Broker* const broker_;
  const std::shared_ptr<WsLink> link_;

  std::mutex mu_;
  bool authenticated_ = false;   // authentication finished (either way)
  RequestContext base_context_;  // credentials of the upgrade request
  std::deque<std::string> pending_;
  std::optional<std::vector<boost::json::object>> parked_;
  bool draining_ = false;
  bool closed_ = false;
};

}  // namespace workbind::cometd
