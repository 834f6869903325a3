#include "app/trusted_proxies.h"

#include <optional>

#include "common/http_message.h"

namespace workbind::app {
namespace ip = boost::asio::ip;
namespace {

// `text` as an address, IPv4-mapped IPv6 turned into IPv4; nullopt when it
// is no address.
std::optional<ip::address> ParseAddress(std::string_view text) {
  boost::system::error_code ec;
  ip::address a = ip::make_address(std::string(TrimOws(text)), ec);
  if (ec) return std::nullopt;
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return ip::address(ip::make_address_v4(ip::v4_mapped, a.to_v6()));
  return a;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(
    const std::vector<std::string>& entries) {
  TrustedProxies t;
  for (const std::string& e : entries) {
    boost::system::error_code ec;
    if (e.find('/') == std::string::npos) {
      std::optional<ip::address> a = ParseAddress(e);
      if (a && a->is_v4()) {
        t.v4_.emplace_back(a->to_v4(), 32);
        continue;
      }
      if (a && a->is_v6()) {
        t.v6_.emplace_back(a->to_v6(), 128);
        continue;
      }
    } else if (e.find(':') == std::string::npos) {
      ip::network_v4 n = ip::make_network_v4(e, ec);
      if (!ec) {
        t.v4_.push_back(n.canonical());
        continue;
      }
    } else {
      ip::network_v6 n = ip::make_network_v6(e, ec);
      if (!ec) {
        t.v6_.push_back(n.canonical());
        continue;
      }
    }
    return InvalidArgument("\"" + e + "\" is not an IP address or CIDR block");
  }
  return t;
}

bool TrustedProxies::Trusts(std::string_view address) const {
  if (empty()) return false;
  std::optional<ip::address> a = ParseAddress(address);
  if (!a) return false;
  if (a->is_v4()) {
    const uint32_t x = a->to_v4().to_uint();
    for (const auto& n : v4_) {
      const uint32_t mask = n.netmask().to_uint();
      if ((x & mask) == n.address().to_uint()) return true;
    }
    return false;
  }
  const ip::address_v6 x = a->to_v6();
  for (const auto& n : v6_)
    if (ip::network_v6(x, n.prefix_length()).canonical() == n) return true;
  return false;
}

TrustedProxies::Client TrustedProxies::ClientOf(
    std::string_view peer, std::string_view forwarded_for,
    std::string_view forwarded_proto) const {
  Client c{std::string(peer), false};
  if (!Trusts(peer)) return c;
  std::string_view proto = TrimOws(forwarded_proto);
  c.secure = proto.size() == 5 && EqualsIgnoreCase(proto, "https");
  // From the right: each hop is trusted until the first that is not.
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    const size_t comma = rest.rfind(',');
    std::string_view entry = TrimOws(
        comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view()
                                           : rest.substr(0, comma);
    if (entry.empty()) continue;
    std::optional<ip::address> a = ParseAddress(entry);
    if (!a) break;  // the hop on its right stays the client
    c.address = a->to_string();
    if (!Trusts(c.address)) break;
  }
  return c;
}

void TrustedProxies::Apply(HttpRequest* request) const {
  if (empty() || !Trusts(request->remote_address)) return;
  std::string forwarded_for;
  for (const auto& [name, value] : request->headers) {
    if (!EqualsIgnoreCase(name, "X-Forwarded-For")) continue;
    if (!forwarded_for.empty()) forwarded_for += ',';
    forwarded_for += value;
  }
  Client c = ClientOf(request->remote_address, forwarded_for,
                      request->Header("X-Forwarded-Proto"));
  request->remote_address = std::move(c.address);
  request->secure = request->secure || c.secure;
}

}  // namespace workbind::app
