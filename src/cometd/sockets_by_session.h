// SocketsBySession: the open WebSocket channels of each HTTP session, so that
// the end of an HTTP session (logout, expiry, eviction, a disabled account,
// a changed password, on this node or announced by another) closes the
// sockets it authenticated. Holds weak references only: a channel that is
// gone is skipped. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace workbind::cometd {

class WebSocketChannel;

class SocketsBySession {
 public:
  // Records that `channel` is bound to HTTP session `http_session_id`.
  void Bind(const std::string& http_session_id,
            const std::shared_ptr<WebSocketChannel>& channel);
  // Forgets the binding (the socket closed, or rebound to another session).
  void Unbind(const std::string& http_session_id,
              const WebSocketChannel* channel);
  // Removes and returns the live channels bound to `http_session_id`.
  std::vector<std::shared_ptr<WebSocketChannel>> Take(
      const std::string& http_session_id);
  // Number of bound channels (tests, metrics).
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::unordered_multimap<std::string, std::weak_ptr<WebSocketChannel>>
      by_session_;
};

}  // namespace workbind::cometd
