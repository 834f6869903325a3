#include "net/http_session.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http_message.h"
#include "net/http_server.h"
#include "net/response_serializer.h"
#include "net/websocket_session.h"

namespace workbind::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;
using Clock = std::chrono::steady_clock;
using RequestMessage = http::request<http::string_body>;

// Bytes asked of the socket when waiting for the start of a request.
constexpr size_t kReadChunkBytes = 16 * 1024;
// After the last reply of a closing connection whose client may still be
// sending, we half-close and discard its input for at most this long: closing
// with unread input makes the kernel send RST, which can destroy the reply (a
// 413 sent while the client is still uploading, for instance) before the
// client reads it.
constexpr Clock::duration kLingerTimeout = std::chrono::seconds(2);

constexpr std::string_view kContinueReply = "HTTP/1.1 100 Continue\r\n\r\n";

// True for parse errors of a malformed request (answered 400), false for the
// end of the stream and for I/O errors (the connection just closes).
bool IsMalformedRequest(const error_code& ec) {
  if (ec.category() !=
      http::make_error_code(http::error::bad_method).category())
    return false;
  return ec != http::error::end_of_stream &&
         ec != http::error::partial_message && ec != http::error::need_more &&
         ec != http::error::buffer_overflow;
}

void ToUpperAscii(std::string& s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
}

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

// One HTTP connection. Every member function runs on the connection's strand
// except PostReply, Drain and ForceClose, which only post to it.
//
// Reading: at most max_pipelined_requests requests are read ahead; each one
// takes a slot in `pipeline_` (in request order) and is handed to the
// RequestHandler. Replies fill their slots in any order; the ready prefix of
// the pipeline is written in one gathered write, so replies leave strictly in
// request order.
class HttpSession final : public Session,
                          public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, std::shared_ptr<SessionContext> context)
      : socket_(std::move(socket)),
        executor_(socket_.get_executor()),
        context_(std::move(context)),
        read_timer_(executor_),
        write_timer_(executor_) {}

  ~HttpSession() override { context_->registry.Remove(id_); }

  void Start();
  void Drain() override;
  void ForceClose() override;
  // Any thread, inside the IoGate: queues `response` as the reply to request
  // number `seq`.
  void PostReply(uint64_t seq, HttpResponse response);

 private:
  enum class ReadState {
    kWaiting,  // a read for the first bytes of the next request is pending
    kHeader,   // reading a request header
    kBody,     // reading a request body
    kPaused,   // pipeline full: reading resumes when a reply is written
    kStopped,  // no further requests on this connection
    kLinger,   // closing: discarding input until EOF or kLingerTimeout
  };

  struct Slot {
    bool ready = false;
    bool close_after = false;
    bool head = false;  // a HEAD request: the reply carries no body
    int version = 11;
    std::string bytes;  // the serialized reply, once ready
  };

  struct Upgrade {
    PendingWebSocket websocket;
    std::shared_ptr<WebSocketHandler> handler;
    UpgradeRequest request;
  };

  // The connection's top-level catch: logs and closes.
  template <typename Fn>
  void Guard(Fn&& fn) noexcept {
    try {
      fn();
    } catch (const std::exception& e) {
      spdlog::error("http {}: unexpected exception: {}", remote_address_,
                    e.what());
      CloseNow();
    } catch (...) {
      spdlog::error("http {}: unexpected exception", remote_address_);
      CloseNow();
    }
  }
  // A completion handler that keeps the session alive and calls member `fn`
  // under Guard.
  template <typename... Args>
  auto Bind(void (HttpSession::*fn)(Args...)) {
    return [self = shared_from_this(), fn](Args... args) {
      self->Guard([&] { (self.get()->*fn)(args...); });
    };
  }

  // Reading.
  void ReadNextRequest();
  void WaitReadable();
  void OnReadable(error_code ec);
  void OnFirstBytes(error_code ec, std::size_t bytes);
  void ReadHeader();
  void OnHeader(error_code ec, std::size_t bytes);
  void OnBody(error_code ec, std::size_t bytes);
  bool ReadCompleted(const error_code& ec);
  void OnRequestRead();
  void Dispatch(HttpRequest request, bool close_after);
  void DispatchRejected(TransportError error);
  void RejectMalformed(const error_code& ec);
  HttpRequest ToHttpRequest(RequestMessage& message) const;
  void MaybeSendContinue(const RequestMessage& message);

  // Writing.
  void OnReply(uint64_t seq, HttpResponse response);
  void MaybeWrite();
  void OnWrite(error_code ec, std::size_t bytes);
  void MaybeStartUpgrade();
  void OnUpgradeDecided(std::optional<HttpResponse> refusal);

  // Timers and closing.
  void ArmReadTimer(Clock::duration timeout);
  void ArmReadTimerSeconds(int seconds);
  void DisarmReadTimer();
  void UpdateWaitTimer();
  void OnReadTimer(error_code ec);
  void OnWriteTimer(error_code ec);
  void OnDrain();
  void MaybeFinishDrain();
  void FinishAfterLastReply();
  void BeginLinger();
  void DiscardInput();
  void OnDiscard(error_code ec, std::size_t bytes);
  void CloseNow() noexcept;

  tcp::socket socket_;
  const asio::any_io_executor executor_;  // the strand
  const std::shared_ptr<SessionContext> context_;
  ConnectionRegistry::Id id_ = 0;  // 0 once handed over to a WebSocket
  std::string remote_address_;

  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ReadState read_state_ = ReadState::kWaiting;
  bool read_pending_ = false;
  bool served_any_ = false;    // a request was read: later waits are idle waits
  bool input_unread_ = false;  // a request was rejected before its end

  std::deque<Slot> pipeline_;  // deque: slot addresses survive push_back
  uint64_t first_seq_ = 0;     // request number of pipeline_.front()
  uint64_t next_seq_ = 0;
  size_t queued_bytes_ = 0;  // ready reply bytes not yet handed to a write
  bool writing_ = false;
  size_t writing_slots_ = 0;  // slots in the write in progress
  bool write_closes_ = false;
  std::optional<Upgrade> upgrade_;
  bool upgrade_decided_ = false;  // the handler accepted upgrade_

  asio::steady_timer read_timer_;
  asio::steady_timer write_timer_;
  bool draining_ = false;
  // Set while no read is pending and replies are still owed (after
  // "Connection: close", or while reading is paused on a full pipeline);
  // cleared when reading resumes and by CloseNow.
  std::shared_ptr<HttpSession> hold_;
  bool closed_ = false;
};

