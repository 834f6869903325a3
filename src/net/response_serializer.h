// Internal to net/. Turns HttpResponse values into HTTP/1.x wire bytes, and
// builds the few replies the transport writes by itself. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/http_message.h"

namespace workbind::net {

// Serializes `response` for a request of HTTP `version` (10 or 11).
// Content-Length, Transfer-Encoding and Connection are always the
// transport's: any the handler set are dropped, as are headers whose name or
// value would break the framing. `close` adds "Connection: close"; otherwise
// an HTTP/1.0 reply gets "Connection: keep-alive". Status codes outside
// 100-999 are sent as 500; 1xx, 204 and 304 replies carry no body and no
// Content-Length.
std::string SerializeResponse(const HttpResponse& response, int version,
                              bool close);

// A reply written by the transport itself, with a JSON error body in the
// API's format, and "Connection: close".
std::string TransportErrorReply(int status, int version, std::string_view json);

// The 500 used when a handler throws or drops its Responder.
HttpResponse InternalErrorResponse();

}  // namespace workbind::net
