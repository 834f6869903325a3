// Endpoint: the HTTP face of the CometD server (notifications.md §1, §2),
// and the front object the app wires: it owns (or borrows) the Broker and is
// the domain::EventSink.
// HandleHttp serves /api/v2/notifications and its suffixes: long-polling
// POSTs, callback-polling GETs (when enabled), OPTIONS, and the plain-HTTP
// refusals (404, 405, 400, 401 for an upgrade that was not accepted).
// AcceptWebSocket takes the WebSocket upgrade on the bare path.
//
// Threading: both methods are called on I/O threads and never block. A
// request that needs the Authenticator (a handshake, Basic credentials, a
// subscribe to /v2/users/{userId}/...) continues on the Executor; others are
// processed inline (the Broker's work under its lock is short). Responders
// are called exactly once, from whichever thread completes the request.
// Ownership: an owned Broker lives as long as the Endpoint; a borrowed one
// must outlive it. Sockets accepted keep a pointer to the Broker: stop the
// transport before destroying the Endpoint. Thread-safe.
#pragma once

#include <memory>
#include <string_view>

#include "cometd/authenticator.h"
#include "cometd/broker.h"
#include "cometd/settings.h"
#include "cometd/sockets_by_session.h"
#include "common/clock.h"
#include "common/executor.h"
#include "common/http_message.h"
#include "domain/core/event_sink.h"
#include "http/origin_policy.h"
#include "net/websocket.h"

namespace workbind::cometd {

inline constexpr std::string_view kNotificationsPath = "/api/v2/notifications";

class Endpoint final : public domain::EventSink {
 public:
  // Builds and owns a Broker and starts its timer thread. `authenticator`,
  // `executor` (blocking work: authentication) and `clock` must outlive it.
  Endpoint(BrokerSettings settings, Authenticator* authenticator,
           Executor* executor, const Clock* clock);
  // Uses `broker` (not owned, not started here).
  explicit Endpoint(Broker* broker);
  ~Endpoint() override;
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // domain::EventSink: forwarded to the Broker. HttpSessionEnded also
  // closes the WebSockets authenticated by that HTTP session (code 1008,
  // after the final replies queued on them).
  void Deliver(std::vector<domain::Notification> notifications) override;
  void HttpSessionEnded(const std::string& http_session_id) override;
  // Ends every Bayeux session of a disabled or deleted user.
  void UserDisabled(const std::string& user_id);
  // Node shutdown: held connects are answered at once (§4.6). Idempotent.
  void Shutdown();
  // Gauges and counters for /metrics.
  BrokerMetrics Metrics() const;
  size_t SessionCount() const;
  size_t QueuedMessages() const;
  Broker* broker() const { return broker_; }

  // True for /api/v2/notifications, .../ and .../{handshake,connect,
  // subscribe,unsubscribe,disconnect}: the paths to route to HandleHttp.
  static bool IsNotificationsPath(std::string_view path);

  // Answers one request on a notifications path (any method). Replies:
  // 200 Bayeux array (or JSONP); 200 {"statusCode":0} for OPTIONS. Every
  // reply to a request whose Origin is in cors_allowed_origins carries the
  // CORS headers of auth.md §5 (preflight ones on OPTIONS). 400/413 statusCode
  // 10 for bad bodies (§1.2); HTTP duplicateConnectHttpStatus for a superseded
  // held connect; 400 for a GET that is neither an accepted upgrade nor
  // callback-polling ("WebSocket transport is disabled" for an upgrade when
  // WebSocket is off); 401 statusCode 20 for an upgrade without valid
  // credentials; 405 statusCode 3 for other methods; 404 statusCode 6 for
  // another path.
  void HandleHttp(HttpRequest request, Responder respond);

  // For a WebSocket upgrade request. Returns the handler when the upgrade
  // may proceed: WebSocket enabled, the bare path, an `Origin` that is absent
  // or allowed (http::OriginPolicy: the server's own origin or
  // http.cors.allowedOrigins), and credentials present (a JSESSIONID cookie
  // or an Authorization header). The handler then verifies the credentials
  // on the Executor before the transport answers: 101 when they
  // authenticate, 401 statusCode 20 when not. Returns nullptr otherwise; the
  // transport then passes the request to HandleHttp, which answers 400
  // (disabled, wrong path), 403 statusCode 3 (origin) or 401 (no
  // credentials).
  std::shared_ptr<net::WebSocketHandler> AcceptWebSocket(
      const HttpRequest& upgrade_request,
      std::shared_ptr<net::WebSocketConnection> connection);

 private:
  // Decodes the Bayeux text of a long-polling or callback-polling request
  // and hands it to the Broker (on the Executor when needed).
  void Poll(HttpRequest request, Responder respond, const std::string& text,
            Transport transport, std::string jsonp_callback);

  // True when the request has no Origin or an allowed one.
  bool OriginAllowed(const HttpRequest& request) const;

  std::unique_ptr<Broker> owned_broker_;
  Broker* const broker_;
  const http::OriginPolicy origin_policy_;
  SocketsBySession sockets_;
};

}  // namespace workbind::cometd
