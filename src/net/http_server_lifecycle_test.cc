// The transport over real sockets: listening, stopping with replies in
// flight, and Responders called after the connection or the server is gone.
#include <chrono>
#include <stdexcept>
#include <string>

#include "net/http_server_test_fixture.h"

namespace workbind::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_F(HttpServerTest, ResponderAfterDisconnectIsHarmless) {
  Mailbox<Responder> held;
  handler_.on_request = [&](HttpRequest, Responder respond) {
    held.Put(std::move(respond));
  };
  StartServer();
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(Get("/hold")));
    ASSERT_TRUE(held.WaitFor(1));
  }
  ASSERT_TRUE(WaitForConnections(0));
  held.Items()[0](Reply(200, "late"));  // connection gone
  // A second one, called after the server is destroyed.
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/hold")));
  ASSERT_TRUE(held.WaitFor(2));
  server_.reset();
  held.Items()[1](Reply(200, "later"));
}

// A handler that throws, or drops its Responder without calling it, gets
// the internal_error reply of TransportReplies, in its pipeline slot.
TEST_F(HttpServerTest, FailedHandlersGetTheInternalErrorReply) {
  handler_.on_request = [](HttpRequest request, Responder respond) {
    if (request.target == "/throw") throw std::runtime_error("boom");
    if (request.target == "/ok") respond(Reply(200, "fine"));
    // "/drop": the Responder is destroyed unanswered.
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/throw") + Get("/drop") + Get("/ok")));
  for (const char* target : {"/throw", "/drop"}) {
    auto response = client.ReadResponse();
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 500) << target;
    EXPECT_EQ(response->body,
              R"({"statusCode":4,"statusMessage":"Internal error"})");
    EXPECT_EQ(response->headers["content-type"],
              "application/json;charset=UTF-8");
  }
  auto last = client.ReadResponse();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->body, "fine");
}

TEST_F(HttpServerTest, StopWaitsForReplyInFlight) {
  Mailbox<int> started;
  handler_.on_request = [&](HttpRequest, Responder respond) {
    Spawn([respond] {
      std::this_thread::sleep_for(milliseconds(300));
      respond(Reply(200, "done"));
    });
    started.Put(1);
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/slow")));
  ASSERT_TRUE(started.WaitFor(1));
  const auto start = std::chrono::steady_clock::now();
  server_->Stop(5);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(3));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "done");
  EXPECT_EQ(response->headers["connection"], "close");
  EXPECT_TRUE(client.AtEof());
  server_->Stop(5);  // idempotent
}

TEST_F(HttpServerTest, StopAbandonsUnansweredRequestsAfterGrace) {
  Mailbox<Responder> held;
  handler_.on_request = [&](HttpRequest, Responder respond) {
    held.Put(std::move(respond));
  };
  StartServer();
  Client busy(server_->port());
  Client idle(server_->port());
  ASSERT_TRUE(busy.Send(Get("/never")));
  ASSERT_TRUE(held.WaitFor(1));
  ASSERT_TRUE(WaitForConnections(2));
  const auto start = std::chrono::steady_clock::now();
  server_->Stop(1);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, milliseconds(900));
  EXPECT_LT(took, seconds(4));
  EXPECT_TRUE(busy.AtEof());
  EXPECT_TRUE(idle.AtEof());
  EXPECT_EQ(server_->connection_count(), 0u);
  held.Items()[0](Reply(200, "too late"));
}

TEST(HttpServerListenTest, Addresses) {
  TestHandler handler;
  {
    HttpServer server(ServerLimits{}, TransportReplies{}, &handler, 1);
    EXPECT_EQ(server.Listen("nonsense").code(), Code::kInvalidArgument);
    EXPECT_EQ(server.Listen("127.0.0.1:99999").code(), Code::kInvalidArgument);
    EXPECT_EQ(server.Listen("::1:80").code(), Code::kInvalidArgument);
  }
  {
    HttpServer server(ServerLimits{}, TransportReplies{}, &handler, 1);
    Status status = server.Listen("[::1]:0");
    if (status.ok()) {
      EXPECT_GT(server.port(), 0);
    } else {
      EXPECT_TRUE(status.unavailable());  // no IPv6 on this machine
    }
  }
  {
    HttpServer first(ServerLimits{}, TransportReplies{}, &handler, 1);
    ASSERT_TRUE(first.Listen("127.0.0.1:0").ok());
    HttpServer second(ServerLimits{}, TransportReplies{}, &handler, 1);
    Status status = second.Listen("127.0.0.1:" + std::to_string(first.port()));
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(status.unavailable());
  }
}

}  // namespace
}  // namespace workbind::net
