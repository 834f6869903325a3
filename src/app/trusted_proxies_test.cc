// server.trustedProxies: parsing, CIDR matching (IPv4, IPv6, IPv4-mapped),
// and the X-Forwarded-For/-Proto rule (rightmost untrusted, untrusted peers
// ignored).
#include "app/trusted_proxies.h"

#include <gtest/gtest.h>

namespace workbind::app {
namespace {

TrustedProxies Make(const std::vector<std::string>& entries) {
  auto t = TrustedProxies::Parse(entries);
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.ok() ? std::move(t).value() : TrustedProxies();
}

TEST(TrustedProxies, ParsesAddressesAndBlocks) {
  EXPECT_TRUE(Make({}).empty());
  EXPECT_FALSE(Make({"127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"}).empty());
  for (const char* bad : {"", "localhost", "10.0.0.0/33", "10.0.0/8", "::1/129",
                          "1.2.3.4:80", "10.0.0.0/", "/8"}) {
    auto t = TrustedProxies::Parse({"127.0.0.1", bad});
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(
        t.status().message(),
        "\"" + std::string(bad) + "\" is not an IP address or CIDR block");
  }
}

TEST(TrustedProxies, MatchesCidrBlocks) {
  TrustedProxies t =
      Make({"127.0.0.1", "10.0.0.0/8", "192.168.1.77/24", "::1", "fd00::/8"});
  EXPECT_TRUE(t.Trusts("127.0.0.1"));
  EXPECT_FALSE(t.Trusts("127.0.0.2"));
  EXPECT_TRUE(t.Trusts("10.0.0.0"));
  EXPECT_TRUE(t.Trusts("10.255.255.255"));
  EXPECT_FALSE(t.Trusts("11.0.0.1"));
  // Host bits in a block are ignored: 192.168.1.0/24.
  EXPECT_TRUE(t.Trusts("192.168.1.3"));
  EXPECT_FALSE(t.Trusts("192.168.2.3"));
  EXPECT_TRUE(t.Trusts("::1"));
  EXPECT_FALSE(t.Trusts("::2"));
  EXPECT_TRUE(t.Trusts("fd12:3456::1"));
  EXPECT_FALSE(t.Trusts("fe80::1"));
  // IPv4-mapped IPv6 is the IPv4 address.
  EXPECT_TRUE(t.Trusts("::ffff:10.1.2.3"));
  EXPECT_FALSE(t.Trusts("::ffff:11.1.2.3"));
  EXPECT_FALSE(t.Trusts("not an address"));
  EXPECT_FALSE(t.Trusts(""));
  EXPECT_FALSE(TrustedProxies().Trusts("127.0.0.1"));
}

TEST(TrustedProxies, ClientIsTheRightmostUntrustedAddress) {
  TrustedProxies t = Make({"127.0.0.1", "10.0.0.0/8"});
  auto client = [&](std::string_view xff) {
    return t.ClientOf("127.0.0.1", xff, "").address;
  };
  EXPECT_EQ(client("203.0.113.7"), "203.0.113.7");
  // A client-supplied (spoofed) entry on the left is not believed.
  EXPECT_EQ(client("6.6.6.6, 203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(client("6.6.6.6, 203.0.113.7, 10.1.1.1"), "203.0.113.7");
  EXPECT_EQ(client(" 2001:db8::5 ,10.0.0.2"), "2001:db8::5");
  EXPECT_EQ(client("::ffff:198.51.100.1"), "198.51.100.1");
  // Every hop trusted: the leftmost.
  EXPECT_EQ(client("10.0.0.9, 10.0.0.2"), "10.0.0.9");
  // Garbage: the hop that reported it.
  EXPECT_EQ(client("203.0.113.7, garbage"), "127.0.0.1");
  EXPECT_EQ(client("garbage, 10.0.0.2"), "10.0.0.2");
  EXPECT_EQ(client("1.2.3.4:5678"), "127.0.0.1");
  EXPECT_EQ(client(""), "127.0.0.1");
  EXPECT_EQ(client(" , "), "127.0.0.1");
}

TEST(TrustedProxies, ForwardedProtoHttpsMarksSecure) {
  TrustedProxies t = Make({"127.0.0.1"});
  EXPECT_TRUE(t.ClientOf("127.0.0.1", "", "https").secure);
  EXPECT_TRUE(t.ClientOf("127.0.0.1", "", " HTTPS ").secure);
  EXPECT_FALSE(t.ClientOf("127.0.0.1", "", "http").secure);
  EXPECT_FALSE(t.ClientOf("127.0.0.1", "", "").secure);
  EXPECT_FALSE(t.ClientOf("127.0.0.1", "", "https, http").secure);
}

TEST(TrustedProxies, UntrustedPeersHeadersAreIgnored) {
  TrustedProxies t = Make({"10.0.0.0/8"});
  TrustedProxies::Client c = t.ClientOf("127.0.0.1", "203.0.113.7", "https");
  EXPECT_EQ(c.address, "127.0.0.1");
  EXPECT_FALSE(c.secure);
}

TEST(TrustedProxies, ApplyRewritesTheRequest) {
  TrustedProxies t = Make({"127.0.0.1"});
  HttpRequest r;
  r.remote_address = "127.0.0.1";
  r.headers = {{"x-forwarded-for", "6.6.6.6, 198.51.100.1"},
               {"X-Forwarded-For", "203.0.113.7"},
               {"X-Forwarded-Proto", "https"}};
  t.Apply(&r);
  EXPECT_EQ(r.remote_address, "203.0.113.7");
  EXPECT_TRUE(r.secure);

  HttpRequest spoofed = r;
  spoofed.remote_address = "192.0.2.1";
  spoofed.secure = false;
  t.Apply(&spoofed);
  EXPECT_EQ(spoofed.remote_address, "192.0.2.1");
  EXPECT_FALSE(spoofed.secure);

  HttpRequest none = r;
  none.remote_address = "127.0.0.1";
  none.secure = false;
  TrustedProxies().Apply(&none);
  EXPECT_EQ(none.remote_address, "127.0.0.1");
  EXPECT_FALSE(none.secure);
}

}  // namespace
}  // namespace workbind::app
