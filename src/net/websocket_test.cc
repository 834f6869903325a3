// The transport over real sockets: WebSocket upgrade, echo, close
// handshakes from either side, refused upgrades, and stopping the server.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "net/http_server_test_fixture.h"

namespace workbind::net {
namespace {

using std::chrono::milliseconds;

class EchoSocket : public WebSocketHandler {
 public:
  EchoSocket(std::shared_ptr<WebSocketConnection> connection,
             Mailbox<std::string>* closes)
      : connection_(std::move(connection)), closes_(closes) {}
  void OnMessage(std::string text) override {
    connection_->Send("echo:" + text);
  }
  void OnClose() override { closes_->Put(connection_->remote_address()); }

 private:
  std::shared_ptr<WebSocketConnection> connection_;
  Mailbox<std::string>* closes_;
};

std::string MaskedFrame(uint8_t opcode, std::string_view payload) {
  std::string frame;
  frame += static_cast<char>(0x80 | opcode);
  frame += static_cast<char>(0x80 | payload.size());  // < 126 bytes here
  const char mask[4] = {0x12, 0x34, 0x56, 0x78};
  frame.append(mask, 4);
  for (size_t i = 0; i < payload.size(); ++i) {
    frame += static_cast<char>(payload[i] ^ mask[i % 4]);
  }
  return frame;
}

constexpr std::string_view kUpgrade =
    "GET /api/v2/notifications HTTP/1.1\r\n"
    "Host: test\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Sec-WebSocket-Version: 13\r\n\r\n";

TEST_F(HttpServerTest, WebSocketRoundTrip) {
  Mailbox<std::string> closes;
  handler_.on_upgrade = [&](const HttpRequest& request,
                            std::shared_ptr<WebSocketConnection> connection) {
    EXPECT_EQ(request.target, "/api/v2/notifications");
    return std::make_shared<EchoSocket>(std::move(connection), &closes);
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(kUpgrade));
  std::optional<std::string> head = client.ReadHead();
  ASSERT_TRUE(head);
  EXPECT_NE(head->find("HTTP/1.1 101"), std::string::npos) << *head;
  EXPECT_NE(head->find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), std::string::npos);

  ASSERT_TRUE(client.Send(MaskedFrame(0x1, "hello")));
  ASSERT_TRUE(client.Fill(2));
  std::string header = client.Take(2);
  EXPECT_EQ(static_cast<uint8_t>(header[0]), 0x81);  // FIN + text
  const size_t length = static_cast<uint8_t>(header[1]);
  ASSERT_EQ(length, 10u);  // unmasked, "echo:hello"
  ASSERT_TRUE(client.Fill(length));
  EXPECT_EQ(client.Take(length), "echo:hello");
  EXPECT_EQ(server_->connection_count(), 1u);

