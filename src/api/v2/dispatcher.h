// Dispatcher: the one gate every /api/v2 REST request passes. It applies the
// order of checks of conventions.md §4 (size, route, method, OPTIONS, media
// type, authentication, Origin, CSRF, feature, role, body, operationName),
// calls the route's handler and renders the reply with the session, CSRF and
// CORS headers. Thread-safe; Dispatch blocks on storage (run it on a worker).
#pragma once

#include <functional>
#include <string_view>

#include "api/v2/api_context.h"
#include "api/v2/route_table.h"
#include "common/http_message.h"
#include "http/origin_policy.h"
#include "http/router.h"

namespace workbind::api {

// Observes each finished request (logging and metrics).
struct RequestRecord {
  const std::string& method;
  const std::string& route;  // the route pattern, or "" when none matched
  const std::string& path;
  int http_status;
  int status_code;
  double seconds;
  const std::string& user;
  // The operationName when it is one the route accepts, else "".
  const std::string& operation;
  // The reply was a stored one (Idempotency-Key).
  bool idempotent_replay = false;
  // The reply's body carried a statusCode (status_code is it).
  bool has_status_code = false;
  std::string_view target;  // path and query as sent
  std::string_view remote;  // the client's address
};
using RequestObserver = std::function<void(const RequestRecord&)>;

class Dispatcher {
 public:
  Dispatcher(const ApiServices* services, RequestObserver observer);

  HttpResponse Dispatch(HttpRequest raw);

  // Builds the reply of a request rejected before routing (transport
  // errors), with the same headers as Dispatch.
  HttpResponse Reject(const HttpRequest& raw, const Status& status);

 private:
  HttpResponse Run(const http::Request& req, const Route** route_out,
                   std::string* user, std::string* operation);
  void AddCors(const http::Request& req, bool preflight, HttpResponse* r) const;

  const ApiServices* services_;
  RequestObserver observer_;
  http::Router router_;
  // Origins allowed to write with the session cookie (step 4a).
  const http::OriginPolicy origins_;
};

}  // namespace workbind::api
