// BayeuxClient: one simulated browser speaking Bayeux 1.0 to one server
// (workbind or Faye) over long-polling or WebSocket: handshake, subscribe,
// publish, and a connect loop that hands every delivered event to a
// callback. It keeps its own CookieJar (or shares the one of a REST client
// of the same user), so each client is a separate browser to the server.
// Not thread-safe: all calls and callbacks run on the EventLoop's thread.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cookie_jar.h"
#include "http_client.h"
#include "ws_client.h"

namespace workbind::bench {

enum class BayeuxTransport {
  // Two HTTP connections: one for handshake, subscribe and the connect
  // loop, one for publish and disconnect (a held connect delays neither).
  kLongPolling,
  // One WebSocket for everything; events arrive in their own frames.
  kWebSocket,
};

struct BayeuxConfig {
  Endpoint endpoint;
  std::string path = "/api/v2/notifications";
  BayeuxTransport transport = BayeuxTransport::kLongPolling;
  // Long-polling: sent on the handshake when not empty (e.g. "Basic ...");
  // later requests authenticate with the cookies the handshake reply set.
  // WebSocket: when not empty and the jar holds no JSESSIONID, the first
  // handshake is preceded by a REST login (GET login_target with it, on a
  // connection closed afterwards); the upgrade request carries the jar's
  // cookies.
  std::string authorization;
  std::string login_target = "/api/v2/me";
  // The browser's cookies; a new jar when null.
  std::shared_ptr<CookieJar> cookies;
};

class BayeuxClient {
 public:
  using Done = std::function<void(bool ok, const std::string& error)>;
  // Called for each event (a message that is not a /meta reply).
  using EventHandler =
      std::function<void(std::string_view channel, const boost::json::value&)>;

  BayeuxClient(EventLoop* loop, BayeuxConfig config);
  ~BayeuxClient();

  // Handshakes; on success client_id() is set.
  void Handshake(Done done);
  // Subscribes to every channel in one request (one message each); the
  // subscriptions are renewed after a re-handshake.
  void Subscribe(const std::vector<std::string>& channels, Done done);
  // Starts the connect loop: a connect is re-sent as soon as the previous
  // one is answered. On "reconnect":"handshake" advice the client
  // re-handshakes and re-subscribes.
  void StartPolling(EventHandler on_event);
  // Publishes one batch (one message per pair): long-polling on the second
  // connection, so a held connect does not delay it; WebSocket on the
  // socket.
  void Publish(
      const std::vector<std::pair<std::string, boost::json::value>>& messages,
      Done done);
  // Sends /meta/disconnect on the command connection.
  void Disconnect(Done done);
  // Stops polling and closes the connections; no callback follows.
  void Stop();

  const std::string& client_id() const { return client_id_; }
  // Failed exchanges so far (transport errors, unsuccessful replies).
  int64_t failures() const { return failures_; }
  CookieJar& cookies() { return *config_.cookies; }

 private:
  struct Alive {};
  using RepliesDone = std::function<void(bool ok, boost::json::array replies,
                                         const std::string& error)>;
  // Messages sent over WebSocket whose replies have not all arrived.
  struct WsPending {
    boost::json::array replies;
    size_t remaining = 0;
    RepliesDone done;
  };
  enum class Via { kPoll, kCommand };
  // Sends `messages` in one request (long-polling: on the poll or the
  // command connection) or one frame (WebSocket) and calls `done` with the
  // replies: ok when none is unsuccessful.
  void Send(Via via, const boost::json::array& messages, RepliesDone done);
  void SendHttp(HttpConnection* conn, const boost::json::array& messages,
                RepliesDone done);
  void SendWs(const boost::json::array& messages, RepliesDone done);
  // The open (or opening) socket; a new one when there is none or the last
  // one failed.
  WsConnection* socket();
  void OnWsMessage(std::string_view text);
  void OnWsClosed(const std::string& why);
  void Login(Done done);
  void SendHandshake(Done done);
  void Poll();
  void OnPollReply(bool ok, boost::json::array replies);
  void Dispatch(const boost::json::array& replies);
  HttpConnection* command();

  EventLoop* loop_;
  BayeuxConfig config_;
  std::unique_ptr<HttpConnection> poll_;
  std::unique_ptr<HttpConnection> command_;
  std::unique_ptr<HttpConnection> login_;
  std::unique_ptr<WsConnection> ws_;
  std::unordered_map<std::string, std::shared_ptr<WsPending>> ws_pending_;
  std::string client_id_;
  std::vector<std::string> subscriptions_;
  EventHandler on_event_;
  bool polling_ = false;
  int64_t next_id_ = 1;
  int64_t failures_ = 0;
  std::shared_ptr<Alive> alive_ = std::make_shared<Alive>();
};

}  // namespace workbind::bench
