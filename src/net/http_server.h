// HttpServer: the asynchronous HTTP/1.1 + WebSocket transport (Boost.Beast).
// It accepts connections, reads requests with the limits of ServerLimits,
// hands each one to the RequestHandler and writes the replies in request
// order (pipelining). It knows nothing of routes, JSON or authentication:
// the few replies it writes by itself (TransportReplies) are given to it.
//
// Threading: `io_threads` threads run the I/O; each connection is bound to a
// strand. RequestHandler methods run on I/O threads and must not block: do
// slow work elsewhere and call the Responder later, from any thread.
// Ownership: the server owns connections; the handler must outlive Stop().
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/executor.h"
#include "common/http_message.h"
#include "common/status.h"
#include "net/server_limits.h"
#include "net/tls_context.h"
#include "net/transport_replies.h"
#include "net/websocket.h"

namespace workbind::net {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Handles one request; `respond` must be called exactly once (any thread).
  virtual void Handle(HttpRequest request, Responder respond) = 0;
  // Called for a WebSocket upgrade request. Return a handler to accept the
  // upgrade: the transport then completes the handshake and delivers the
  // connection's events to it (`connection` may be kept to send and close).
  // Return nullptr to answer the request as plain HTTP through Handle.
  virtual std::shared_ptr<WebSocketHandler> AcceptWebSocket(
      const HttpRequest& upgrade_request,
      std::shared_ptr<WebSocketConnection> connection) {
    return nullptr;
  }
};

class HttpServer {
 public:
  // `replies` are written as they are given, with the framing headers of
  // SerializeResponse.
  HttpServer(ServerLimits limits, TransportReplies replies,
             RequestHandler* handler, int io_threads);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on "host:port" (port 0 picks a free one). Returns
  // kInvalidArgument for a malformed address, kUnavailable-flagged kInternal
  // when the bind fails.
  Status Listen(const std::string& host_port);
  // The bound port (after Listen).
  int port() const;
  // Serves HTTPS (and WSS) with `tls`: call before Start. A later call
  // replaces the context for the connections accepted from then on (a
  // certificate reload); open connections keep theirs. Any thread.
  void UseTls(std::shared_ptr<TlsContext> tls);
  // Starts the I/O threads; returns immediately.
  void Start();
  // Stops accepting, lets replies in progress finish for up to
  // `grace_seconds` (idle connections close at once, WebSockets get a close
  // frame), then closes every connection. The I/O threads keep running
  // (io_executor() still runs what it is given) until Stop. Idempotent;
  // must not be called from an I/O thread (a handler).
  void Drain(int grace_seconds);
  // Drain, then stops and joins the I/O threads. Requests whose Responder
  // was not called by then are abandoned, and tasks posted to io_executor()
  // afterwards never run. Idempotent; not from an I/O thread.
  void Stop(int grace_seconds);
  // Runs tasks on the I/O threads (in no particular order, on no strand).
  // Valid for the server's lifetime; tasks posted after Stop are dropped.
  Executor* io_executor() { return &io_executor_; }
  // Number of open connections (for metrics).
  size_t connection_count() const;

 private:
  struct Impl;
  class IoExecutor final : public Executor {
   public:
    explicit IoExecutor(Impl* impl) : impl_(impl) {}
    void Post(std::function<void()> task) override;

   private:
    Impl* impl_;
  };
  std::unique_ptr<Impl> impl_;
  IoExecutor io_executor_;
};

}  // namespace workbind::net
