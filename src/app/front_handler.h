// FrontHandler: the transport's RequestHandler. It sends the CometD endpoint
// to cometd/, answers /healthz, /readyz and /metrics (extensions.md §5),
// serves the web console's static files (conventions.md §1.1) and runs every
// other request through the REST Dispatcher on a request fiber started on
// the I/O thread that received it (app/request_fibers.h): no hand-off to
// another thread unless the request waits. Files and /metrics are read on
// the worker pool. Thread-safe.
#pragma once

#include "api/v2/dispatcher.h"
#include "app/metrics_page.h"
#include "app/request_fibers.h"
#include "app/static_files.h"
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

  void Handle(HttpRequest request, Responder respond) override;
  // Answers /healthz, /readyz and /metrics (when enabled): returns true and
  // takes `respond`; false for any other request (`respond` untouched).
  bool ServeOperational(const HttpRequest& request, Responder& respond);
  std::shared_ptr<net::WebSocketHandler> AcceptWebSocket(
      const HttpRequest& request,
      std::shared_ptr<net::WebSocketConnection> connection) override;

 private:
  api::Dispatcher* dispatcher_;
  cometd::Endpoint* cometd_;
  Executor* workers_;
  RequestFibers* fibers_ = nullptr;
  storage::Store* store_;
  const MetricsPage* metrics_;
  const StaticFiles* web_;
};

}  // namespace workbind::app
