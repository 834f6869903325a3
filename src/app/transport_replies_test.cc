#include "app/transport_replies.h"

#include <gtest/gtest.h>

#include <string>

namespace workbind::app {
namespace {

// The reply as the transport used to build it by itself: JSON and security
// headers in this order, then the body. The bytes on the wire depend only on
// status, headers (in order) and body.
HttpResponse TransportBuilt(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.SetHeader("Content-Type", "application/json;charset=UTF-8");
  r.SetHeader("Cache-Control", "no-store");
  AddApiSecurityHeaders(&r);
  r.body = std::move(body);
  return r;
}

void ExpectSame(const HttpResponse& got, const HttpResponse& want) {
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.headers, want.headers);
  EXPECT_EQ(got.body, want.body);
  EXPECT_EQ(got.close, want.close);
}

TEST(ApiTransportReplies, MalformedRequestIs400StatusCode10) {
  ExpectSame(
      ApiTransportReplies().malformed_request,
      TransportBuilt(400, R"({"statusCode":10,)"
                          R"("statusMessage":"Malformed HTTP request"})"));
}

TEST(ApiTransportReplies, InternalErrorIs500StatusCode4) {
  ExpectSame(ApiTransportReplies().internal_error,
             TransportBuilt(
                 500, R"({"statusCode":4,"statusMessage":"Internal error"})"));
}

}  // namespace
}  // namespace workbind::app
