// Internal to net/. One accepted WebSocket connection (Beast websocket::stream
// over the stream of an HTTP connection: TcpStream or TlsStream, a template
// parameter, explicitly instantiated for both in websocket_session.cc). The
// session object holds the socket and is owned by its pending I/O operations;
// the WebSocketConnection handle given to the layers above holds only a weak
// reference to it, so a handle may outlive the connection and the server
// harmlessly.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <string>

#include "net/connection_registry.h"
#include "net/stream_types.h"
#include "net/websocket.h"

namespace workbind::net {

template <typename Stream>
class WebSocketSession;  // defined in websocket_session.cc

using UpgradeRequest =
    boost::beast::http::request<boost::beast::http::string_body>;

// A session prepared for an upgrade request, before the handshake.
template <typename Stream>
struct PendingWebSocket {
  std::shared_ptr<WebSocketSession<Stream>> session;
  // The handle passed to RequestHandler::AcceptWebSocket. Frames sent on it
  // before the handshake are queued and written after it.
  std::shared_ptr<WebSocketConnection> connection;
};

// Creates the session object and its connection handle. `executor` is the
// strand of the HTTP connection; every later call below runs on it.
template <typename Stream>
PendingWebSocket<Stream> PrepareWebSocket(
    boost::asio::any_io_executor executor,
    std::shared_ptr<SessionContext> context, std::string remote_address);

// Takes over `stream` and the registry entry `id` (both from the HTTP
// session), completes the handshake for `upgrade` and runs the connection,
// delivering its events to `handler`. Call on the strand.
template <typename Stream>
void RunWebSocket(const std::shared_ptr<WebSocketSession<Stream>>& session,
                  std::shared_ptr<WebSocketHandler> handler, Stream stream,
                  UpgradeRequest upgrade, ConnectionRegistry::Id id);

// The HTTP connection closed before the handshake could start: marks the
// handle closed and calls handler->OnClose(). Call on the strand.
template <typename Stream>
void AbortWebSocket(const std::shared_ptr<WebSocketSession<Stream>>& session,
                    const std::shared_ptr<WebSocketHandler>& handler);

}  // namespace workbind::net
