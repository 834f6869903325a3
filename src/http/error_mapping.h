// The single table from internal error codes to HTTP status + GWS statusCode
// (conventions.md §3.2). Every error reply in workbind is built here.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "common/http_message.h"
#include "common/status.h"

namespace workbind::http {

struct ErrorMapping {
  int http_status;
  int status_code;
};

// The mapping of `code` (for an OK code: 200/0). A status marked
// unavailable() maps 500 to 503.
ErrorMapping MapError(const Status& status);

// The errors answered outside the REST handlers, with their fixed messages.
// Each maps through MapError like any other Status:
// a request the transport cannot parse: 400, statusCode 10;
Status MalformedRequest();
// a request whose handler threw or dropped its reply: 500, statusCode 4;
Status InternalFailure();
// /readyz while the store does not answer: 503, statusCode 4.
Status NotReady();

// The body of an error reply: exactly
// {"statusCode":N,"statusMessage":"..."} (N from MapError).
std::string ErrorBody(const Status& status);

// An error reply: exactly {"statusCode":N,"statusMessage":"..."}, with
// WWW-Authenticate for kUnauthenticated and Retry-After for unavailable
// (1 s) or for a Status carrying retry_after_seconds() (that value).
HttpResponse ErrorResponse(const Status& status);

// A 200 reply {"statusCode":0, ...body}.
HttpResponse JsonResponse(boost::json::object body, int http_status = 200);
// A 200 JSON reply of `body` exactly as given (documents that are not GWS
// replies, such as the OpenAPI document).
HttpResponse BareJsonResponse(const boost::json::object& body);
// A JSON reply with an already serialized body (a stored reply).
HttpResponse RawJsonResponse(int http_status, std::string body);

// Headers every /api/v2 JSON reply carries: Content-Type, Cache-Control and
// the security headers of AddApiSecurityHeaders.
void AddJsonHeaders(HttpResponse* response);

}  // namespace workbind::http
