// WebSocketChannel: the Bayeux side of one WebSocket connection (§1.3).
// Before the upgrade is answered it authenticates the upgrade request on the
// Executor (DecideUpgrade): bad credentials refuse the upgrade (401), good
// ones bind the socket to their HTTP session. Then it decodes each text
// frame and hands its messages to the Broker in arrival order; replies and
// events go out through its WsLink. Every /meta/handshake on the socket is
// authenticated again against the live HTTP session (a refused one closes
// the socket after its reply), and the end of that HTTP session closes the
// socket (SessionEnded). A frame over maxMessageBytes or with malformed JSON
// closes the socket; an empty array (Faye's keep-alive) is ignored.
// Thread-safe: OnMessage/OnClose come from the transport (serially);
// authentication and frames that need the Authenticator complete on the
// Executor; SessionEnded comes from any thread. Owned by the transport
// (shared_ptr); keeps the Broker and SocketsBySession pointers, which must
// outlive the transport.
#pragma once

#include <boost/container/deque.hpp>
#include <boost/json.hpp>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cometd/broker.h"
#include "cometd/sockets_by_session.h"
#include "cometd/ws_link.h"
#include "common/http_message.h"
#include "net/websocket.h"

namespace workbind::cometd {

class WebSocketChannel final
    : public net::WebSocketHandler,
      public std::enable_shared_from_this<WebSocketChannel> {
 public:
  // `upgrade` is kept (without its body) to authenticate each handshake.
  WebSocketChannel(Broker* broker, SocketsBySession* sockets,
                   std::shared_ptr<net::WebSocketConnection> connection,
                   const HttpRequest& upgrade);

  // Authenticates the upgrade request on the Executor: accepts when it
  // authenticates (binding the socket to its HTTP session), refuses with the
  // mapped error reply otherwise (401 statusCode 20 for bad credentials).
  void DecideUpgrade(UpgradeDecision decide) override;
  void OnMessage(std::string text) override;
  void OnClose() override;
  // Joins two Bayeux message arrays into one array: the messages of `next`
  // follow those of `*into` (§1.3 allows any number of messages per frame).
  // False when either is not a non-empty JSON array text.
  bool JoinMessages(std::string* into, std::string_view next) override;

  // The HTTP session this socket is bound to has ended: closes the socket
  // (code 1008) after the frames already queued. Idempotent.
  void SessionEnded();

 private:
  // Processes queued frames in order until none is left. A frame that needs
  // the Authenticator (or a handshake, which is authenticated again) is
  // parked and the drain continues on the Executor.
  void Drain(bool on_executor);
  void CloseForProtocolError();
  // On the Executor: authenticates the upgrade request again and fills the
  // principal and binding of `ctx`. The error when it no longer
  // authenticates (kUnauthenticated, or a storage error).
  Status Reauthenticate(RequestContext* ctx);
  // Binds the socket to `http_session_id` (unbinding a previous one).
  void BindTo(const std::string& http_session_id);

  Broker* const broker_;
  SocketsBySession* const sockets_;
  const std::shared_ptr<WsLink> link_;
  // What re-authentication reads of the upgrade request (line, peer,
  // credentials, Origin, X-Requested-With); its other headers are dropped.
  const HttpRequest upgrade_;

  std::mutex mu_;
  RequestContext base_context_;  // credentials of the upgrade request
  std::string http_session_id_;  // the bound HTTP session ("" before)
  // Boost deques hold no memory while empty (std::deque keeps a 512-byte
  // block), and give their blocks back when drained: most sessions are idle.
  boost::container::deque<std::string> pending_;
  std::optional<std::vector<boost::json::object>> parked_;
  bool draining_ = false;
  bool closed_ = false;
};

}  // namespace workbind::cometd
