// The transport over real sockets: the limits of ServerLimits (body and
// header sizes, timeouts, connections, pending reply bytes) and malformed
// requests.
#include <chrono>
#include <string>

#include "net/http_server_test_fixture.h"

namespace workbind::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_F(HttpServerTest, OversizedContentLengthIs413AndCloses) {
  Mailbox<HttpRequest> seen;
  handler_.on_request = [&](HttpRequest request, Responder respond) {
    const bool too_large =
        request.transport_error == TransportError::kBodyTooLarge;
    seen.Put(std::move(request));
    respond(Reply(too_large ? 413 : 200, "x"));
  };
  ServerLimits limits;
  limits.max_body_bytes = 100;
  StartServer(limits);
  Client client(server_->port());
  // Only part of the body is sent: the limit is seen in the header.
  ASSERT_TRUE(client.Send(
      "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" +
      std::string(50, 'a')));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->headers["connection"], "close");
  EXPECT_TRUE(client.AtEof());
  ASSERT_TRUE(seen.WaitFor(1));
  HttpRequest request = seen.Items()[0];
  EXPECT_EQ(request.transport_error, TransportError::kBodyTooLarge);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/upload");
  EXPECT_EQ(request.Header("content-length"), "1000");
}

TEST_F(HttpServerTest, OversizedChunkedBodyIs413) {
  Mailbox<TransportError> seen;
  handler_.on_request = [&](HttpRequest request, Responder respond) {
    seen.Put(request.transport_error);
    respond(Reply(413, ""));
  };
  ServerLimits limits;
  limits.max_body_bytes = 100;
  StartServer(limits);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "c8\r\n" +
      std::string(200, 'b') + "\r\n0\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(client.AtEof());
  ASSERT_TRUE(seen.WaitFor(1));
  EXPECT_EQ(seen.Items()[0], TransportError::kBodyTooLarge);
}

TEST_F(HttpServerTest, OversizedHeaderIs400AndCloses) {
  Mailbox<HttpRequest> seen;
  handler_.on_request = [&](HttpRequest request, Responder respond) {
    seen.Put(request);
    respond(Reply(400, "big"));
  };
  ServerLimits limits;
  limits.max_header_bytes = 1024;
  StartServer(limits);
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send(Get("/big", "X-Big: " + std::string(2000, 'h') + "\r\n")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_TRUE(client.AtEof());
  ASSERT_TRUE(seen.WaitFor(1));
  HttpRequest request = seen.Items()[0];
  EXPECT_EQ(request.transport_error, TransportError::kHeaderTooLarge);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, "/big");
}

TEST_F(HttpServerTest, MalformedRequestGets400) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nBad Header\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  // The malformed_request reply of TransportReplies, closing.
  EXPECT_EQ(response->headers["connection"], "close");
  EXPECT_EQ(response->headers["content-type"],
            "application/json;charset=UTF-8");
  EXPECT_TRUE(client.AtEof());
}

// Regression: a malformed request pipelined behind a valid one, in the same
// bytes. The 400 is queued at once while the valid request is answered later
// from another thread: that reply must still leave first (the client must
// learn its request was applied), then the 400, then the close.
TEST_F(HttpServerTest, MalformedRequestAfterPipelinedOneKeepsItsReply) {
  ReplyLaterFromAnotherThread("applied");
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /a HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\n{}"
      "GARBAGE\r\n\r\n"));
  auto first = client.ReadResponse();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "applied");
  auto second = client.ReadResponse();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 400);
  EXPECT_EQ(second->body,
            R"({"statusCode":10,"statusMessage":"Malformed HTTP request"})");
  EXPECT_EQ(second->headers["x-content-type-options"], "nosniff");
  EXPECT_TRUE(client.AtEof());
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosed) {
  ServerLimits limits;
  limits.idle_timeout_seconds = 1;
  StartServer(limits);
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/")));
  ASSERT_TRUE(client.ReadResponse());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.AtEof());
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(4));
}

TEST_F(HttpServerTest, IncompleteHeaderTimesOut) {
  ServerLimits limits;
  limits.header_timeout_seconds = 1;
  StartServer(limits);
  Client client(server_->port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost:"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.AtEof());
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(4));
}

TEST_F(HttpServerTest, MaxConnectionsClosesExtraConnections) {
  ServerLimits limits;
  limits.max_connections = 1;
  StartServer(limits);
  Client first(server_->port());
  ASSERT_TRUE(first.Send(Get("/")));
  ASSERT_TRUE(first.ReadResponse());
  Client second(server_->port());
  EXPECT_TRUE(second.AtEof());
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(HttpServerTest, ClientNotReadingIsDisconnected) {
  Mailbox<int> answered;
  handler_.on_request = [&](HttpRequest, Responder respond) {
    respond(Reply(200, std::string(16 << 20, 'z')));
    answered.Put(1);
  };
  ServerLimits limits;
  limits.max_pending_response_bytes = 1024;
  StartServer(limits);
  Client client(server_->port());
  // Three big replies are produced; the client reads none of them.
  ASSERT_TRUE(client.Send(Get("/1") + Get("/2") + Get("/3")));
  ASSERT_TRUE(answered.WaitFor(2));
  EXPECT_TRUE(WaitForConnections(0));
}

}  // namespace
}  // namespace workbind::net
