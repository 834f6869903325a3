// Internal to net/: the HttpSession class, whose member functions are
// defined by subject in http_session.cc (start, timers, drain and close),
// http_session_reading.cc (reading requests, limits, malformed requests),
// http_session_replies.cc (handing requests to the handler, writing replies
// in order) and http_session_upgrade.cc (WebSocket upgrade). Includes Beast:
// only those files include it.
//
// The class is a template over the stream: `tcp::socket` (plain HTTP) and
// `ssl::stream<tcp::socket>` (HTTPS). Each of those files defines its member
// functions and instantiates both at its end, so the plain path runs the
// same code as before, with no indirection per read or write.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "common/http_message.h"
#include "common/log.h"
#include "net/connection_registry.h"
#include "net/http_server.h"
#include "net/stream_types.h"
#include "net/tls_context.h"
#include "net/websocket_session.h"

namespace workbind::net {

// One HTTP connection. Every member function runs on the connection's strand
// except PostReply, Drain and ForceClose, which only post to it.
//
// Reading: at most max_pipelined_requests requests are read ahead; each one
// takes a slot in `pipeline_` (in request order) and is handed to the
// RequestHandler. Replies fill their slots in any order; the ready prefix of
// the pipeline is written in one gathered write, so replies leave strictly in
// request order.
//
// Under TLS the handshake runs first, bounded by the header timeout; the
// connection keeps the TlsContext it was accepted with (a reload affects only
// later connections). A connection that closes after its last reply sends a
// TLS close_notify first, bounded by a short timer.
template <typename Stream>
class HttpSession final
    : public Session,
      public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  using std::enable_shared_from_this<HttpSession>::shared_from_this;
  using std::enable_shared_from_this<HttpSession>::weak_from_this;
  using tcp = boost::asio::ip::tcp;
  using error_code = boost::beast::error_code;
  using Clock = std::chrono::steady_clock;
  using RequestMessage =
      boost::beast::http::request<boost::beast::http::string_body>;

  // Bytes asked of the socket when waiting for the start of a request.
  static constexpr size_t kReadChunkBytes = 16 * 1024;

  // Plain HTTP.
  HttpSession(tcp::socket socket,
              std::shared_ptr<SessionContext> context) requires(!kTls)
      : stream_(std::move(socket)),
        executor_(stream_.get_executor()),
        context_(std::move(context)),
        read_timer_(executor_),
        write_timer_(executor_) {}
  // HTTPS: the handshake is done by Start.
  HttpSession(tcp::socket socket, std::shared_ptr<SessionContext> context,
              std::shared_ptr<TlsContext> tls) requires kTls
      : stream_(std::move(socket), tls->native()),
        executor_(stream_.get_executor()),
        context_(std::move(context)),
        tls_(std::move(tls)),
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
    PendingWebSocket<Stream> websocket;
    std::shared_ptr<WebSocketHandler> handler;
    UpgradeRequest request;
  };

  // The connection's top-level catch: logs and closes.
  template <typename Fn>
  void Guard(Fn&& fn) noexcept {
    try {
      fn();
    } catch (const std::exception& e) {
      log::Error("http {}: unexpected exception: {}", remote_address_,
                 e.what());
      CloseNow();
    } catch (...) {
      log::Error("http {}: unexpected exception", remote_address_);
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

  tcp::socket& Socket() { return boost::beast::get_lowest_layer(stream_); }
  void OnHandshake(error_code ec);

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
  bool OfferUpgrade(const HttpRequest& request, RequestMessage& message);
  void Dispatch(HttpRequest request, bool close_after);
  void DispatchRejected(TransportError error);
  void RejectMalformed(const error_code& ec);
  HttpRequest ToHttpRequest(RequestMessage& message) const;
  void MaybeSendContinue(const RequestMessage& message);

  // Replies and writing.
  void OnReply(uint64_t seq, HttpResponse response);
  void MaybeWrite();
  void OnWrite(error_code ec, std::size_t bytes);

  // Upgrading to WebSocket.
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
  // Closes after the last reply, with nothing left to read: a TLS
  // close_notify first (bounded by a timer), then CloseNow.
  void CloseGracefully();
  void OnTlsShutdown(error_code ec);

  Stream stream_;
  const boost::asio::any_io_executor executor_;  // the strand
  const std::shared_ptr<SessionContext> context_;
  struct NoTls {};
  // The context this connection was accepted with (HTTPS only).
  [[no_unique_address]] std::conditional_t<kTls, std::shared_ptr<TlsContext>,
                                           NoTls>
      tls_;
  ConnectionRegistry::Id id_ = 0;  // 0 once handed over to a WebSocket
  std::string remote_address_;

  boost::beast::flat_buffer buffer_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
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

  boost::asio::steady_timer read_timer_;
  boost::asio::steady_timer write_timer_;
  bool draining_ = false;
  // Set while no read is pending and replies are still owed (after
  // "Connection: close", or while reading is paused on a full pipeline);
  // cleared when reading resumes and by CloseNow.
  std::shared_ptr<HttpSession> hold_;
  bool closed_ = false;
};

}  // namespace workbind::net
