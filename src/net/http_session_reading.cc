// HttpSession: reading requests (pipelining, the header and body limits,
// "Expect: 100-continue") and answering malformed ones.
#include <algorithm>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "net/http_session_impl.h"
#include "net/response_serializer.h"

namespace workbind::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using beast::error_code;
using RequestMessage = http::request<http::string_body>;

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

}  // namespace

template <typename Stream>
void HttpSession<Stream>::ReadNextRequest() {
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
template <typename Stream>
void HttpSession<Stream>::WaitReadable() {
  buffer_.shrink_to_fit();
  read_pending_ = true;
  if constexpr (kTls) {
    // The TLS layer may already hold decrypted bytes (or a partial record)
    // that no socket readiness would announce: read through it directly.
    stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                            Bind(&HttpSession::OnFirstBytes));
  } else {
    stream_.async_wait(tcp::socket::wait_read, Bind(&HttpSession::OnReadable));
  }
}

template <typename Stream>
void HttpSession<Stream>::OnReadable(error_code ec) {
  // Plain HTTP only: HTTPS reads through the TLS layer (WaitReadable).
  if (!ReadCompleted(ec)) return;
  if (ec) {
    CloseNow();
    return;
  }
  // Non-blocking, so that a spurious wake-up cannot stall the I/O thread.
  Socket().non_blocking(true, ec);
  std::size_t bytes = 0;
  if (!ec) bytes = Socket().read_some(buffer_.prepare(kReadChunkBytes), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    WaitReadable();
    return;
  }
  read_pending_ = true;  // OnFirstBytes completes this read
  OnFirstBytes(ec, bytes);
}

// Common start of every read completion. Returns false when the caller must
// not go on: the connection closed, is lingering, or is draining.
template <typename Stream>
bool HttpSession<Stream>::ReadCompleted(const error_code& ec) {
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

template <typename Stream>
void HttpSession<Stream>::OnFirstBytes(error_code ec, std::size_t bytes) {
  if (!ReadCompleted(ec)) return;
  if (ec) {  // EOF between requests, reset, or closed by a timer
    CloseNow();
    return;
  }
  buffer_.commit(bytes);
  ReadHeader();
}

template <typename Stream>
void HttpSession<Stream>::ReadHeader() {
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
  http::async_read_header(stream_, buffer_, *parser_,
                          Bind(&HttpSession::OnHeader));
}

template <typename Stream>
void HttpSession<Stream>::OnHeader(error_code ec, std::size_t bytes) {
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
  http::async_read(stream_, buffer_, *parser_, Bind(&HttpSession::OnBody));
}

template <typename Stream>
void HttpSession<Stream>::OnBody(error_code ec, std::size_t bytes) {
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
template <typename Stream>
void HttpSession<Stream>::MaybeSendContinue(const RequestMessage& message) {
  if (message.version() < 11 || writing_ || !pipeline_.empty()) return;
  auto expect = message.find(http::field::expect);
  if (expect == message.end() ||
      !EqualsIgnoreCase(expect->value(), "100-continue")) {
    return;
  }
  writing_ = true;
  writing_slots_ = 0;
  write_closes_ = false;
  asio::async_write(stream_, asio::buffer(kContinueReply),
                    Bind(&HttpSession::OnWrite));
}

template <typename Stream>
HttpRequest HttpSession<Stream>::ToHttpRequest(RequestMessage& message) const {
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

template <typename Stream>
void HttpSession<Stream>::OnRequestRead() {
  RequestMessage message = parser_->release();
  parser_.reset();
  DisarmReadTimer();
  served_any_ = true;
  HttpRequest request = ToHttpRequest(message);
  const bool keep_alive = message.keep_alive();
  if (OfferUpgrade(request, message)) return;
  Dispatch(std::move(request), /*close_after=*/!keep_alive);
  ReadNextRequest();
}

// A request over a limit still goes to the handler (which answers 400 or
// 413); the connection closes after the reply since the rest of the request
// was not read.
template <typename Stream>
void HttpSession<Stream>::DispatchRejected(TransportError error) {
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
  log::Debug("http {}: {} ({} {})", remote_address_,
             error == TransportError::kHeaderTooLarge ? "header too large"
                                                      : "body too large",
             request.method, request.target);
  DisarmReadTimer();
  Dispatch(std::move(request), /*close_after=*/true);
}

// The 400 takes the next slot: the replies of the valid requests read before
// it (pipelined in the same bytes) are written first, in order, then the
// 400, then the connection closes.
template <typename Stream>
void HttpSession<Stream>::RejectMalformed(const error_code& ec) {
  log::Debug("http {}: malformed request: {}", remote_address_, ec.message());
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
  slot.bytes = SerializeResponse(context_->replies.malformed_request, 11,
                                 /*close=*/true);
  queued_bytes_ += slot.bytes.size();
  pipeline_.push_back(std::move(slot));
  ++next_seq_;
  MaybeWrite();
}

// The member functions above, for both streams.
#define WORKBIND_HTTP_SESSION_READING(S)                                     \
  template void HttpSession<S>::ReadNextRequest();                           \
  template void HttpSession<S>::WaitReadable();                              \
  template void HttpSession<S>::OnReadable(error_code);                      \
  template bool HttpSession<S>::ReadCompleted(const error_code&);            \
  template void HttpSession<S>::OnFirstBytes(error_code, std::size_t);       \
  template void HttpSession<S>::ReadHeader();                                \
  template void HttpSession<S>::OnHeader(error_code, std::size_t);           \
  template void HttpSession<S>::OnBody(error_code, std::size_t);             \
  template void HttpSession<S>::MaybeSendContinue(const RequestMessage&);    \
  template HttpRequest HttpSession<S>::ToHttpRequest(RequestMessage&) const; \
  template void HttpSession<S>::OnRequestRead();                             \
  template void HttpSession<S>::DispatchRejected(TransportError);            \
  template void HttpSession<S>::RejectMalformed(const error_code&);
WORKBIND_HTTP_SESSION_READING(TcpStream)
WORKBIND_HTTP_SESSION_READING(TlsStream)
#undef WORKBIND_HTTP_SESSION_READING

}  // namespace workbind::net
