#include "net/websocket_session.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/container/deque.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>

#include "common/log.h"

namespace workbind::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using beast::error_code;

// Messages queued while a write is in flight are joined into one frame up to
// this size (the first one may be larger on its own).
constexpr size_t kMaxJoinedBytes = 64 * 1024;

// Close codes a peer may receive (RFC 6455 7.4): the reserved ones are never
// sent on the wire.
uint16_t SanitizeCloseCode(int code) {
  if (code < 1000 || code > 4999 || code == 1004 || code == 1005 ||
      code == 1006 || code == 1015) {
    return websocket::close_code::normal;
  }
  return static_cast<uint16_t>(code);
}

}  // namespace

// The WebSocketConnection given to the layers above. Thread-safe. It keeps the
// bookkeeping Send needs to answer synchronously (closed flag, queued bytes)
// and posts the actual work to the session's strand through the IoGate.
template <typename Stream>
class WebSocketLink final : public WebSocketConnection {
 public:
  WebSocketLink(std::shared_ptr<SessionContext> context,
                std::string remote_address)
      : context_(std::move(context)),
        remote_address_(std::move(remote_address)) {}

  bool Send(std::string text) override;
  void Close() override { CloseWithCode(websocket::close_code::normal); }
  void CloseWithCode(int code) override;
  const std::string& remote_address() const override { return remote_address_; }

  // Set once by PrepareWebSocket, before the handle is published.
  void Bind(std::weak_ptr<WebSocketSession<Stream>> session) {
    session_ = std::move(session);
  }
  // Called by the session (on its strand).
  void MarkClosed() { closed_.store(true, std::memory_order_release); }
  void ReleaseBytes(size_t n) {
    pending_bytes_.fetch_sub(n, std::memory_order_relaxed);
  }

 private:
  // Runs fn(session) on the session's strand. False when the session or the
  // server is gone.
  template <typename Fn>
  bool PostToSession(Fn fn);

  const std::shared_ptr<SessionContext> context_;
  const std::string remote_address_;
  std::weak_ptr<WebSocketSession<Stream>> session_;
  std::atomic<bool> closed_{false};
  std::atomic<size_t> pending_bytes_{0};
};

// Owns the websocket stream. Every member function runs on the strand.
// Termination always funnels through the read loop: closing the socket makes
// the pending read fail, which calls Finish (and OnClose) exactly once. Under
// TLS, Beast's close handshake ends with a TLS shutdown (its teardown).
template <typename Stream>
class WebSocketSession final
    : public Session,
      public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  using std::enable_shared_from_this<WebSocketSession>::shared_from_this;
  using std::enable_shared_from_this<WebSocketSession>::weak_from_this;

  WebSocketSession(asio::any_io_executor executor,
                   std::shared_ptr<SessionContext> context,
                   std::shared_ptr<WebSocketLink<Stream>> link)
      : executor_(std::move(executor)),
        context_(std::move(context)),
        link_(std::move(link)),
        write_timer_(executor_) {}

  ~WebSocketSession() override { context_->registry.Remove(id_); }

  // Posts fn(*this) to the strand under the connection's top-level catch.
  template <typename Fn>
  void Post(Fn fn) {
    asio::post(executor_,
               [self = shared_from_this(), fn = std::move(fn)]() mutable {
                 self->Guard([&] { fn(*self); });
               });
  }

  void Drain() override {
    Post([](WebSocketSession& s) {
      s.StartClose(websocket::close_code::going_away);
    });
  }
  void ForceClose() override {
    Post([](WebSocketSession& s) { s.Kill("server stopping"); });
  }

  void Run(std::shared_ptr<WebSocketHandler> handler, Stream stream,
           UpgradeRequest upgrade, ConnectionRegistry::Id id);
  void Abort(const std::shared_ptr<WebSocketHandler>& handler);
  void Enqueue(std::string text);
  void StartClose(uint16_t code);
  // Closes the socket at once (slow consumer, write timeout, shutdown).
  void Kill(const char* why);

 private:
  // The connection's top-level catch: logs, closes and reports OnClose.
  template <typename Fn>
  void Guard(Fn&& fn) noexcept {
    try {
      fn();
      return;
    } catch (const std::exception& e) {
      log::Error("websocket {}: unexpected exception: {}",
                 link_->remote_address(), e.what());
    } catch (...) {
      log::Error("websocket {}: unexpected exception", link_->remote_address());
    }
    Finish();
  }
  // Completion handler calling member `fn` under Guard.
  template <typename... Args>
  auto Bind(void (WebSocketSession::*fn)(Args...)) {
    return [self = shared_from_this(), fn](Args... args) {
      self->Guard([&] { (self.get()->*fn)(args...); });
    };
  }

  void Accept(UpgradeRequest upgrade);
  void OnAccept(error_code ec);
  void DoRead();
  void OnRead(error_code ec, std::size_t bytes);
  void MaybeWrite();
  // Notes the start of a write for the write timeout, arming the timer only
  // when it is not armed already (not once per write).
  void WatchWrite();
  void OnWrite(error_code ec, std::size_t bytes);
  void OnCloseSent(error_code ec);
  void OnWriteTimer(error_code ec);
  void CloseSocket() noexcept;
  void Finish() noexcept;

  const asio::any_io_executor executor_;
  const std::shared_ptr<SessionContext> context_;
  const std::shared_ptr<WebSocketLink<Stream>> link_;
  std::shared_ptr<WebSocketHandler> handler_;  // reset after OnClose
  std::optional<websocket::stream<Stream>> ws_;
  UpgradeRequest upgrade_;
  beast::flat_buffer read_buffer_;
  // Messages waiting for the write in flight. A Boost deque holds no memory
  // while empty (std::deque keeps a 512-byte block), and is emptied of its
  // blocks when drained: most sockets are idle most of the time.
  boost::container::deque<std::string> queue_;
  // The message being written when writing_ (queued messages the handler
  // joined), and the bytes of the Send texts it carries.
  std::string out_;
  size_t out_bytes_ = 0;
  asio::steady_timer write_timer_;
  std::chrono::steady_clock::time_point write_started_;
  bool timer_armed_ = false;
  ConnectionRegistry::Id id_ = 0;
  uint16_t close_code_ = websocket::close_code::normal;
  bool accepted_ = false;
  bool writing_ = false;
  bool close_requested_ = false;
  bool close_sent_ = false;
  bool killed_ = false;
  bool finished_ = false;
};

