#include "cometd/sockets_by_session.h"

namespace workbind::cometd {

void SocketsBySession::Bind(const std::string& http_session_id,
                            const std::shared_ptr<WebSocketChannel>& channel) {
  std::lock_guard<std::mutex> lock(mu_);
  by_session_.emplace(http_session_id, channel);
}

void SocketsBySession::Unbind(const std::string& http_session_id,
                              const WebSocketChannel* channel) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [begin, end] = by_session_.equal_range(http_session_id);
  for (auto it = begin; it != end;) {
    std::shared_ptr<WebSocketChannel> live = it->second.lock();
    if (!live || live.get() == channel) {
      it = by_session_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<std::shared_ptr<WebSocketChannel>> SocketsBySession::Take(
    const std::string& http_session_id) {
  std::vector<std::shared_ptr<WebSocketChannel>> out;
  std::lock_guard<std::mutex> lock(mu_);
  auto [begin, end] = by_session_.equal_range(http_session_id);
  for (auto it = begin; it != end; ++it)
    if (auto live = it->second.lock()) out.push_back(std::move(live));
  by_session_.erase(begin, end);
  return out;
}

size_t SocketsBySession::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_session_.size();
}

}  // namespace workbind::cometd
