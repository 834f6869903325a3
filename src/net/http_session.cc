// HttpSession: start, drain and close, lingering, and the read and write
// timers (the class is in http_session_impl.h).
#include "net/http_session.h"

#include <boost/asio/post.hpp>
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

void HttpSession::Start() {
  id_ = context_->registry.Add(weak_from_this());
  if (id_ == 0) {  // the server is stopping
    error_code ignored;
    socket_.close(ignored);
    return;
  }
  remote_address_ = PeerAddress(socket_);
  error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  asio::post(executor_, [self = shared_from_this()] {
    self->Guard([&] { self->ReadNextRequest(); });
  });
}

void HttpSession::Drain() {
  asio::post(executor_, [self = shared_from_this()] {
    self->Guard([&] { self->OnDrain(); });
  });
}

void HttpSession::ForceClose() {
  asio::post(executor_, [self = shared_from_this()] { self->CloseNow(); });
}

void HttpSession::OnDrain() {
  if (closed_ || draining_) return;
  draining_ = true;
  MaybeFinishDrain();
}

// While draining, the connection closes once every request already read has
// been answered; requests not yet read are abandoned.
void HttpSession::MaybeFinishDrain() {
  if (!draining_ || closed_ || writing_ || !pipeline_.empty()) return;
  if (upgrade_) {
    AbortWebSocket(upgrade_->websocket.session, upgrade_->handler);
    upgrade_.reset();
  }
  FinishAfterLastReply();
}

void HttpSession::CloseNow() noexcept {
  if (closed_) return;
  closed_ = true;
  if (upgrade_) {
    AbortWebSocket(upgrade_->websocket.session, upgrade_->handler);
    upgrade_.reset();
  }
  read_timer_.cancel();
  write_timer_.cancel();
  error_code ignored;
  socket_.close(ignored);
  // Release the self-reference of a stopped connection later, outside this
  // member function.
  if (hold_) asio::post(executor_, [hold = std::move(hold_)] {});
  // Slots stay until the session is destroyed: a write in progress may still
  // reference them.
}

// Closes after the last reply: at once when the client has nothing more to
// send, else after lingering.
void HttpSession::FinishAfterLastReply() {
  error_code ec;
  const size_t unread = buffer_.size() + socket_.available(ec);
  const bool client_may_send = input_unread_ || unread > 0 ||
                               read_state_ == ReadState::kHeader ||
                               read_state_ == ReadState::kBody;
  if (client_may_send) {
    BeginLinger();
  } else {
    CloseNow();
  }
}

void HttpSession::BeginLinger() {
  if (closed_ || read_state_ == ReadState::kLinger) return;
  read_state_ = ReadState::kLinger;
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  ArmReadTimer(kLingerTimeout);
  // A read already pending finishes the discarding when it completes.
  if (!read_pending_) DiscardInput();
}

void HttpSession::DiscardInput() {
  buffer_.clear();
  read_pending_ = true;
  socket_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          Bind(&HttpSession::OnDiscard));
}

void HttpSession::OnDiscard(error_code ec, std::size_t bytes) {
  read_pending_ = false;
  if (closed_) return;
  if (ec) {
    CloseNow();
    return;
  }
  DiscardInput();
}

// ---- timers ----

void HttpSession::ArmReadTimer(Clock::duration timeout) {
  read_timer_.expires_after(timeout);
  read_timer_.async_wait(Bind(&HttpSession::OnReadTimer));
}

void HttpSession::ArmReadTimerSeconds(int seconds) {
  if (seconds > 0) {
    ArmReadTimer(std::chrono::seconds(seconds));
  } else {
    DisarmReadTimer();  // 0 means no limit
  }
}

void HttpSession::DisarmReadTimer() {
  read_timer_.expires_at(Clock::time_point::max());
}

// Waiting for the next request: the idle timeout runs only while no request
// is in progress (a held long-poll is not idleness); on a new connection the
// header timeout bounds the wait for the first request.
void HttpSession::UpdateWaitTimer() {
  if (read_state_ != ReadState::kWaiting) return;
  if (!pipeline_.empty() || writing_) {
    DisarmReadTimer();
  } else if (served_any_) {
    ArmReadTimerSeconds(context_->limits.idle_timeout_seconds);
  } else {
    ArmReadTimerSeconds(context_->limits.header_timeout_seconds);
  }
}

void HttpSession::OnReadTimer(error_code ec) {
  if (ec == asio::error::operation_aborted || closed_) return;
  if (read_timer_.expiry() > Clock::now()) return;  // re-armed meanwhile
  if (read_state_ != ReadState::kLinger) {
    log::Debug("http {}: read timeout, closing", remote_address_);
  }
  CloseNow();
}

void HttpSession::OnWriteTimer(error_code ec) {
  if (ec == asio::error::operation_aborted || closed_ || !writing_) return;
  if (write_timer_.expiry() > Clock::now()) return;
  log::Debug("http {}: write timeout, closing", remote_address_);
  CloseNow();
}

void StartHttpSession(tcp::socket socket,
                      std::shared_ptr<SessionContext> context) {
  std::make_shared<HttpSession>(std::move(socket), std::move(context))->Start();
}

}  // namespace workbind::net
