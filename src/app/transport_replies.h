// The replies the transport writes by itself (net::TransportReplies), built
// from the error table of http/error_mapping like every other error reply of
// the API. Pure function; thread-safe.
#pragma once

#include "net/transport_replies.h"

namespace workbind::app {

// malformed_request: ErrorResponse(http::MalformedRequest()), 400 statusCode
// 10; internal_error: ErrorResponse(http::InternalFailure()), 500 statusCode
// 4. Both with the JSON and security headers of every API error reply.
net::TransportReplies ApiTransportReplies();

}  // namespace workbind::app