namespace {

// Shared by all copies of one Responder. Delivers the reply once; a Responder
// dropped without being called answers 500 so the pipeline cannot stall.
class ReplyTicket {
 public:
  ReplyTicket(std::weak_ptr<HttpSession> session,
              std::shared_ptr<SessionContext> context, uint64_t seq)
      : session_(std::move(session)), context_(std::move(context)), seq_(seq) {}
  ReplyTicket(const ReplyTicket&) = delete;
  ReplyTicket& operator=(const ReplyTicket&) = delete;

  ~ReplyTicket() {
    if (done_.exchange(true)) return;
    // Only worth a warning while the connection still waits for the reply.
    if (Deliver(InternalErrorResponse())) {
      spdlog::warn(
          "a Responder was dropped without being called; answered 500");
    }
  }

  void Complete(HttpResponse response) {
    if (done_.exchange(true)) {
      spdlog::warn("a Responder was called more than once; reply ignored");
      return;
    }
    Deliver(std::move(response));
  }

 private:
  // Returns false when the connection or the server is gone.
  bool Deliver(HttpResponse response) {
    bool delivered = false;
    context_->gate.Run([&] {
      if (auto session = session_.lock()) {
        session->PostReply(seq_, std::move(response));
        delivered = true;
      }
    });
    return delivered;
  }

  const std::weak_ptr<HttpSession> session_;
  const std::shared_ptr<SessionContext> context_;
  const uint64_t seq_;
  std::atomic<bool> done_{false};
};

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
    spdlog::debug("http {}: read timeout, closing", remote_address_);
  }
  CloseNow();
}

void HttpSession::OnWriteTimer(error_code ec) {
  if (ec == asio::error::operation_aborted || closed_ || !writing_) return;
  if (write_timer_.expiry() > Clock::now()) return;
  spdlog::debug("http {}: write timeout, closing", remote_address_);
  CloseNow();
}

