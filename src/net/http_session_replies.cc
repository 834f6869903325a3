// HttpSession: handing each request to the RequestHandler with a Responder,
// and writing the replies in request order.
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "net/http_session_impl.h"
#include "net/response_serializer.h"

namespace workbind::net {
namespace {

namespace asio = boost::asio;

// Shared by all copies of one Responder. Delivers the reply once; a Responder
// dropped without being called answers 500 so the pipeline cannot stall.
template <typename Owner>
class ReplyTicket {
 public:
  ReplyTicket(std::weak_ptr<Owner> session,
              std::shared_ptr<SessionContext> context, uint64_t seq)
      : session_(std::move(session)), context_(std::move(context)), seq_(seq) {}
  ReplyTicket(const ReplyTicket&) = delete;
  ReplyTicket& operator=(const ReplyTicket&) = delete;

  ~ReplyTicket() {
    if (done_.exchange(true)) return;
    // Only worth a warning while the connection still waits for the reply.
    if (Deliver(context_->replies.internal_error)) {
      log::Warn("a Responder was dropped without being called; answered 500");
    }
  }

  void Complete(HttpResponse response) {
    if (done_.exchange(true)) {
      log::Warn("a Responder was called more than once; reply ignored");
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

  const std::weak_ptr<Owner> session_;
  const std::shared_ptr<SessionContext> context_;
  const uint64_t seq_;
  std::atomic<bool> done_{false};
};

}  // namespace

template <typename Stream>
void HttpSession<Stream>::Dispatch(HttpRequest request, bool close_after) {
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

  auto ticket = std::make_shared<ReplyTicket<HttpSession>>(weak_from_this(),
                                                           context_, seq);
  Responder respond = [ticket](HttpResponse response) {
    ticket->Complete(std::move(response));
  };
  try {
    context_->handler->Handle(std::move(request), respond);
  } catch (const std::exception& e) {
    log::Error("http {}: request handler threw: {}", remote_address_, e.what());
    respond(context_->replies.internal_error);
  } catch (...) {
    log::Error("http {}: request handler threw", remote_address_);
    respond(context_->replies.internal_error);
  }
}
// ---- writing ----

template <typename Stream>
void HttpSession<Stream>::PostReply(uint64_t seq, HttpResponse response) {
  asio::post(executor_, [self = shared_from_this(), seq,
                         response = std::move(response)]() mutable {
    self->Guard([&] { self->OnReply(seq, std::move(response)); });
  });
}

template <typename Stream>
void HttpSession<Stream>::OnReply(uint64_t seq, HttpResponse response) {
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
    log::Warn("http {}: {} reply bytes pending, over the limit; closing",
              remote_address_, queued_bytes_);
    CloseNow();
  }
}

template <typename Stream>
void HttpSession<Stream>::MaybeWrite() {
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
  asio::async_write(stream_, buffers, Bind(&HttpSession::OnWrite));
}

template <typename Stream>
void HttpSession<Stream>::OnWrite(error_code ec, std::size_t bytes) {
  writing_ = false;
  write_timer_.cancel();
  if (closed_) return;
  if (ec) {
    log::Debug("http {}: write failed: {}", remote_address_, ec.message());
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

// The member functions above, for both streams.
#define WORKBIND_HTTP_SESSION_REPLIES(S)                           \
  template void HttpSession<S>::Dispatch(HttpRequest, bool);       \
  template void HttpSession<S>::PostReply(uint64_t, HttpResponse); \
  template void HttpSession<S>::OnReply(uint64_t, HttpResponse);   \
  template void HttpSession<S>::MaybeWrite();                      \
  template void HttpSession<S>::OnWrite(error_code, std::size_t);
WORKBIND_HTTP_SESSION_REPLIES(TcpStream)
WORKBIND_HTTP_SESSION_REPLIES(TlsStream)
#undef WORKBIND_HTTP_SESSION_REPLIES

}  // namespace workbind::net
