// Internal to net/. Turns HttpResponse values into HTTP/1.x wire bytes. Pure
// functions; thread-safe.
#pragma once

#include <string>

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

}  // namespace workbind::net
