// TransportReplies: the replies the transport writes by itself, prepared by
// the layer above (the composition root fills them from http/error_mapping),
// so that net/ knows no API error format. Plain value.
#pragma once

#include "common/http_message.h"

namespace workbind::net {

struct TransportReplies {
  // Written in place of a request that cannot be parsed, after the replies
  // to the requests read before it; the connection closes after it.
  HttpResponse malformed_request = Bare(400);
  // The reply to a request whose RequestHandler threw, or dropped its
  // Responder without calling it.
  HttpResponse internal_error = Bare(500);

  // A reply with `status` and neither headers nor body (the defaults).
  static HttpResponse Bare(int status) {
    HttpResponse response;
    response.status = status;
    return response;
  }
};

}  // namespace workbind::net
