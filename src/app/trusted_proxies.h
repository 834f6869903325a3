// server.trustedProxies: the reverse proxies whose X-Forwarded-For and
// X-Forwarded-Proto headers are believed (deployment.md, Behind a reverse
// proxy). A request whose TCP peer is not one of them keeps its peer as
// client address and is never marked secure by a header, whatever it sends.
// Immutable after Parse; thread-safe.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_message.h"
#include "common/status.h"

namespace workbind::app {

class TrustedProxies {
 public:
  // Trusts no one (the default of server.trustedProxies).
  TrustedProxies() = default;

  // Each entry is an IPv4 or IPv6 address ("127.0.0.1", "::1") or CIDR block
  // ("10.0.0.0/8", "fd00::/8"). kInvalidArgument naming the first entry
  // that is neither.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& entries);

  bool empty() const { return v4_.empty() && v6_.empty(); }

  // Whether `address` (IP text; IPv4-mapped IPv6 counts as IPv4) is in the
  // list. False for text that is no address.
  bool Trusts(std::string_view address) const;

  struct Client {
    std::string address;
    bool secure = false;
  };
  // The client of a request from TCP peer `peer`. From an untrusted peer:
  // the peer, not secure. From a trusted one: the rightmost address of
  // `forwarded_for` (the X-Forwarded-For values, comma-separated, in order)
  // that is not itself trusted; when every address is trusted, the
  // leftmost; when the walk meets an entry that is no address, the hop on
  // its right (which reported it). Secure when `forwarded_proto` is "https"
  // (ASCII case-insensitive, surrounding spaces ignored).
  Client ClientOf(std::string_view peer, std::string_view forwarded_for,
                  std::string_view forwarded_proto) const;

  // Applies ClientOf to `request`: sets remote_address to the client's
  // address and `secure` when the proxy said https. Every X-Forwarded-For
  // header counts, in order. Nothing changes when the list is empty.
  void Apply(HttpRequest* request) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace workbind::app