// ---- reading ----

void HttpSession::ReadNextRequest() {
  if (closed_ || read_state_ == ReadState::kStopped ||
      read_state_ == ReadState::kLinger) {
    return;
  }
  if (draining_) {
    read_state_ = ReadState::kStopped;
    MaybeFinishDrain();
    return;
  }
  const size_t max_pipelined =
      static_cast<size_t>(std::max(1, context_->limits.max_pipelined_requests));
  if (pipeline_.size() >= max_pipelined) {
    read_state_ = ReadState::kPaused;
    // No read is pending while paused and the replies hold only weak
    // references: hold ourselves until a write frees a slot (released in
    // OnWrite, or by CloseNow).
    hold_ = shared_from_this();
    return;
  }
  if (buffer_.size() > 0) {  // a pipelined request is already buffered
    ReadHeader();
    return;
  }
  read_state_ = ReadState::kWaiting;
  UpdateWaitTimer();
  WaitReadable();
}

// Waits for the next request without a read buffer: a connection between
// requests, most often one holding a long-poll, then keeps none (the buffer
// is most of an idle connection's memory). It is allocated again when bytes
// arrive. Only called with buffer_ empty.
void HttpSession::WaitReadable() {
  buffer_.shrink_to_fit();
  read_pending_ = true;
  socket_.async_wait(tcp::socket::wait_read, Bind(&HttpSession::OnReadable));
}

void HttpSession::OnReadable(error_code ec) {
  if (!ReadCompleted(ec)) return;
  if (ec) {
    CloseNow();
    return;
  }
  // Non-blocking, so that a spurious wake-up cannot stall the I/O thread.
  socket_.non_blocking(true, ec);
  std::size_t bytes = 0;
  if (!ec) bytes = socket_.read_some(buffer_.prepare(kReadChunkBytes), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    WaitReadable();
    return;
  }
  read_pending_ = true;  // OnFirstBytes completes this read
  OnFirstBytes(ec, bytes);
}

// Common start of every read completion. Returns false when the caller must
// not go on: the connection closed, is lingering, or is draining.
bool HttpSession::ReadCompleted(const error_code& ec) {
  read_pending_ = false;
  if (closed_) return false;
  if (read_state_ == ReadState::kLinger) {
    if (ec) {
      CloseNow();
    } else {
      DiscardInput();
    }
    return false;
  }
  if (draining_) {
    read_state_ = ReadState::kStopped;
    MaybeFinishDrain();
    return false;
  }
  return true;
}

void HttpSession::OnFirstBytes(error_code ec, std::size_t bytes) {
  if (!ReadCompleted(ec)) return;
  if (ec) {  // EOF between requests, reset, or closed by a timer
    CloseNow();
    return;
  }
  buffer_.commit(bytes);
  ReadHeader();
}

void HttpSession::ReadHeader() {
  read_state_ = ReadState::kHeader;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(context_->limits.max_header_bytes,
                       std::numeric_limits<std::uint32_t>::max())));
  // The body limit is checked by us once the header is complete, so an
  // oversized Content-Length still yields a parsed header for the handler.
  parser_->body_limit(boost::none);
  ArmReadTimerSeconds(context_->limits.header_timeout_seconds);
  read_pending_ = true;
  http::async_read_header(socket_, buffer_, *parser_,
                          Bind(&HttpSession::OnHeader));
}

void HttpSession::OnHeader(error_code ec, std::size_t bytes) {
  if (!ReadCompleted(ec)) return;
  if (ec == http::error::header_limit) {
    DispatchRejected(TransportError::kHeaderTooLarge);
    return;
  }
  if (ec) {
    if (IsMalformedRequest(ec)) {
      RejectMalformed(ec);
    } else {
      CloseNow();
    }
    return;
  }
  const size_t max_body = context_->limits.max_body_bytes;
  const boost::optional<std::uint64_t> length = parser_->content_length();
  if (length && *length > max_body) {
    DispatchRejected(TransportError::kBodyTooLarge);
    return;
  }
  if (parser_->is_done()) {
    OnRequestRead();
    return;
  }
  parser_->body_limit(max_body);
  read_state_ = ReadState::kBody;
  MaybeSendContinue(parser_->get());
  ArmReadTimerSeconds(context_->limits.read_timeout_seconds);
  read_pending_ = true;
  http::async_read(socket_, buffer_, *parser_, Bind(&HttpSession::OnBody));
}

