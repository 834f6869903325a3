// HttpReply: the pending answer to one long-polling (or callback-polling)
// request, and the functions that complete it. Answered exactly once, from
// any thread, never while the broker's lock is held. Value type.
#pragma once

#include <string>
#include <string_view>

#include "cometd/codec.h"
#include "common/http_message.h"

namespace workbind::cometd {

struct HttpReply {
  Responder respond;
  HeaderList headers;          // added to the reply (Set-Cookie)
  std::string jsonp_callback;  // non-empty: callback-polling, body "cb([...])"
};

// HTTP 200 with the Bayeux array (or its JSONP wrapping).
void SendBatch(HttpReply reply, const Batch& batch);
// The error reply of `status`: HTTP status and statusCode from
// http/error_mapping (HTTP status `http_status` instead, when not 0), the
// body {"statusCode":N,"statusMessage":"..."}.
void SendError(HttpReply reply, const Status& status, int http_status = 0);

// The fixed headers of a JSON reply, security headers included
// (AddApiSecurityHeaders).
void SetJsonHeaders(HttpResponse* response);

}  // namespace workbind::cometd
