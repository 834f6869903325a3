#include "net/response_serializer.h"

#include <gtest/gtest.h>

namespace workbind::net {
namespace {

TEST(SerializeResponseTest, TransportOwnsFramingHeaders) {
  HttpResponse response;
  response.status = 201;
  response.headers = {{"Content-Length", "999"},
                      {"X-A", "1"},
                      {"Connection", "upgrade"},
                      {"Transfer-Encoding", "chunked"}};
  response.body = "abc";
  EXPECT_EQ(SerializeResponse(response, 11, /*close=*/false),
            "HTTP/1.1 201 Created\r\nX-A: 1\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(SerializeResponse(response, 10, /*close=*/false),
            "HTTP/1.0 201 Created\r\nX-A: 1\r\nConnection: keep-alive\r\n"
            "Content-Length: 3\r\n\r\nabc");
  EXPECT_EQ(SerializeResponse(response, 11, /*close=*/true),
            "HTTP/1.1 201 Created\r\nX-A: 1\r\nConnection: close\r\n"
            "Content-Length: 3\r\n\r\nabc");
}

TEST(SerializeResponseTest, DropsHeadersThatWouldBreakFraming) {
  HttpResponse response;
  response.headers = {{"X-Evil", "a\r\nSet-Cookie: x"}, {"Bad Name", "v"}};
  EXPECT_EQ(SerializeResponse(response, 11, false),
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
}

TEST(SerializeResponseTest, NoBodyStatuses) {
  HttpResponse response;
  response.status = 204;
  response.body = "ignored";
  EXPECT_EQ(SerializeResponse(response, 11, false),
            "HTTP/1.1 204 No Content\r\n\r\n");
  response.status = 42;  // invalid
  EXPECT_EQ(SerializeResponse(response, 11, false).substr(0, 13),
            "HTTP/1.1 500 ");
}

}  // namespace
}  // namespace workbind::net
