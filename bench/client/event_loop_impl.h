// The definition of EventLoop::Impl and the socket set-up shared by the
// files that put sockets and timers on the loop (http_client.cc,
// ws_client.cc). Include it only from .cc files: it pulls in Asio.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "http_client.h"

namespace workbind::bench {

struct EventLoop::Impl {
  boost::asio::io_context io{1};
};

// Opens `socket` for `endpoint` (bound to endpoint.bind_address when set,
// TCP_NODELAY on) and sets `*remote` to the address to connect to. Returns
// "" or the failure, worded for the client's error message.
inline std::string OpenSocket(boost::asio::ip::tcp::socket& socket,
                              const Endpoint& endpoint,
                              boost::asio::ip::tcp::endpoint* remote) {
  namespace ip = boost::asio::ip;
  boost::system::error_code ec;
  const ip::address address = ip::make_address(endpoint.host, ec);
  if (ec) return "bad host " + endpoint.host;
  socket.open(address.is_v4() ? ip::tcp::v4() : ip::tcp::v6(), ec);
  if (!ec && !endpoint.bind_address.empty()) {
    socket.set_option(ip::tcp::socket::reuse_address(true), ec);
    if (!ec) {
      const ip::address local = ip::make_address(endpoint.bind_address, ec);
      if (!ec) socket.bind(ip::tcp::endpoint(local, 0), ec);
    }
  }
  if (ec) return "socket: " + ec.message();
  socket.set_option(ip::tcp::no_delay(true), ec);
  *remote = ip::tcp::endpoint(address, endpoint.port);
  return "";
}

}  // namespace workbind::bench
