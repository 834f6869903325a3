#include "ws_client.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>

#include "event_loop_impl.h"

namespace workbind::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

// Event frames are small; the limit only guards against a runaway server.
constexpr uint64_t kMaxMessageBytes = 64ull * 1024 * 1024;

struct WsConnection::Impl : std::enable_shared_from_this<Impl> {
  Impl(EventLoop* loop, Endpoint ep)
      : ws(loop->impl()->io), endpoint(std::move(ep)) {}

  websocket::stream<tcp::socket> ws;
  Endpoint endpoint;
  MessageHandler on_message;
  ClosedHandler on_closed;
  std::deque<std::string> outbox;  // front() is being written when writing
  bool open = false;               // the upgrade completed
  bool writing = false;
  bool finished = false;  // failed or closed: no more I/O, no callback
  beast::flat_buffer buffer;
  websocket::response_type upgrade_reply;

  void Start(std::string target, std::vector<HttpHeader> headers) {
    tcp::endpoint remote;
    tcp::socket& socket = ws.next_layer();
    if (std::string problem = OpenSocket(socket, endpoint, &remote);
        !problem.empty())
      return Fail(problem);
    ws.set_option(websocket::stream_base::decorator(
        [headers = std::move(headers)](websocket::request_type& request) {
          for (const auto& h : headers) request.set(h.name, h.value);
        }));
    ws.read_message_max(kMaxMessageBytes);
    ws.text(true);
    socket.async_connect(remote, [self = shared_from_this(),
                                  target = std::move(target)](error_code ec) {
      if (self->finished) return;
      if (ec) return self->Fail("connect: " + ec.message());
      self->ws.async_handshake(self->upgrade_reply, self->endpoint.host, target,
                               [self](error_code ec) { self->OnUpgraded(ec); });
    });
  }

  void OnUpgraded(error_code ec) {
    if (finished) return;
    if (ec)
      return Fail("upgrade: " + ec.message() + " (HTTP " +
                  std::to_string(upgrade_reply.result_int()) + ")");
    open = true;
    Read();
    Write();
  }

  void Read() {
    ws.async_read(buffer, [self = shared_from_this()](error_code ec, size_t) {
      if (self->finished) return;
      if (ec) return self->Fail("read: " + ec.message());
      const auto data = self->buffer.cdata();
      self->on_message(
          std::string_view(static_cast<const char*>(data.data()), data.size()));
      if (self->finished) return;  // the handler closed the connection
      self->buffer.consume(self->buffer.size());
      self->Read();
    });
  }

  void Write() {
    if (!open || writing || finished || outbox.empty()) return;
    writing = true;
    ws.async_write(asio::buffer(outbox.front()),
                   [self = shared_from_this()](error_code ec, size_t) {
                     if (self->finished) return;
                     self->writing = false;
                     if (ec) return self->Fail("write: " + ec.message());
                     self->outbox.pop_front();
                     self->Write();
                   });
  }

  void Fail(std::string why) {
    if (finished) return;
    Shut();
    if (on_closed) {
      ClosedHandler closed = std::move(on_closed);
      closed(why);
    }
  }

  void Shut() {
    finished = true;
    open = false;
    outbox.clear();
    error_code ec;
    ws.next_layer().close(ec);
  }
};

WsConnection::WsConnection(EventLoop* loop, Endpoint endpoint)
    : impl_(std::make_shared<Impl>(loop, std::move(endpoint))) {}

WsConnection::~WsConnection() { Close(); }

void WsConnection::Open(std::string target, std::vector<HttpHeader> headers,
                        MessageHandler on_message, ClosedHandler on_closed) {
  impl_->on_message = std::move(on_message);
  impl_->on_closed = std::move(on_closed);
  impl_->Start(std::move(target), std::move(headers));
}

void WsConnection::Send(std::string text) {
  if (impl_->finished) return;
  impl_->outbox.push_back(std::move(text));
  impl_->Write();
}

void WsConnection::Close() {
  if (impl_->finished) return;
  // on_message stays: Close() may be called from inside it; `finished`
  // keeps it from being called again.
  impl_->on_closed = nullptr;
  impl_->Shut();
}

bool WsConnection::usable() const { return !impl_->finished; }

}  // namespace workbind::bench