// ---- WebSocketLink ----

template <typename Stream>
template <typename Fn>
bool WebSocketLink<Stream>::PostToSession(Fn fn) {
  bool posted = false;
  context_->gate.Run([&] {
    // The strong reference lives only inside the gate (see IoGate).
    if (auto session = session_.lock()) {
      session->Post(std::move(fn));
      posted = true;
    }
  });
  return posted;
}

template <typename Stream>
bool WebSocketLink<Stream>::Send(std::string text) {
  if (closed_.load(std::memory_order_acquire)) return false;
  const size_t size = text.size();
  const size_t total =
      pending_bytes_.fetch_add(size, std::memory_order_relaxed) + size;
  if (total > context_->limits.ws_max_pending_bytes) {
    pending_bytes_.fetch_sub(size, std::memory_order_relaxed);
    closed_.store(true, std::memory_order_release);
    PostToSession([](WebSocketSession<Stream>& s) {
      s.Kill("queued frames exceed ws_max_pending_bytes");
    });
    return false;
  }
  const bool posted = PostToSession(
      [text = std::move(text)](WebSocketSession<Stream>& s) mutable {
        s.Enqueue(std::move(text));
      });
  if (!posted) {
    pending_bytes_.fetch_sub(size, std::memory_order_relaxed);
    return false;
  }
  return true;
}

template <typename Stream>
void WebSocketLink<Stream>::CloseWithCode(int code) {
  closed_.store(true, std::memory_order_release);
  const uint16_t wire_code = SanitizeCloseCode(code);
  PostToSession(
      [wire_code](WebSocketSession<Stream>& s) { s.StartClose(wire_code); });
}

// ---- WebSocketSession ----

template <typename Stream>
void WebSocketSession<Stream>::Run(std::shared_ptr<WebSocketHandler> handler,
                                   Stream stream, UpgradeRequest upgrade,
                                   ConnectionRegistry::Id id) {
  handler_ = std::move(handler);
  id_ = id;
  context_->registry.Replace(id_, weak_from_this());
  ws_.emplace(std::move(stream));
  Guard([&] { Accept(std::move(upgrade)); });
}

