// HttpSession: start (and the TLS handshake), drain and close, lingering, and
// the read and write timers (the class is in http_session_impl.h).
#include "net/http_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <chrono>
#include <string>
#include <utility>

#include "net/http_session_impl.h"

namespace workbind::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::beast::error_code;
using Clock = std::chrono::steady_clock;

// After the last reply of a closing connection whose client may still be
// sending, we half-close and discard its input for at most this long: closing
// with unread input makes the kernel send RST, which can destroy the reply (a
// 413 sent while the client is still uploading, for instance) before the
// client reads it.
constexpr Clock::duration kLingerTimeout = std::chrono::seconds(2);
// How long a closing HTTPS connection waits for the client's close_notify
// after sending its own.
constexpr Clock::duration kTlsShutdownTimeout = std::chrono::seconds(1);

std::string PeerAddress(const tcp::socket& socket) {
  error_code ec;
  tcp::endpoint endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  asio::ip::address address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6())
        .to_string();
  }
  return address.to_string();
}

}  // namespace

// ---- start, drain, close ----

template <typename Stream>
void HttpSession<Stream>::Start() {
  id_ = context_->registry.Add(weak_from_this());
  if (id_ == 0) {  // the server is stopping
    error_code ignored;
    Socket().close(ignored);
    return;
  }
  remote_address_ = PeerAddress(Socket());
  error_code ignored;
  Socket().set_option(tcp::no_delay(true), ignored);
  asio::post(executor_, [self = shared_from_this()] {
    self->Guard([&] {
      if constexpr (kTls) {
        // The handshake counts as the wait for the first request.
        self->ArmReadTimerSeconds(
            self->context_->limits.header_timeout_seconds);
        self->read_pending_ = true;  // OnHandshake completes it
        self->stream_.async_handshake(boost::asio::ssl::stream_base::server,
                                      self->Bind(&HttpSession::OnHandshake));
      } else {
        self->ReadNextRequest();
      }
    });
  });
}

template <typename Stream>
void HttpSession<Stream>::OnHandshake(error_code ec) {
  if (!ReadCompleted(ec)) return;
  if (ec) {
    log::Debug("http {}: TLS handshake failed: {}", remote_address_,
               ec.message());
    CloseNow();
    return;
  }
  ReadNextRequest();
}

template <typename Stream>
void HttpSession<Stream>::Drain() {
  asio::post(executor_, [self = shared_from_this()] {
    self->Guard([&] { self->OnDrain(); });
  });
}

template <typename Stream>
void HttpSession<Stream>::ForceClose() {
  asio::post(executor_, [self = shared_from_this()] { self->CloseNow(); });
}

template <typename Stream>
void HttpSession<Stream>::OnDrain() {
  if (closed_ || draining_) return;
  draining_ = true;
  MaybeFinishDrain();
}

// While draining, the connection closes once every request already read has
// been answered; requests not yet read are abandoned.
template <typename Stream>
void HttpSession<Stream>::MaybeFinishDrain() {
  if (!draining_ || closed_ || writing_ || !pipeline_.empty()) return;
  if (upgrade_) {
    AbortWebSocket(upgrade_->websocket.session, upgrade_->handler);
    upgrade_.reset();
  }
  FinishAfterLastReply();
}

template <typename Stream>
void HttpSession<Stream>::CloseNow() noexcept {
  if (closed_) return;
  closed_ = true;
  if (upgrade_) {
    AbortWebSocket(upgrade_->websocket.session, upgrade_->handler);
    upgrade_.reset();
  }
  read_timer_.cancel();
  write_timer_.cancel();
  error_code ignored;
  Socket().close(ignored);
  // Release the self-reference of a stopped connection later, outside this
  // member function.
  if (hold_) asio::post(executor_, [hold = std::move(hold_)] {});
  // Slots stay until the session is destroyed: a write in progress may still
  // reference them.
}

// Closes after the last reply: at once when the client has nothing more to
// send, else after lingering.
template <typename Stream>
void HttpSession<Stream>::FinishAfterLastReply() {
  error_code ec;
  const size_t unread = buffer_.size() + Socket().available(ec);
  const bool client_may_send = input_unread_ || unread > 0 ||
                               read_state_ == ReadState::kHeader ||
                               read_state_ == ReadState::kBody;
  if (client_may_send) {
    BeginLinger();
  } else {
    CloseGracefully();
  }
}

// Plain HTTP closes at once. HTTPS sends close_notify when no read is pending
// (a pending read and the shutdown cannot share the stream), and closes when
// the client answers with its own, fails, or after kTlsShutdownTimeout.
template <typename Stream>
void HttpSession<Stream>::CloseGracefully() {
  if constexpr (kTls) {
    if (!closed_ && !read_pending_ && read_state_ != ReadState::kLinger) {
      read_state_ = ReadState::kLinger;  // read timer expiry: CloseNow
      read_pending_ = true;
      ArmReadTimer(kTlsShutdownTimeout);
      stream_.async_shutdown(Bind(&HttpSession::OnTlsShutdown));
      return;
    }
  }
  CloseNow();
}

template <typename Stream>
void HttpSession<Stream>::OnTlsShutdown(error_code ec) {
  read_pending_ = false;
  CloseNow();
}

