#include "cometd/http_reply.h"

#include <utility>

#include "http/error_mapping.h"

namespace workbind::cometd {

void SetJsonHeaders(HttpResponse* response) {
  response->SetHeader("Content-Type", "application/json;charset=UTF-8");
  response->SetHeader("Cache-Control", "no-store");
  AddApiSecurityHeaders(response);
}

void SendBatch(HttpReply reply, const Batch& batch) {
  HttpResponse response;
  response.status = 200;
  if (reply.jsonp_callback.empty()) {
    SetJsonHeaders(&response);
    response.body = batch.Serialize();
  } else {
    response.SetHeader("Content-Type", "text/javascript;charset=UTF-8");
    response.SetHeader("Cache-Control", "no-store");
    response.body = reply.jsonp_callback + "(" + batch.Serialize() + ")";
  }
  for (auto& h : reply.headers) response.headers.push_back(std::move(h));
  reply.respond(std::move(response));
}

void SendError(HttpReply reply, const Status& status, int http_status) {
  HttpResponse response;
  response.status =
      http_status != 0 ? http_status : http::MapError(status).http_status;
  SetJsonHeaders(&response);
  response.body = http::ErrorBody(status);
  for (auto& h : reply.headers) response.headers.push_back(std::move(h));
  reply.respond(std::move(response));
}

}  // namespace workbind::cometd
