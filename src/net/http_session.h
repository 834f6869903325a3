// Internal to net/. Serves one accepted TCP connection as HTTP/1.1 (or
// HTTPS) with
// keep-alive and pipelining, and hands it over to a WebSocket session on an
// accepted upgrade. The session object is owned by its own pending I/O
// operations; Responders and the registry hold weak references only.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "net/connection_registry.h"
#include "net/tls_context.h"

namespace workbind::net {

// Starts serving `socket`, whose executor must be a strand of the server's
// io_context. Registers the connection in `context->registry` (closing the
// socket at once when the server is stopping). Returns immediately.
void StartHttpSession(boost::asio::ip::tcp::socket socket,
                      std::shared_ptr<SessionContext> context);
// The same over TLS with `tls`, which the connection keeps for its life.
void StartHttpsSession(boost::asio::ip::tcp::socket socket,
                       std::shared_ptr<SessionContext> context,
                       std::shared_ptr<TlsContext> tls);

}  // namespace workbind::net
