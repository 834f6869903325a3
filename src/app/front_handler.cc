#include "app/front_handler.h"

#include <string_view>

#include "common/log.h"
#include "http/error_mapping.h"

namespace workbind::app {
namespace {

std::string_view PathOf(const std::string& target) {
  std::string_view p = target;
  return p.substr(0, p.find('?'));
}

HttpResponse PlainJson(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.SetHeader("Content-Type", "application/json;charset=UTF-8");
  r.SetHeader("Cache-Control", "no-store");
  AddApiSecurityHeaders(&r);
  return r;
}

}  // namespace

void FrontHandler::DispatchWithId(api::Dispatcher* dispatcher, std::string id,
                                  HttpRequest request,
                                  const Responder& respond) {
  HttpResponse r;
  {
    // The request's lines carry `id` (on every thread its fiber runs on).
    log::ContextScope scope(log::Context{id});
    r = dispatcher->Dispatch(std::move(request));
  }
  r.headers.emplace_back("X-Request-Id", std::move(id));
  respond(std::move(r));
}

void FrontHandler::Handle(HttpRequest request, Responder respond) {
  if (proxies_) proxies_->Apply(&request);
  std::string_view path = PathOf(request.target);
  // The CometD endpoint answers its own oversized bodies (in Bayeux terms).
  if (cometd::Endpoint::IsNotificationsPath(path)) {
    cometd_->HandleHttp(std::move(request), std::move(respond));
    return;
  }
  if (ServeOperational(request, respond)) return;
  api::Dispatcher* dispatcher = dispatcher_;
  if (request.transport_error == TransportError::kNone && web_ &&
      StaticFiles::IsStaticPath(path)) {
    const StaticFiles* web = web_;
    RequestIdSource* ids = &request_ids_;
    workers_->Post([dispatcher, web, ids, request = std::move(request),
                    respond = std::move(respond)]() mutable {
      // Without an installed console the path is an unknown route.
      if (std::optional<HttpResponse> file = web->Serve(request)) {
        respond(std::move(*file));
        return;
      }
      std::string id = ids->For(request.Header("X-Request-Id"));
      DispatchWithId(dispatcher, std::move(id), std::move(request), respond);
    });
    return;
  }
  std::string id = request_ids_.For(request.Header("X-Request-Id"));
  auto run = [dispatcher, id = std::move(id), request = std::move(request),
              respond = std::move(respond)]() mutable {
    DispatchWithId(dispatcher, std::move(id), std::move(request), respond);
  };
  if (fibers_)
    fibers_->Run(std::move(run));
  else
    workers_->Post(std::move(run));
}

bool FrontHandler::ServeOperational(const HttpRequest& request,
                                    Responder& respond) {
  if (request.transport_error != TransportError::kNone ||
      request.method != "GET")
    return false;
  std::string_view path = PathOf(request.target);
  if (path == "/healthz") {
    respond(PlainJson(200, "{\"statusCode\":0,\"status\":\"ok\"}"));
    return true;
  }
  // The server listens only once provisioning is applied, so the store
  // answering is the one check left.
  if (path == "/readyz") {
    storage::Store* store = store_;
    workers_->Post([store, respond = std::move(respond)] {
      Status st = store->Ping();
      // The error table's body, without the Retry-After of ErrorResponse.
      const Status not_ready = http::NotReady();
      respond(st.ok()
                  ? PlainJson(200, "{\"statusCode\":0,\"status\":\"ready\"}")
                  : PlainJson(http::MapError(not_ready).http_status,
                              http::ErrorBody(not_ready)));
    });
    return true;
  }
  if (path == "/metrics" && metrics_) {
    const MetricsPage* page = metrics_;
    workers_->Post(
        [page, respond = std::move(respond)] { respond(page->Render()); });
    return true;
  }
  return false;
}

std::shared_ptr<net::WebSocketHandler> FrontHandler::AcceptWebSocket(
    const HttpRequest& request,
    std::shared_ptr<net::WebSocketConnection> connection) {
  if (PathOf(request.target) != "/api/v2/notifications") return nullptr;
  if (proxies_ && proxies_->Trusts(request.remote_address)) {
    HttpRequest client = request;
    proxies_->Apply(&client);
    return cometd_->AcceptWebSocket(client, std::move(connection));
  }
  return cometd_->AcceptWebSocket(request, std::move(connection));
}

}  // namespace workbind::app
