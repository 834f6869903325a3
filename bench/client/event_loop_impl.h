// The definition of EventLoop::Impl, shared by the files that put sockets
// and timers on the loop (http_client.cc, ws_client.cc). Include it only
// from .cc files: it pulls in Asio.
#pragma once

#include <boost/asio/io_context.hpp>

#include "http_client.h"

namespace workbind::bench {

struct EventLoop::Impl {
  boost::asio::io_context io{1};
};

}  // namespace workbind::bench
