#include "http/error_mapping.h"

#include <boost/json/serialize.hpp>

namespace workbind::http {

ErrorMapping MapError(const Status& status) {
  ErrorMapping m{500, 4};
  switch (status.code()) {
    case Code::kOk:
      m = {200, 0};
      break;
    case Code::kMissingParameter:
      m = {400, 1};
      break;
    case Code::kInvalidState:
      m = {400, 2};
      break;
    case Code::kForbidden:
      m = {403, 3};
      break;
    case Code::kMethodNotAllowed:
      m = {405, 3};
      break;
    case Code::kInternal:
      m = {500, 4};
      break;
    case Code::kPermissionDenied:
      m = {403, 5};
      break;
    case Code::kNotFound:
      m = {404, 6};
      break;
    case Code::kInvalidArgument:
      m = {400, 10};
      break;
    case Code::kPayloadTooLarge:
      m = {413, 10};
      break;
    case Code::kReadOnly:
      m = {400, 11};
      break;
    case Code::kStorageRead:
      m = {500, 12};
      break;
    case Code::kStorageCreate:
      m = {500, 13};
      break;
    case Code::kStorageDelete:
      m = {500, 14};
      break;
    case Code::kStorageUpdate:
      m = {500, 15};
      break;
    case Code::kStorageAssign:
      m = {500, 16};
      break;
    case Code::kStorageUnassign:
      m = {500, 17};
      break;
    case Code::kAlreadyExists:
      m = {409, 18};
      break;
    case Code::kInUse:
      m = {409, 19};
      break;
    case Code::kUnauthenticated:
      m = {401, 20};
      break;
    case Code::kTooManyAttempts:
      m = {429, 20};
      break;
    case Code::kUnsupportedMediaType:
      m = {415, 10};
      break;
  }
  if (status.unavailable() && m.http_status == 500) m.http_status = 503;
  return m;
}

void AddJsonHeaders(HttpResponse* response) {
  response->SetHeader("Content-Type", "application/json;charset=UTF-8");
  response->SetHeader("Cache-Control", "no-store");
  AddApiSecurityHeaders(response);
}

Status MalformedRequest() { return InvalidArgument("Malformed HTTP request"); }

Status InternalFailure() { return Internal("Internal error"); }

Status NotReady() {
  return Status(Code::kInternal, "Not ready: database unreachable",
                /*unavailable=*/true);
}

std::string ErrorBody(const Status& status) {
  boost::json::object body;
  body["statusCode"] = MapError(status).status_code;
  body["statusMessage"] = status.message();
  return boost::json::serialize(body);
}

HttpResponse ErrorResponse(const Status& status) {
  HttpResponse r;
  r.status = MapError(status).http_status;
  r.body = ErrorBody(status);
  AddJsonHeaders(&r);
  if (status.code() == Code::kUnauthenticated)
    r.SetHeader("WWW-Authenticate", "Basic realm=\"workbind\"");
  if (status.retry_after_seconds() > 0)
    r.SetHeader("Retry-After", std::to_string(status.retry_after_seconds()));
  else if (status.unavailable())
    r.SetHeader("Retry-After", "1");
  return r;
}

HttpResponse BareJsonResponse(const boost::json::object& body) {
  HttpResponse r;
  r.status = 200;
  r.body = boost::json::serialize(body);
  AddJsonHeaders(&r);
  return r;
}

HttpResponse RawJsonResponse(int http_status, std::string body) {
  HttpResponse r;
  r.status = http_status;
  r.body = std::move(body);
  AddJsonHeaders(&r);
  return r;
}

HttpResponse JsonResponse(boost::json::object body, int http_status) {
  HttpResponse r;
  r.status = http_status;
  if (!body.contains("statusCode")) {
    boost::json::object ordered;
    ordered["statusCode"] = 0;
    for (auto& [k, v] : body) ordered[k] = std::move(v);
    body = std::move(ordered);
  }
  r.body = boost::json::serialize(body);
  AddJsonHeaders(&r);
  return r;
}

}  // namespace workbind::http
