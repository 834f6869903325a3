// Internal to net/. The two streams a connection runs on: plain TCP and TLS
// over TCP. The sessions are templates over them (explicitly instantiated for
// both in their .cc files).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

namespace workbind::net {

using TcpStream = boost::asio::ip::tcp::socket;
using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

}  // namespace workbind::net