template <typename Stream>
void HttpSession<Stream>::BeginLinger() {
  if (closed_ || read_state_ == ReadState::kLinger) return;
  read_state_ = ReadState::kLinger;
  error_code ignored;
  // Under TLS too: the replies are written; the client reads them before
  // the end of the TCP stream (without a close_notify, which would need the
  // stream the discarding read uses).
  Socket().shutdown(tcp::socket::shutdown_send, ignored);
  ArmReadTimer(kLingerTimeout);
  // A read already pending finishes the discarding when it completes.
  if (!read_pending_) DiscardInput();
}

template <typename Stream>
void HttpSession<Stream>::DiscardInput() {
  buffer_.clear();
  read_pending_ = true;
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          Bind(&HttpSession::OnDiscard));
}

template <typename Stream>
void HttpSession<Stream>::OnDiscard(error_code ec, std::size_t bytes) {
  read_pending_ = false;
  if (closed_) return;
  if (ec) {
    CloseNow();
    return;
  }
  DiscardInput();
}

// ---- timers ----

template <typename Stream>
void HttpSession<Stream>::ArmReadTimer(Clock::duration timeout) {
  read_timer_.expires_after(timeout);
  read_timer_.async_wait(Bind(&HttpSession::OnReadTimer));
}

template <typename Stream>
void HttpSession<Stream>::ArmReadTimerSeconds(int seconds) {
  if (seconds > 0) {
    ArmReadTimer(std::chrono::seconds(seconds));
  } else {
    DisarmReadTimer();  // 0 means no limit
  }
}

template <typename Stream>
void HttpSession<Stream>::DisarmReadTimer() {
  read_timer_.expires_at(Clock::time_point::max());
}

// Waiting for the next request: the idle timeout runs only while no request
// is in progress (a held long-poll is not idleness); on a new connection the
// header timeout bounds the wait for the first request.
template <typename Stream>
void HttpSession<Stream>::UpdateWaitTimer() {
  if (read_state_ != ReadState::kWaiting) return;
  if (!pipeline_.empty() || writing_) {
    DisarmReadTimer();
  } else if (served_any_) {
    ArmReadTimerSeconds(context_->limits.idle_timeout_seconds);
  } else {
    ArmReadTimerSeconds(context_->limits.header_timeout_seconds);
  }
}

template <typename Stream>
void HttpSession<Stream>::OnReadTimer(error_code ec) {
  if (ec == asio::error::operation_aborted || closed_) return;
  if (read_timer_.expiry() > Clock::now()) return;  // re-armed meanwhile
  if (read_state_ != ReadState::kLinger) {
    log::Debug("http {}: read timeout, closing", remote_address_);
  }
  CloseNow();
}

template <typename Stream>
void HttpSession<Stream>::OnWriteTimer(error_code ec) {
  if (ec == asio::error::operation_aborted || closed_ || !writing_) return;
  if (write_timer_.expiry() > Clock::now()) return;
  log::Debug("http {}: write timeout, closing", remote_address_);
  CloseNow();
}

void StartHttpSession(tcp::socket socket,
                      std::shared_ptr<SessionContext> context) {
  std::make_shared<HttpSession<TcpStream>>(std::move(socket),
                                           std::move(context))
      ->Start();
}

void StartHttpsSession(tcp::socket socket,
                       std::shared_ptr<SessionContext> context,
                       std::shared_ptr<TlsContext> tls) {
  std::make_shared<HttpSession<TlsStream>>(std::move(socket),
                                           std::move(context), std::move(tls))
      ->Start();
}

// The member functions above, for both streams.
#define WORKBIND_HTTP_SESSION_CORE(S)                               \
  template void HttpSession<S>::Start();                            \
  template void HttpSession<S>::OnHandshake(error_code);            \
  template void HttpSession<S>::Drain();                            \
  template void HttpSession<S>::ForceClose();                       \
  template void HttpSession<S>::OnDrain();                          \
  template void HttpSession<S>::MaybeFinishDrain();                 \
  template void HttpSession<S>::CloseNow() noexcept;                \
  template void HttpSession<S>::FinishAfterLastReply();             \
  template void HttpSession<S>::CloseGracefully();                  \
  template void HttpSession<S>::OnTlsShutdown(error_code);          \
  template void HttpSession<S>::BeginLinger();                      \
  template void HttpSession<S>::DiscardInput();                     \
  template void HttpSession<S>::OnDiscard(error_code, std::size_t); \
  template void HttpSession<S>::ArmReadTimer(Clock::duration);      \
  template void HttpSession<S>::ArmReadTimerSeconds(int);           \
  template void HttpSession<S>::DisarmReadTimer();                  \
  template void HttpSession<S>::UpdateWaitTimer();                  \
  template void HttpSession<S>::OnReadTimer(error_code);            \
  template void HttpSession<S>::OnWriteTimer(error_code);
WORKBIND_HTTP_SESSION_CORE(TcpStream)
WORKBIND_HTTP_SESSION_CORE(TlsStream)
#undef WORKBIND_HTTP_SESSION_CORE

}  // namespace workbind::net
