// WsConnection: one client WebSocket (RFC 6455 over plain TCP) on the load
// client's EventLoop, for Bayeux over WebSocket. Text frames only, no
// compression. Not thread-safe: every call and every callback happens on the
// loop's thread. Boost.Beast's websocket stays inside ws_client.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.h"

namespace workbind::bench {

class WsConnection {
 public:
  // Each received message (all its frames), as text.
  using MessageHandler = std::function<void(std::string_view text)>;
  // The socket failed or the server closed it: `why` says which. Called at
  // most once, and never after Close().
  using ClosedHandler = std::function<void(const std::string& why)>;

  WsConnection(EventLoop* loop, Endpoint endpoint);
  // Closes the socket; no callback follows.
  ~WsConnection();
  WsConnection(const WsConnection&) = delete;
  WsConnection& operator=(const WsConnection&) = delete;

  // Connects (from endpoint.bind_address when set) and sends the upgrade
  // request for `target` with `headers` (e.g. Cookie). Messages passed to
  // Send() before the upgrade completes wait for it. `on_closed` also
  // reports a failed connect or a refused upgrade.
  void Open(std::string target, std::vector<HttpHeader> headers,
            MessageHandler on_message, ClosedHandler on_closed);
  // Queues one text message; messages leave in the order of Send().
  // Dropped when the socket is closed.
  void Send(std::string text);
  // Closes the socket now (no closing handshake); queued messages are
  // dropped and no callback follows.
  void Close();
  // True from Open() until the socket failed or was closed.
  bool usable() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace workbind::bench
