// A small asynchronous HTTP/1.1 client for the load generators: one
// single-threaded EventLoop, many keep-alive HttpConnections on it. Not
// thread-safe: every call and every callback happens on the loop's thread.
// Boost.Beast stays inside http_client.cc so that only one file of the
// benchmarks pays its compile time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace workbind::bench {

using SteadyTime = std::chrono::steady_clock::time_point;

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpCall {
  std::string method = "GET";
  std::string target;
  std::vector<HttpHeader> headers;
  std::string body;  // sent with Content-Type: application/json when set
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::vector<HttpHeader> headers;
  std::string error;  // non-empty: the exchange failed at the transport

  bool ok() const { return error.empty(); }
  // The first header named `name` (case-insensitive); empty when absent.
  std::string_view Header(std::string_view name) const;
};

// Where to connect, and from which local address (empty: any). Several
// 127.0.0.x source addresses give more ephemeral ports than one.
struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string bind_address;
};

// Owns the io_context. Run() returns when Stop() is called.
class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs `fn` on the loop at `when` (at once when it has passed).
  void At(SteadyTime when, std::function<void()> fn);
  void After(std::chrono::nanoseconds delay, std::function<void()> fn) {
    At(std::chrono::steady_clock::now() + delay, std::move(fn));
  }
  void Run();
  void Stop();

  struct Impl;
  Impl* impl() { return impl_.get(); }

 private:
  std::unique_ptr<Impl> impl_;
};

// One keep-alive connection. Calls are sent one after another in the order
// of Send(); the connection is opened on the first call and reopened after
// the server closes it. A call that fails on a reused connection (the server
// closed it as the call went out) is sent once more on a new connection.
// Destroying the HttpConnection closes the socket; callbacks of calls still
// pending are then not called.
class HttpConnection {
 public:
  HttpConnection(EventLoop* loop, Endpoint endpoint);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Queues `call`; `done` receives the reply, or a reply with `error` set
  // when connecting, writing or reading failed (the call is then dropped).
  void Send(HttpCall call, std::function<void(HttpReply)> done);
  // Closes the socket now; queued calls are dropped without callbacks.
  void Close();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace workbind::bench
