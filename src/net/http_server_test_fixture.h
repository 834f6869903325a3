// The shared fixture of the transport tests (http_*_test.cc,
// websocket_test.cc): real sockets on 127.0.0.1, a tiny blocking client made
// of plain POSIX sockets (no Beast, to keep the tests cheap to compile), a
// handler whose behaviour each test sets, and HttpServerTest, which starts
// the server and joins the threads a test spawns.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
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

#include "net/http_server.h"

namespace workbind::net {

// ---- a tiny blocking HTTP client ----

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

inline std::string Lower(std::string s) {
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

inline std::string Get(std::string_view target, std::string_view extra = "") {
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

inline HttpResponse Reply(int status, std::string body) {
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
  bool WaitFor(size_t n,
               std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
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

// The replies the transport writes by itself, as the server gives them
// (app/transport_replies.cc).
inline TransportReplies TestTransportReplies() {
  TransportReplies replies;
  for (HttpResponse* r :
       {&replies.malformed_request, &replies.internal_error}) {
    r->SetHeader("Content-Type", "application/json;charset=UTF-8");
    r->SetHeader("X-Content-Type-Options", "nosniff");
  }
  replies.malformed_request.body =
      R"({"statusCode":10,"statusMessage":"Malformed HTTP request"})";
  replies.internal_error.body =
      R"({"statusCode":4,"statusMessage":"Internal error"})";
  return replies;
}

class HttpServerTest : public ::testing::Test {
 protected:
  // Starts the server with `limits` on an ephemeral port.
  void StartServer(ServerLimits limits = {}) {
    server_ = std::make_unique<HttpServer>(limits, TestTransportReplies(),
                                           &handler_, 2);
    Status status = server_->Listen("127.0.0.1:0");
    ASSERT_TRUE(status.ok()) << status.message();
    ASSERT_GT(server_->port(), 0);
    server_->Start();
  }
  bool WaitForConnections(size_t n) {
    for (int i = 0; i < 500; ++i) {
      if (server_->connection_count() == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
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
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
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

}  // namespace workbind::net
