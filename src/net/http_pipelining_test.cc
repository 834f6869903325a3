// The transport over real sockets: keep-alive, pipelining (replies in
// request order), Connection: close and HTTP/1.0, HEAD, 100-continue.
#include <chrono>
#include <string>

#include "net/http_server_test_fixture.h"

namespace workbind::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_F(HttpServerTest, KeepAliveServesTwoRequests) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send(Get("/first?x=1")));
  auto first = client.ReadResponse();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "GET /first?x=1 ");
  EXPECT_EQ(first->headers["x-remote"], "127.0.0.1");
  EXPECT_EQ(first->headers.count("connection"), 0u);

  ASSERT_TRUE(client.Send(
      "post /second HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"));
  auto second = client.ReadResponse();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "POST /second hello");
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(HttpServerTest, ChunkedBodyIsDecoded) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "POST /c abcde");
}

TEST_F(HttpServerTest, PipelinedRepliesLeaveInRequestOrder) {
  std::mutex mu;
  std::vector<Responder> responders;
  handler_.on_request = [&](HttpRequest request, Responder respond) {
    std::lock_guard lock(mu);
    responders.push_back(std::move(respond));
    if (responders.size() == 3) {
      // Answer from another thread, last request first.
      Spawn([all = std::move(responders)] {
        for (int i = 2; i >= 0; --i) {
          all[i](Reply(200, "/" + std::to_string(i + 1)));
          std::this_thread::sleep_for(milliseconds(20));
        }
      });
    }
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/1") + Get("/2") + Get("/3")));
  for (int i = 1; i <= 3; ++i) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "/" + std::to_string(i));
  }
}

// More pipelined requests than max_pipelined_requests, answered later from
// another thread: reading pauses with the pipeline full (no read pending),
// and the connection must stay alive until the replies are written.
TEST_F(HttpServerTest, FullPipelineWaitsForLateReplies) {
  constexpr int kRequests = 40;
  std::mutex mu;
  std::vector<Responder> responders;
  handler_.on_request = [&](HttpRequest request, Responder respond) {
    std::lock_guard lock(mu);
    responders.push_back(std::move(respond));
    if (responders.size() == 4) {
      Spawn([all = std::move(responders)]() mutable {
        std::this_thread::sleep_for(milliseconds(50));
        for (size_t i = 0; i < all.size(); ++i) all[i](Reply(200, "late"));
      });
      responders.clear();
    }
  };
  ServerLimits limits;
  limits.max_pipelined_requests = 4;
  StartServer(limits);
  Client client(server_->port());
  std::string batch;
  for (int i = 0; i < kRequests; ++i) batch += Get("/" + std::to_string(i));
  ASSERT_TRUE(client.Send(batch));
  for (int i = 0; i < kRequests; ++i) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->body, "late");
  }
}

TEST_F(HttpServerTest, ConnectionCloseAndHttp10CloseAfterReply) {
  StartServer();
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(Get("/a", "Connection: close\r\n")));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->headers["connection"], "close");
    EXPECT_TRUE(client.AtEof());
  }
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send("GET /b HTTP/1.0\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body, "GET /b ");
    EXPECT_TRUE(client.AtEof());
  }
  {
    Client client(server_->port());
    ASSERT_TRUE(
        client.Send("GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    auto response = client.ReadResponse();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->headers["connection"], "keep-alive");
    ASSERT_TRUE(
        client.Send("GET /d HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    EXPECT_TRUE(client.ReadResponse());
  }
}

// Regression: with "Connection: close" the connection reads nothing more, so
// no pending operation holds it; a reply that arrives later from another
// thread must still be written before the close.
TEST_F(HttpServerTest, ConnectionCloseWaitsForALateReply) {
  ReplyLaterFromAnotherThread("late");
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/a", "Connection: close\r\n")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "late");
  EXPECT_TRUE(client.AtEof());
}

// HEAD replies carry the headers only.
TEST_F(HttpServerTest, HeadReplyHasNoBody) {
  handler_.on_request = [&](HttpRequest request, Responder respond) {
    respond(Reply(405, "{\"statusCode\":3}"));
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n" + Get("/y")));
  // The HEAD reply has no body: the next bytes are the second reply.
  std::string all;
  char buf[4096];
  for (int i = 0; i < 50 && all.find("\r\n\r\n{") == std::string::npos; ++i) {
    ssize_t n = recv(client.fd(), buf, sizeof buf, 0);
    if (n <= 0) break;
    all.append(buf, n);
  }
  ASSERT_EQ(all.rfind("HTTP/1.1 405", 0), 0u) << all;
  const size_t second = all.find("HTTP/1.1 405", 1);
  ASSERT_NE(second, std::string::npos) << all;
  EXPECT_EQ(all.substr(second - 4, 4), "\r\n\r\n");
}

TEST_F(HttpServerTest, ResponseCloseFlagClosesConnection) {
  handler_.on_request = [](HttpRequest, Responder respond) {
    HttpResponse response = Reply(200, "bye");
    response.close = true;
    respond(std::move(response));
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/")));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "bye");
  EXPECT_TRUE(client.AtEof());
}

TEST_F(HttpServerTest, ExpectContinueGets100BeforeBody) {
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send("POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
                  "Expect: 100-continue\r\n\r\n"));
  auto interim = client.ReadResponse();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("abc"));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "POST /e abc");
}

}  // namespace
}  // namespace workbind::net