  // Client-initiated close: the server answers with a close frame.
  ASSERT_TRUE(client.Send(MaskedFrame(0x8, std::string("\x03\xe8", 2))));
  ASSERT_TRUE(client.Fill(4));
  const std::string close_frame = client.Take(4);
  EXPECT_EQ(static_cast<uint8_t>(close_frame[0]), 0x88);
  EXPECT_EQ(close_frame.substr(2), std::string("\x03\xe8", 2));  // 1000
  // The server half-closes and waits for our FIN before OnClose.
  client.Close();
  ASSERT_TRUE(closes.WaitFor(1));
  EXPECT_EQ(closes.Items()[0], "127.0.0.1");
  EXPECT_TRUE(WaitForConnections(0));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(closes.Items().size(), 1u);  // OnClose exactly once
}

TEST_F(HttpServerTest, WebSocketServerCloseAndSendAfterClose) {
  Mailbox<std::string> closes;
  Mailbox<std::shared_ptr<WebSocketConnection>> connections;
  handler_.on_upgrade = [&](const HttpRequest&,
                            std::shared_ptr<WebSocketConnection> connection) {
    connections.Put(connection);
    // Queued before the handshake completes: written right after it.
    EXPECT_TRUE(connection->Send("welcome"));
    return std::make_shared<EchoSocket>(std::move(connection), &closes);
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(kUpgrade));
  ASSERT_TRUE(client.ReadHead());
  ASSERT_TRUE(client.Fill(2 + 7));
  client.Take(2);
  EXPECT_EQ(client.Take(7), "welcome");

  ASSERT_TRUE(connections.WaitFor(1));
  auto connection = connections.Items()[0];
  connection->CloseWithCode(1007);
  EXPECT_FALSE(connection->Send("dropped"));
  ASSERT_TRUE(client.Fill(4));
  std::string frame = client.Take(4);
  EXPECT_EQ(static_cast<uint8_t>(frame[0]), 0x88);
  EXPECT_EQ(
      (static_cast<uint8_t>(frame[2]) << 8) | static_cast<uint8_t>(frame[3]),
      1007);
  ASSERT_TRUE(client.Send(MaskedFrame(0x8, std::string("\x03\xef", 2))));
  client.Close();
  ASSERT_TRUE(closes.WaitFor(1));
  server_.reset();
  EXPECT_FALSE(connection->Send("after the server"));  // harmless
}

// Joins messages as "a" + "," + "b", so the test can tell joined frames.
class JoiningSocket : public EchoSocket {
 public:
  using EchoSocket::EchoSocket;
  bool JoinMessages(std::string* into, std::string_view next) override {
    *into += ',';
    into->append(next);
    return true;
  }
};

// Reads one unmasked server frame (payloads below 64 KiB); nullopt when the
// connection ends first.
std::optional<std::pair<uint8_t, std::string>> ReadFrame(Client* client) {
  if (!client->Fill(2)) return std::nullopt;
  const std::string header = client->Take(2);
  size_t length = static_cast<uint8_t>(header[1]) & 0x7f;
  if (length == 126) {
    if (!client->Fill(2)) return std::nullopt;
    const std::string ext = client->Take(2);
    length = (static_cast<uint8_t>(ext[0]) << 8) | static_cast<uint8_t>(ext[1]);
  }
  if (!client->Fill(length)) return std::nullopt;
  return std::make_pair(static_cast<uint8_t>(header[0]), client->Take(length));
}

TEST_F(HttpServerTest, MessagesQueuedBehindAWriteLeaveInOneFrame) {
  Mailbox<std::string> closes;
  handler_.on_upgrade = [&](const HttpRequest&,
                            std::shared_ptr<WebSocketConnection> connection) {
    // Queued before the handshake reply is written: all of them wait for
    // the first write, so they leave joined, in order, in one frame.
    for (int i = 0; i < 300; ++i)
      EXPECT_TRUE(connection->Send("m" + std::to_string(i)));
    return std::make_shared<JoiningSocket>(std::move(connection), &closes);
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(kUpgrade));
  ASSERT_TRUE(client.ReadHead());
  std::string expected = "m0";
  for (int i = 1; i < 300; ++i) expected += ",m" + std::to_string(i);
  auto frame = ReadFrame(&client);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->first, 0x81);  // FIN + text: one complete message
  EXPECT_EQ(frame->second, expected);
  // Nothing queued behind: the echo leaves on its own.
  ASSERT_TRUE(client.Send(MaskedFrame(0x1, "x")));
  frame = ReadFrame(&client);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->second, "echo:x");
  client.Close();
  EXPECT_TRUE(closes.WaitFor(1));  // before `closes` goes out of scope
}

TEST_F(HttpServerTest, HandlersThatDoNotJoinGetOneFramePerSend) {
  Mailbox<std::string> closes;
  handler_.on_upgrade = [&](const HttpRequest&,
                            std::shared_ptr<WebSocketConnection> connection) {
    for (int i = 0; i < 3; ++i)
      EXPECT_TRUE(connection->Send("m" + std::to_string(i)));
    return std::make_shared<EchoSocket>(std::move(connection), &closes);
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(kUpgrade));
  ASSERT_TRUE(client.ReadHead());
  for (int i = 0; i < 3; ++i) {
    auto frame = ReadFrame(&client);
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->second, "m" + std::to_string(i));
  }
  client.Close();
  EXPECT_TRUE(closes.WaitFor(1));  // before `closes` goes out of scope
}

TEST_F(HttpServerTest, RefusedUpgradeIsPlainHttp) {
  handler_.on_upgrade = [](const HttpRequest&,
                           std::shared_ptr<WebSocketConnection>) {
    return std::shared_ptr<WebSocketHandler>();
  };
  handler_.on_request = [](HttpRequest, Responder respond) {
    respond(Reply(401, "no"));
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(kUpgrade));
  auto response = client.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 401);
  EXPECT_EQ(response->body, "no");
}

TEST_F(HttpServerTest, StopClosesWebSocketsAndReportsOnClose) {
  Mailbox<std::string> closes;
  handler_.on_upgrade = [&](const HttpRequest&,
                            std::shared_ptr<WebSocketConnection> connection) {
    return std::make_shared<EchoSocket>(std::move(connection), &closes);
  };
  StartServer();
  Client client(server_->port());
  ASSERT_TRUE(client.Send(kUpgrade));
  ASSERT_TRUE(client.ReadHead());
  server_->Stop(0);
  ASSERT_TRUE(closes.WaitFor(1, milliseconds(100)));
}

}  // namespace
}  // namespace workbind::net