template <typename Stream>
void WebSocketSession<Stream>::Accept(UpgradeRequest upgrade) {
  if (killed_) {
    CloseSocket();
    Finish();
    return;
  }
  const ServerLimits& limits = context_->limits;
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout =
      limits.write_timeout_seconds > 0
          ? std::chrono::seconds(limits.write_timeout_seconds)
          : websocket::stream_base::none();
  timeouts.idle_timeout =
      limits.ws_idle_timeout_seconds > 0
          ? std::chrono::seconds(limits.ws_idle_timeout_seconds)
          : websocket::stream_base::none();
  // Pings keep a live but quiet client connected; a dead one is closed after
  // the idle timeout.
  timeouts.keep_alive_pings = true;
  ws_->set_option(timeouts);
  websocket::permessage_deflate deflate;
  deflate.server_enable = false;
  deflate.client_enable = false;
  ws_->set_option(deflate);
  ws_->read_message_max(limits.ws_max_message_bytes);
  ws_->text(true);
  // One message, one frame (the handler may join queued messages into one
  // message first, see MaybeWrite).
  ws_->auto_fragment(false);
  // The request must outlive the accept operation.
  upgrade_ = std::move(upgrade);
  ws_->async_accept(upgrade_, Bind(&WebSocketSession::OnAccept));
}

template <typename Stream>
void WebSocketSession<Stream>::Abort(
    const std::shared_ptr<WebSocketHandler>& handler) {
  handler_ = handler;
  Finish();
}

template <typename Stream>
void WebSocketSession<Stream>::OnAccept(error_code ec) {
  upgrade_ = {};
  if (ec) {
    log::Debug("websocket {}: handshake failed: {}", link_->remote_address(),
               ec.message());
    CloseSocket();
    Finish();
    return;
  }
  accepted_ = true;
  DoRead();
  MaybeWrite();
}

template <typename Stream>
void WebSocketSession<Stream>::DoRead() {
  ws_->async_read(read_buffer_, Bind(&WebSocketSession::OnRead));
}

template <typename Stream>
void WebSocketSession<Stream>::OnRead(error_code ec, std::size_t bytes) {
  if (ec) {
    if (ec != websocket::error::closed &&
        ec != asio::error::operation_aborted) {
      log::Debug("websocket {}: closed: {}", link_->remote_address(),
                 ec.message());
    }
    Finish();
    return;
  }
  if (finished_) return;
  std::string text = beast::buffers_to_string(read_buffer_.data());
  read_buffer_.consume(read_buffer_.size());
  read_buffer_.shrink_to_fit();  // an idle socket keeps no read buffer
  handler_->OnMessage(std::move(text));
  DoRead();
}

template <typename Stream>
void WebSocketSession<Stream>::Enqueue(std::string text) {
  if (finished_ || close_requested_) {
    link_->ReleaseBytes(text.size());
    return;
  }
  queue_.push_back(std::move(text));
  MaybeWrite();
}

template <typename Stream>
void WebSocketSession<Stream>::MaybeWrite() {
  if (!accepted_ || writing_ || finished_ || close_sent_) return;
  if (queue_.empty()) {
    if (close_requested_) {
      close_sent_ = true;
      ws_->async_close(websocket::close_reason(close_code_),
                       Bind(&WebSocketSession::OnCloseSent));
    }
    return;
  }
  writing_ = true;
  // Write-behind: everything queued since the last write started leaves in
  // this one frame, as far as the handler's protocol joins messages.
  out_ = std::move(queue_.front());
  queue_.pop_front();
  out_bytes_ = out_.size();
  while (!queue_.empty() && handler_ &&
         out_.size() + queue_.front().size() <= kMaxJoinedBytes) {
    const size_t n = queue_.front().size();
    if (!handler_->JoinMessages(&out_, queue_.front())) break;
    out_bytes_ += n;
    queue_.pop_front();
  }
  if (queue_.empty()) queue_.shrink_to_fit();
  WatchWrite();
  ws_->async_write(asio::buffer(out_), Bind(&WebSocketSession::OnWrite));
}

template <typename Stream>
void WebSocketSession<Stream>::WatchWrite() {
  const int timeout = context_->limits.write_timeout_seconds;
  if (timeout <= 0) return;
  write_started_ = std::chrono::steady_clock::now();
  if (timer_armed_) return;  // OnWriteTimer re-arms for this write
  timer_armed_ = true;
  write_timer_.expires_at(write_started_ + std::chrono::seconds(timeout));
  write_timer_.async_wait(Bind(&WebSocketSession::OnWriteTimer));
}

