// WsLink: the sending side of one WebSocket connection as the broker sees it.
// Frames are queued in order (Push, cheap, may be called under the broker's
// lock) and written by Flush (called without any lock held); whichever
// thread flushes first drains the queue, so frames leave in Push order.
// Thread-safe. Shared by the connection's handler and the sessions using it.
#pragma once

#include <boost/container/deque.hpp>
#include <deque>
#include <memory>
#include <mutex>

#include "cometd/codec.h"
#include "net/websocket.h"

namespace workbind::cometd {

class WsLink {
 public:
  explicit WsLink(std::shared_ptr<net::WebSocketConnection> connection);
  WsLink(const WsLink&) = delete;
  WsLink& operator=(const WsLink&) = delete;

  // Queues `batch` as one frame. Event-only batches queued back to back are
  // merged into one frame. Dropped when the link is closed. Returns true
  // when the caller must call Flush: the queue was empty and no Flush is
  // running (otherwise the Flush that the earlier frames called for, or the
  // one running, sends this frame too).
  bool Push(Batch batch);
  // Sends the queued frames. Never call it while holding the broker's lock.
  void Flush();
  // Closes the connection (protocol error); later frames are dropped.
  void Close();
  // Sends the frames already queued, then closes the connection with `code`
  // (e.g. 1008 when its HTTP session ended); later frames are dropped.
  void CloseAfterQueued(int code);
  // The connection reported its close; later frames are dropped.
  void MarkClosed();
  bool closed() const;

 private:
  std::shared_ptr<net::WebSocketConnection> connection_;
  mutable std::mutex mu_;
  // Boost deques hold no memory while empty (std::deque keeps a 512-byte
  // block), and give their blocks back when drained: most sessions are idle.
  boost::container::deque<Batch> frames_;
  bool flushing_ = false;
  bool closed_ = false;
  bool closing_ = false;  // CloseAfterQueued: close once frames_ is empty
  int close_code_ = 1000;
};

}  // namespace workbind::cometd
