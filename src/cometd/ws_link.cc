#include "cometd/ws_link.h"

#include <utility>

namespace workbind::cometd {

WsLink::WsLink(std::shared_ptr<net::WebSocketConnection> connection)
    : connection_(std::move(connection)) {}

bool WsLink::Push(Batch batch) {
  if (batch.empty()) return false;
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_ || closing_) return false;
  bool events_only = batch.head.empty() && batch.replies.empty();
  if (events_only && !frames_.empty()) {
    Batch& last = frames_.back();
    if (last.head.empty() && last.replies.empty()) {
      for (auto& e : batch.events) last.events.push_back(std::move(e));
      return false;  // frames_ was not empty
    }
  }
  const bool flush = frames_.empty() && !flushing_;
  frames_.push_back(std::move(batch));
  return flush;
}

void WsLink::Flush() {
  std::unique_lock<std::mutex> lock(mu_);
  if (flushing_) return;
  flushing_ = true;
  while (!frames_.empty() && !closed_) {
    Batch batch = std::move(frames_.front());
    frames_.pop_front();
    if (frames_.empty()) frames_.shrink_to_fit();
    lock.unlock();
    bool sent = connection_->Send(batch.Serialize());
    lock.lock();
    if (!sent) {
      closed_ = true;
      frames_.clear();
    }
  }
  flushing_ = false;
  if (closing_ && !closed_) {
    closed_ = true;
    const int code = close_code_;
    lock.unlock();
    connection_->CloseWithCode(code);
  }
}

void WsLink::CloseAfterQueued(int code) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || closing_) return;
    closing_ = true;
    close_code_ = code;
  }
  // Whichever thread is flushing (this one, or one already inside Flush)
  // closes the connection once the queue is empty.
  Flush();
}

void WsLink::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    frames_.clear();
  }
  connection_->Close();
}

void WsLink::MarkClosed() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  frames_.clear();
}

bool WsLink::closed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return closed_;
}

}  // namespace workbind::cometd
