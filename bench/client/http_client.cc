#include "http_client.h"

#include <strings.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <optional>

#include "event_loop_impl.h"

namespace workbind::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// Replies of held connects can carry many events; the limit only guards
// against a runaway server.
constexpr uint64_t kMaxReplyBytes = 256ull * 1024 * 1024;

std::string_view HttpReply::Header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.name.size() == name.size() &&
        strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return h.value;
  return {};
}

EventLoop::EventLoop() : impl_(std::make_unique<Impl>()) {}
EventLoop::~EventLoop() = default;

void EventLoop::At(SteadyTime when, std::function<void()> fn) {
  auto timer = std::make_shared<asio::steady_timer>(impl_->io, when);
  timer->async_wait([timer, fn = std::move(fn)](error_code ec) {
    if (!ec) fn();
  });
}

void EventLoop::Run() {
  auto guard = asio::make_work_guard(impl_->io);
  impl_->io.run();
  impl_->io.restart();
}

void EventLoop::Stop() { impl_->io.stop(); }

struct HttpConnection::Impl : std::enable_shared_from_this<Impl> {
  struct Pending {
    HttpCall call;
    std::function<void(HttpReply)> done;
    bool retried = false;
  };

  Impl(EventLoop* loop, Endpoint ep)
      : socket(loop->impl()->io), endpoint(std::move(ep)) {}

  tcp::socket socket;
  Endpoint endpoint;
  std::deque<Pending> queue;
  bool busy = false;
  bool closed = false;  // Close() was called: never call back again
  int served = 0;       // replies read on the current socket
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  std::optional<http::response_parser<http::string_body>> parser;

  void Next() {
    if (busy || closed || queue.empty()) return;
    busy = true;
    if (socket.is_open())
      Write();
    else
      Connect();
  }

  void Connect() {
    tcp::endpoint remote;
    if (std::string problem = OpenSocket(socket, endpoint, &remote);
        !problem.empty())
      return Fail(problem);
    socket.async_connect(remote, [self = shared_from_this()](error_code ec) {
      if (self->closed) return;
      if (ec) return self->Fail("connect: " + ec.message());
      self->Write();
    });
  }

  void Write() {
    const HttpCall& call = queue.front().call;
    request = {};
    request.version(11);
    request.method_string(call.method);
    request.target(call.target);
    request.set(http::field::host, endpoint.host);
    for (const auto& h : call.headers) request.set(h.name, h.value);
    if (!call.body.empty() || call.method == "POST") {
      if (call.body.empty() || request[http::field::content_type].empty())
        request.set(http::field::content_type, "application/json");
      request.body() = call.body;
    }
    request.prepare_payload();
    http::async_write(socket, request,
                      [self = shared_from_this()](error_code ec, size_t) {
                        if (self->closed) return;
                        if (ec) return self->Fail("write: " + ec.message());
                        self->Read();
                      });
  }

  void Read() {
    parser.emplace();
    parser->body_limit(kMaxReplyBytes);
    http::async_read(socket, buffer, *parser,
                     [self = shared_from_this()](error_code ec, size_t) {
                       if (self->closed) return;
                       if (ec) return self->Fail("read: " + ec.message());
                       self->Complete();
                     });
  }

  void Complete() {
    auto response = parser->release();
    parser.reset();
    HttpReply reply;
    reply.status = response.result_int();
    for (const auto& f : response)
      reply.headers.push_back(
          {std::string(f.name_string()), std::string(f.value())});
    reply.body = std::move(response.body());
    const bool keep = response.keep_alive();
    ++served;
    Pending done = std::move(queue.front());
    queue.pop_front();
    if (!keep) CloseSocket();
    busy = false;
    auto self = shared_from_this();
    done.done(std::move(reply));
    if (!closed) Next();
  }

  void Fail(std::string why) {
    const bool reused = served > 0;
    CloseSocket();
    // The server may close an idle keep-alive connection just as a request
    // goes out; as browsers do, such a request is sent once more on a new
    // connection.
    if (reused && !queue.front().retried) {
      queue.front().retried = true;
      return Connect();
    }
    Pending done = std::move(queue.front());
    queue.pop_front();
    busy = false;
    HttpReply reply;
    reply.error = std::move(why);
    auto self = shared_from_this();
    done.done(std::move(reply));
    if (!closed) Next();
  }

  void CloseSocket() {
    served = 0;
    error_code ec;
    socket.close(ec);
    buffer.clear();
  }
};

HttpConnection::HttpConnection(EventLoop* loop, Endpoint endpoint)
    : impl_(std::make_shared<Impl>(loop, std::move(endpoint))) {}

HttpConnection::~HttpConnection() { Close(); }

void HttpConnection::Send(HttpCall call, std::function<void(HttpReply)> done) {
  impl_->queue.push_back({std::move(call), std::move(done)});
  impl_->Next();
}

void HttpConnection::Close() {
  impl_->closed = true;
  impl_->queue.clear();
  impl_->CloseSocket();
}

}  // namespace workbind::bench
