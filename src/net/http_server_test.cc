// Tests of the HTTP/WebSocket transport over real sockets on 127.0.0.1. The
// client side is plain POSIX sockets (no Beast) to keep this file cheap to
// compile.
#include "net/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace workbind::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// ---- a tiny blocking HTTP client ----

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

std::string Lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};  // no test may hang on a read
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ =
        ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads until `buf_` holds at least `n` bytes. False on EOF, error or
  // timeout.
  bool Fill(size_t n) {
    char chunk[4096];
    while (buf_.size() < n) {
      ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (got <= 0) return false;
      buf_.append(chunk, static_cast<size_t>(got));
    }
    return true;
  }

  // Reads up to and including "\r\n\r\n"; returns the head or nullopt.
  std::optional<std::string> ReadHead() {
    char chunk[4096];
    for (;;) {
      size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = buf_.substr(0, end + 4);
        buf_.erase(0, end + 4);
        return head;
      }
      ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
      if (got <= 0) return std::nullopt;
      buf_.append(chunk, static_cast<size_t>(got));
    }
  }

  std::optional<ClientResponse> ReadResponse() {
    std::optional<std::string> head = ReadHead();
    if (!head) return std::nullopt;
    ClientResponse response;
    size_t line_end = head->find("\r\n");
    std::string status_line = head->substr(0, line_end);
    size_t space = status_line.find(' ');
    if (space == std::string::npos) return std::nullopt;
    response.status = std::stoi(status_line.substr(space + 1, 3));
    size_t pos = line_end + 2;
    while (pos < head->size()) {
      size_t eol = head->find("\r\n", pos);
      if (eol == pos) break;
      std::string line = head->substr(pos, eol - pos);
      size_t colon = line.find(':');
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      response.headers[Lower(line.substr(0, colon))] = value;
      pos = eol + 2;
    }
    size_t length = 0;
    if (auto it = response.headers.find("content-length");
        it != response.headers.end()) {
      length = std::stoul(it->second);
    }
    if (!Fill(length)) return std::nullopt;
    response.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return response;
  }

  std::string Take(size_t n) {
    std::string out = buf_.substr(0, n);
    buf_.erase(0, n);
    return out;
  }

  // True when the server closed the connection (EOF or reset) with nothing
  // more to read.
  bool AtEof() {
    if (!buf_.empty()) return false;
    char c;
    ssize_t got = ::recv(fd_, &c, 1, 0);
    if (got == 0) return true;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    return got < 0;  // reset
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

std::string Get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" +
         std::string(extra) + "\r\n";
}

// ---- a trivial handler ----

class TestHandler : public RequestHandler {
 public:
  using RequestFn = std::function<void(HttpRequest, Responder)>;
  using UpgradeFn = std::function<std::shared_ptr<WebSocketHandler>(
      const HttpRequest&, std::shared_ptr<WebSocketConnection>)>;

  // Answers "<METHOD> <target> <body>" with the peer address in X-Remote.
  static void Echo(HttpRequest request, Responder respond) {
    HttpResponse response;
    response.SetHeader("Content-Type", "text/plain");
    response.SetHeader("X-Remote", request.remote_address);
    response.body = request.method + " " + request.target + " " + request.body;
    respond(std::move(response));
  }

  void Handle(HttpRequest request, Responder respond) override {
    on_request(std::move(request), std::move(respond));
  }
  std::shared_ptr<WebSocketHandler> AcceptWebSocket(
      const HttpRequest& request,
      std::shared_ptr<WebSocketConnection> connection) override {
    return on_upgrade ? on_upgrade(request, std::move(connection)) : nullptr;
  }

  RequestFn on_request = Echo;
  UpgradeFn on_upgrade;
};

HttpResponse Reply(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// Collects values from I/O threads and lets the test wait for them.
template <typename T>
class Mailbox {
 public:
  void Put(T value) {
    std::lock_guard lock(mu_);
    items_.push_back(std::move(value));
    cv_.notify_all();
  }
  // Waits until `n` items arrived; false on timeout.
  bool WaitFor(size_t n, std::chrono::milliseconds timeout = seconds(5)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return items_.size() >= n; });
  }
  std::vector<T> Items() {
    std::lock_guard lock(mu_);
    return items_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<T> items_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  // Starts the server with `limits` on an ephemeral port.
  void StartServer(ServerLimits limits = {}) {
    server_ = std::make_unique<HttpServer>(limits, &handler_, 2);
    Status status = server_->Listen("127.0.0.1:0");
    ASSERT_TRUE(status.ok()) << status.message();
    ASSERT_GT(server_->port(), 0);
    server_->Start();
  }
  bool WaitForConnections(size_t n) {
    for (int i = 0; i < 500; ++i) {
      if (server_->connection_count() == n) return true;
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }
  // Runs `fn` on a new thread, joined in TearDown. Callable from any thread.
  void Spawn(std::function<void()> fn) {
    std::lock_guard lock(threads_mu_);
    threads_.emplace_back(std::move(fn));
  }
  // Every request is answered 200 `body`, 100 ms later, from another thread.
  void ReplyLaterFromAnotherThread(std::string body) {
    handler_.on_request = [this, body](HttpRequest, Responder respond) {
      Spawn([respond = std::move(respond), body] {
        std::this_thread::sleep_for(milliseconds(100));
        respond(Reply(200, body));
      });
    };
  }
  void TearDown() override {
    if (server_) server_->Stop(0);
    std::lock_guard lock(threads_mu_);
    for (auto& t : threads_) t.join();
  }

  TestHandler handler_;
  std::unique_ptr<HttpServer> server_;
  std::mutex threads_mu_;
  std::vector<std::thread> threads_;
};

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

// ---- WebSocket ----

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

TEST(HttpServerListenTest, Addresses) {
  TestHandler handler;
  {
    HttpServer server(ServerLimits{}, &handler, 1);
    EXPECT_EQ(server.Listen("nonsense").code(), Code::kInvalidArgument);
    EXPECT_EQ(server.Listen("127.0.0.1:99999").code(), Code::kInvalidArgument);
    EXPECT_EQ(server.Listen("::1:80").code(), Code::kInvalidArgument);
  }
  {
    HttpServer server(ServerLimits{}, &handler, 1);
    Status status = server.Listen("[::1]:0");
    if (status.ok()) {
      EXPECT_GT(server.port(), 0);
    } else {
      EXPECT_TRUE(status.unavailable());  // no IPv6 on this machine
    }
  }
  {
    HttpServer first(ServerLimits{}, &handler, 1);
    ASSERT_TRUE(first.Listen("127.0.0.1:0").ok());
    HttpServer second(ServerLimits{}, &handler, 1);
    Status status = second.Listen("127.0.0.1:" + std::to_string(first.port()));
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(status.unavailable());
  }
}

}  // namespace
}  // namespace workbind::net