void HttpSession::OnBody(error_code ec, std::size_t bytes) {
  if (!ReadCompleted(ec)) return;
  if (ec == http::error::body_limit) {
    DispatchRejected(TransportError::kBodyTooLarge);
    return;
  }
  if (ec) {
    if (IsMalformedRequest(ec)) {
      RejectMalformed(ec);
    } else {
      CloseNow();
    }
    return;
  }
  OnRequestRead();
}

// "Expect: 100-continue": the client waits for this before sending the body.
// Sent only when nothing is queued ahead, since it must not overtake earlier
// replies; otherwise the client sends the body after its own short wait.
void HttpSession::MaybeSendContinue(const RequestMessage& message) {
  if (message.version() < 11 || writing_ || !pipeline_.empty()) return;
  auto expect = message.find(http::field::expect);
  if (expect == message.end() ||
      !EqualsIgnoreCase(expect->value(), "100-continue")) {
    return;
  }
  writing_ = true;
  writing_slots_ = 0;
  write_closes_ = false;
  asio::async_write(socket_, asio::buffer(kContinueReply),
                    Bind(&HttpSession::OnWrite));
}

HttpRequest HttpSession::ToHttpRequest(RequestMessage& message) const {
  HttpRequest request;
  request.method = std::string(message.method_string());
  ToUpperAscii(request.method);
  request.target = std::string(message.target());
  request.version = message.version() == 10 ? 10 : 11;
  for (const auto& field : message) {
    request.headers.emplace_back(std::string(field.name_string()),
                                 std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.remote_address = remote_address_;
  return request;
}

void HttpSession::OnRequestRead() {
  RequestMessage message = parser_->release();
  parser_.reset();
  DisarmReadTimer();
  served_any_ = true;
  HttpRequest request = ToHttpRequest(message);
  const bool keep_alive = message.keep_alive();
  if (beast::websocket::is_upgrade(message)) {
    PendingWebSocket websocket =
        PrepareWebSocket(executor_, context_, remote_address_);
    std::shared_ptr<WebSocketHandler> handler =
        context_->handler->AcceptWebSocket(request, websocket.connection);
    if (handler) {
      read_state_ = ReadState::kStopped;
      upgrade_.emplace(
          Upgrade{std::move(websocket), handler, std::move(message)});
      upgrade_decided_ = false;
      // No read is pending while the handler decides: hold ourselves
      // (released by CloseNow, or when the socket moves to the WebSocket).
      hold_ = shared_from_this();
      // The decision may come from another thread: through the gate (the
      // server may be stopping) and posted to the strand, like a reply.
      std::weak_ptr<HttpSession> weak = weak_from_this();
      std::shared_ptr<SessionContext> context = context_;
      handler->DecideUpgrade([weak,
                              context](std::optional<HttpResponse> refusal) {
        context->gate.Run([&] {
          if (auto self = weak.lock()) {
            asio::post(self->executor_, [self, refusal = std::move(
                                                   refusal)]() mutable {
              self->Guard([&] { self->OnUpgradeDecided(std::move(refusal)); });
            });
          }
        });
      });
      return;
    }
  }
  Dispatch(std::move(request), /*close_after=*/!keep_alive);
  ReadNextRequest();
}

void HttpSession::Dispatch(HttpRequest request, bool close_after) {
  const uint64_t seq = next_seq_++;
  Slot slot;
  slot.close_after = close_after;
  slot.version = request.version;
  slot.head = request.method == "HEAD";
  pipeline_.push_back(std::move(slot));
  if (close_after) {
    read_state_ = ReadState::kStopped;
    // No read is pending from now on: hold ourselves until the replies are
    // written (released by CloseNow).
    hold_ = shared_from_this();
  }

  auto ticket = std::make_shared<ReplyTicket>(weak_from_this(), context_, seq);
  Responder respond = [ticket](HttpResponse response) {
    ticket->Complete(std::move(response));
  };
  try {
    context_->handler->Handle(std::move(request), respond);
  } catch (const std::exception& e) {
    spdlog::error("http {}: request handler threw: {}", remote_address_,
                  e.what());
    respond(InternalErrorResponse());
  } catch (...) {
    spdlog::error("http {}: request handler threw", remote_address_);
    respond(InternalErrorResponse());
  }
}

// A request over a limit still goes to the handler (which answers 400 or
// 413); the connection closes after the reply since the rest of the request
// was not read.
void HttpSession::DispatchRejected(TransportError error) {
  HttpRequest request;
  input_unread_ = true;
  if (error == TransportError::kHeaderTooLarge &&
      parser_->get().method_string().empty()) {
    // Not even the request line was parsed; take method and target from the
    // buffered bytes for the handler's logs.
    const auto data = buffer_.cdata();
    std::string_view raw(static_cast<const char*>(data.data()), data.size());
    raw = raw.substr(0, std::min(raw.find("\r\n"), raw.size()));
    const size_t first_space = raw.find(' ');
    if (first_space != std::string_view::npos) {
      request.method = std::string(raw.substr(0, first_space));
      ToUpperAscii(request.method);
      std::string_view rest = raw.substr(first_space + 1);
      const size_t second_space = rest.find(' ');
      request.target = std::string(rest.substr(0, second_space));
      if (second_space != std::string_view::npos &&
          rest.substr(second_space + 1) == "HTTP/1.0") {
        request.version = 10;
      }
    }
    request.remote_address = remote_address_;
  } else {
    RequestMessage message = parser_->release();
    request = ToHttpRequest(message);
  }
  parser_.reset();
  request.transport_error = error;
  spdlog::debug("http {}: {} ({} {})", remote_address_,
                error == TransportError::kHeaderTooLarge ? "header too large"
                                                         : "body too large",
                request.method, request.target);
  DisarmReadTimer();
  Dispatch(std::move(request), /*close_after=*/true);
}

// The 400 takes the next slot: the replies of the valid requests read before
// it (pipelined in the same bytes) are written first, in order, then the
// 400, then the connection closes.
void HttpSession::RejectMalformed(const error_code& ec) {
  spdlog::debug("http {}: malformed request: {}", remote_address_,
                ec.message());
  parser_.reset();
  input_unread_ = true;
  read_state_ = ReadState::kStopped;
  // No read is pending from now on and the earlier replies hold only weak
  // references: hold ourselves until the replies are written (released by
  // CloseNow), or the session would die with those replies unsent.
  hold_ = shared_from_this();
  DisarmReadTimer();
  Slot slot;
  slot.ready = true;
  slot.close_after = true;
  slot.bytes = TransportErrorReply(
      400, 11, R"({"statusCode":10,"statusMessage":"Malformed HTTP request"})");
  queued_bytes_ += slot.bytes.size();
  pipeline_.push_back(std::move(slot));
  ++next_seq_;
  MaybeWrite();
}

// ---- writing ----

void HttpSession::PostReply(uint64_t seq, HttpResponse response) {
  asio::post(executor_, [self = shared_from_this(), seq,
                         response = std::move(response)]() mutable {
    self->Guard([&] { self->OnReply(seq, std::move(response)); });
  });
}

void HttpSession::OnReply(uint64_t seq, HttpResponse response) {
  if (closed_ || seq < first_seq_ || seq >= next_seq_) return;
  Slot& slot = pipeline_[seq - first_seq_];
  if (slot.ready) return;
  slot.close_after = slot.close_after || response.close || draining_;
  slot.bytes = SerializeResponse(response, slot.version, slot.close_after);
  if (slot.head) {
    // Headers only (Content-Length still tells the size of the body a GET
    // would have carried).
    const size_t end = slot.bytes.find("\r\n\r\n");
    if (end != std::string::npos) slot.bytes.resize(end + 4);
  }
  slot.ready = true;
  queued_bytes_ += slot.bytes.size();
  MaybeWrite();
  // Bytes still queued while a write is in progress wait for the client to
  // read: past the limit the client is not keeping up.
  if (writing_ && queued_bytes_ > context_->limits.max_pending_response_bytes) {
    spdlog::warn("http {}: {} reply bytes pending, over the limit; closing",
                 remote_address_, queued_bytes_);
    CloseNow();
  }
}

void HttpSession::MaybeWrite() {
  // While lingering the send side is shut: replies to abandoned requests are
  // dropped.
  if (writing_ || closed_ || read_state_ == ReadState::kLinger) return;
  std::vector<asio::const_buffer> buffers;
  size_t slots = 0;
  bool closes = false;
  for (Slot& slot : pipeline_) {
    if (!slot.ready) break;
    buffers.push_back(asio::buffer(slot.bytes));
    queued_bytes_ -= slot.bytes.size();
    ++slots;
    if (slot.close_after) {
      closes = true;
      break;
    }
  }
  if (slots == 0) return;
  writing_ = true;
  writing_slots_ = slots;
  write_closes_ = closes;
  if (context_->limits.write_timeout_seconds > 0) {
    write_timer_.expires_after(
        std::chrono::seconds(context_->limits.write_timeout_seconds));
    write_timer_.async_wait(Bind(&HttpSession::OnWriteTimer));
  }
  asio::async_write(socket_, buffers, Bind(&HttpSession::OnWrite));
}

void HttpSession::OnWrite(error_code ec, std::size_t bytes) {
  writing_ = false;
  write_timer_.cancel();
  if (closed_) return;
  if (ec) {
    spdlog::debug("http {}: write failed: {}", remote_address_, ec.message());
    CloseNow();
    return;
  }
  for (size_t i = 0; i < writing_slots_; ++i) pipeline_.pop_front();
  first_seq_ += writing_slots_;
  writing_slots_ = 0;
  if (write_closes_) {
    FinishAfterLastReply();
    return;
  }
  MaybeWrite();
  if (closed_) return;
  if (upgrade_) {
    MaybeStartUpgrade();
  } else if (draining_) {
    MaybeFinishDrain();
  } else if (read_state_ == ReadState::kPaused) {
    hold_.reset();      // this handler holds us; a read or a new pause follows
    ReadNextRequest();  // slots were freed
  } else {
    UpdateWaitTimer();
  }
}

// The upgrade waits until every earlier reply is written, then the socket
// moves to the WebSocket session with this connection's registry entry.
void HttpSession::MaybeStartUpgrade() {
  if (!upgrade_ || !upgrade_decided_ || writing_ || !pipeline_.empty() ||
      closed_)
    return;
  if (draining_) {
    MaybeFinishDrain();
    return;
  }
  Upgrade upgrade = std::move(*upgrade_);
  upgrade_.reset();
  if (buffer_.size() > 0) {
    spdlog::debug("http {}: ignoring {} bytes sent before the upgrade reply",
                  remote_address_, buffer_.size());
  }
  closed_ = true;  // this object is done; its timers' waits end as aborted
  read_timer_.cancel();
  write_timer_.cancel();
  if (hold_) asio::post(executor_, [hold = std::move(hold_)] {});
  RunWebSocket(upgrade.websocket.session, std::move(upgrade.handler),
               std::move(socket_), std::move(upgrade.request),
               std::exchange(id_, 0));
}

// The handler's answer to the upgrade request. A refusal is written like any
// reply, after the earlier ones, and closes the connection; the WebSocket
// handler learns of it through OnClose.
void HttpSession::OnUpgradeDecided(std::optional<HttpResponse> refusal) {
  if (!upgrade_ || upgrade_decided_ || closed_) return;  // aborted meanwhile
  if (!refusal) {
    upgrade_decided_ = true;
    MaybeStartUpgrade();
    return;
  }
  Upgrade upgrade = std::move(*upgrade_);
  upgrade_.reset();
  AbortWebSocket(upgrade.websocket.session, upgrade.handler);
  const uint64_t seq = next_seq_++;
  Slot slot;
  slot.close_after = true;
  slot.version = upgrade.request.version() == 10 ? 10 : 11;
  pipeline_.push_back(std::move(slot));
  // hold_, taken when the decision was asked for, keeps us until the reply
  // is written (released by CloseNow).
  OnReply(seq, std::move(*refusal));
}

void StartHttpSession(tcp::socket socket,
                      std::shared_ptr<SessionContext> context) {
  std::make_shared<HttpSession>(std::move(socket), std::move(context))->Start();
}

}  // namespace workbind::net