template <typename Stream>
void WebSocketSession<Stream>::OnWrite(error_code ec, std::size_t bytes) {
  writing_ = false;
  link_->ReleaseBytes(out_bytes_);
  out_bytes_ = 0;
  std::string().swap(out_);  // an idle socket keeps no write buffer
  if (ec) {
    CloseSocket();  // the pending read fails and calls Finish
    return;
  }
  MaybeWrite();
}

template <typename Stream>
void WebSocketSession<Stream>::OnCloseSent(error_code ec) {
  // On success the pending read completes with websocket::error::closed.
  if (ec) CloseSocket();
}

template <typename Stream>
void WebSocketSession<Stream>::OnWriteTimer(error_code ec) {
  timer_armed_ = false;
  // Not writing: the next write arms the timer again.
  if (ec == asio::error::operation_aborted || !writing_ || finished_) return;
  const auto deadline =
      write_started_ +
      std::chrono::seconds(context_->limits.write_timeout_seconds);
  if (deadline > std::chrono::steady_clock::now()) {
    // The timer was armed for an earlier write: wait for this one's deadline.
    timer_armed_ = true;
    write_timer_.expires_at(deadline);
    write_timer_.async_wait(Bind(&WebSocketSession::OnWriteTimer));
    return;
  }
  Kill("write timeout");
}

template <typename Stream>
void WebSocketSession<Stream>::StartClose(uint16_t code) {
  link_->MarkClosed();
  if (close_requested_ || finished_) return;
  close_requested_ = true;
  close_code_ = code;
  MaybeWrite();
}

template <typename Stream>
void WebSocketSession<Stream>::Kill(const char* why) {
  log::Debug("websocket {}: closing: {}", link_->remote_address(), why);
  link_->MarkClosed();
  killed_ = true;
  CloseSocket();
}

template <typename Stream>
void WebSocketSession<Stream>::CloseSocket() noexcept {
  if (!ws_) return;
  error_code ignored;
  beast::get_lowest_layer(*ws_).close(ignored);
}

template <typename Stream>
void WebSocketSession<Stream>::Finish() noexcept {
  if (finished_) return;
  finished_ = true;
  link_->MarkClosed();
  write_timer_.cancel();
  CloseSocket();
  if (auto handler = std::move(handler_)) {
    try {
      handler->OnClose();
    } catch (const std::exception& e) {
      log::Error("websocket {}: OnClose threw: {}", link_->remote_address(),
                 e.what());
    } catch (...) {
      log::Error("websocket {}: OnClose threw", link_->remote_address());
    }
  }
}

// ---- free functions (websocket_session.h) ----

template <typename Stream>
PendingWebSocket<Stream> PrepareWebSocket(
    asio::any_io_executor executor, std::shared_ptr<SessionContext> context,
    std::string remote_address) {
  auto link = std::make_shared<WebSocketLink<Stream>>(
      context, std::move(remote_address));
  auto session = std::make_shared<WebSocketSession<Stream>>(
      std::move(executor), std::move(context), link);
  link->Bind(session);
  return PendingWebSocket<Stream>{std::move(session), std::move(link)};
}

template <typename Stream>
void RunWebSocket(const std::shared_ptr<WebSocketSession<Stream>>& session,
                  std::shared_ptr<WebSocketHandler> handler, Stream stream,
                  UpgradeRequest upgrade, ConnectionRegistry::Id id) {
  session->Run(std::move(handler), std::move(stream), std::move(upgrade), id);
}

template <typename Stream>
void AbortWebSocket(const std::shared_ptr<WebSocketSession<Stream>>& session,
                    const std::shared_ptr<WebSocketHandler>& handler) {
  session->Abort(handler);
}

#define WORKBIND_WEBSOCKET_SESSION(S)                                          \
  template PendingWebSocket<S> PrepareWebSocket<S>(                            \
      asio::any_io_executor, std::shared_ptr<SessionContext>, std::string);    \
  template void RunWebSocket<S>(const std::shared_ptr<WebSocketSession<S>>&,   \
                                std::shared_ptr<WebSocketHandler>, S,          \
                                UpgradeRequest, ConnectionRegistry::Id);       \
  template void AbortWebSocket<S>(const std::shared_ptr<WebSocketSession<S>>&, \
                                  const std::shared_ptr<WebSocketHandler>&);
WORKBIND_WEBSOCKET_SESSION(TcpStream)
WORKBIND_WEBSOCKET_SESSION(TlsStream)
#undef WORKBIND_WEBSOCKET_SESSION

}  // namespace workbind::net
