// FrontHandler: the transport's RequestHandler. It sends the CometD endpoint
// to cometd/, answers /healthz, /readyz and /metrics (extensions.md §5),
// serves the web console's static files (conventions.md §1.1) and runs every
// other request through the REST Dispatcher on a request fiber started on
// the I/O thread that received it (app/request_fibers.h): no hand-off to
// another thread unless the request waits. Files and /metrics are read on
// the worker pool.
//
// Before anything else, a request from a trusted proxy gets its client's
// address and scheme (app/trusted_proxies.h): the CometD endpoint, the
// dispatcher, the sign-in throttle and the access log all see the client.
// Each REST request gets a request id (app/request_id.h): it is the logging
// context of the request's fiber (every line logged while it runs carries
// it) and goes back in the reply's X-Request-Id header. Thread-safe.
#pragma once

#include "api/v2/dispatcher.h"
#include "app/metrics_page.h"
#include "app/request_fibers.h"
#include "app/request_id.h"
#include "app/static_files.h"
#include "app/trusted_proxies.h"
#include "cometd/endpoint.h"
#include "common/executor.h"
#include "net/http_server.h"
#include "storage/store.h"

namespace workbind::app {

class FrontHandler final : public net::RequestHandler {
 public:
  // `metrics` null: /metrics is disabled and answered by the dispatcher
  // (404 statusCode 6, like any unknown path). `web` null: web.enabled
  // false, static paths are answered by the dispatcher as unknown routes.
  FrontHandler(api::Dispatcher* dispatcher, cometd::Endpoint* cometd,
               Executor* workers, storage::Store* store,
               const MetricsPage* metrics = nullptr,
               const StaticFiles* web = nullptr)
      : dispatcher_(dispatcher),
        cometd_(cometd),
        workers_(workers),
        store_(store),
        metrics_(metrics),
        web_(web) {}

  // REST requests run on `fibers` from now on (until then, and when null, on
  // the worker pool). Call before the transport starts.
  void UseFibers(RequestFibers* fibers) { fibers_ = fibers; }

  // Believes X-Forwarded-For/-Proto from `proxies` (not owned; outlives
  // this) from now on. Call before the transport starts.
  void UseTrustedProxies(const TrustedProxies* proxies) { proxies_ = proxies; }

  void Handle(HttpRequest request, Responder respond) override;
  // Answers /healthz, /readyz and /metrics (when enabled): returns true and
  // takes `respond`; false for any other request (`respond` untouched).
  bool ServeOperational(const HttpRequest& request, Responder& respond);
  // Runs `request` through the dispatcher with its request id (there and in
  // the reply).
  static void DispatchWithId(api::Dispatcher* dispatcher, std::string id,
                             HttpRequest request, const Responder& respond);
  std::shared_ptr<net::WebSocketHandler> AcceptWebSocket(
      const HttpRequest& request,
      std::shared_ptr<net::WebSocketConnection> connection) override;

 private:
  api::Dispatcher* dispatcher_;
  cometd::Endpoint* cometd_;
  Executor* workers_;
  RequestFibers* fibers_ = nullptr;
  const TrustedProxies* proxies_ = nullptr;
  RequestIdSource request_ids_;
  storage::Store* store_;
  const MetricsPage* metrics_;
  const StaticFiles* web_;
};

}  // namespace workbind::app
