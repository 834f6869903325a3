#include "app/transport_replies.h"

#include "http/error_mapping.h"

namespace workbind::app {

net::TransportReplies ApiTransportReplies() {
  net::TransportReplies replies;
  replies.malformed_request = http::ErrorResponse(http::MalformedRequest());
  replies.internal_error = http::ErrorResponse(http::InternalFailure());
  return replies;
}

}  // namespace workbind::app
