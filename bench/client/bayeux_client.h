// BayeuxClient: one simulated browser speaking Bayeux 1.0 long-polling to
// one server (workbind or Faye): handshake, subscribe, publish, and a
// connect loop that hands every delivered event to a callback. It keeps its
// own CookieJar (or shares the one of a REST client of the same user), so
// each client is a separate browser to the server. Not thread-safe: all
// calls and callbacks run on the EventLoop's thread.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cookie_jar.h"
#include "http_client.h"

namespace workbind::bench {

struct BayeuxConfig {
  Endpoint endpoint;
  std::string path = "/api/v2/notifications";
  // Sent on the handshake when not empty (e.g. "Basic ..."); later requests
  // authenticate with the cookies the handshake reply set.
  std::string authorization;
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
  // Publishes one batch (one message per pair) on a second connection, so
  // a held connect does not delay it.
  void Publish(
      const std::vector<std::pair<std::string, boost::json::value>>& messages,
      Done done);
  // Sends /meta/disconnect on the command connection.
  void Disconnect(Done done);
  // Stops polling and closes both connections; no callback follows.
  void Stop();

  const std::string& client_id() const { return client_id_; }
  // Failed exchanges so far (transport errors, unsuccessful replies).
  int64_t failures() const { return failures_; }
  CookieJar& cookies() { return *config_.cookies; }

 private:
  struct Alive {};
  void Send(HttpConnection* conn, const boost::json::array& messages,
            std::function<void(bool ok, boost::json::array replies,
                               const std::string& error)>
                done);
  void Poll();
  void OnPollReply(bool ok, boost::json::array replies);
  void Dispatch(const boost::json::array& replies);
  HttpConnection* command();

  EventLoop* loop_;
  BayeuxConfig config_;
  std::unique_ptr<HttpConnection> poll_;
  std::unique_ptr<HttpConnection> command_;
  std::string client_id_;
  std::vector<std::string> subscriptions_;
  EventHandler on_event_;
  bool polling_ = false;
  int64_t next_id_ = 1;
  int64_t failures_ = 0;
  std::shared_ptr<Alive> alive_ = std::make_shared<Alive>();
};

}  // namespace workbind::bench
