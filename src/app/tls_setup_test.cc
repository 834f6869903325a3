// The TLS settings: server.tls.* both or neither, server.adminListen, Secure
// cookies derived under TLS, and the settings line of a refused file.
#include "app/tls_setup.h"

#include <gtest/gtest.h>

#include "app/settings.h"

namespace workbind::app {
namespace {

TEST(TlsSettings, BothOrNeither) {
  Settings s;
  auto e = ParseSettingsJson(
      R"({"server":{"tls":{"certificateFile":"/etc/workbind/cert.pem"}}})", &s);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0],
            "settings: /server/tls/privateKeyFile: required with "
            "/server/tls/certificateFile");
  Settings t;
  e = ParseSettingsJson(R"({"server":{"tls":{"privateKeyFile":"/k.pem"}}})",
                        &t);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0],
            "settings: /server/tls/certificateFile: required with "
            "/server/tls/privateKeyFile");
  Settings u;
  e = ParseSettingsJson(R"({"server":{"tls":{"certificateFile":"/c.pem",
      "privateKeyFile":"/k.pem","ciphers":"x"}}})",
                        &u);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "settings: /server/tls/ciphers: unknown key");
}

TEST(TlsSettings, CookiesAreSecureUnderTls) {
  Settings plain;
  ASSERT_TRUE(ParseSettingsJson("{}", &plain).empty());
  EXPECT_FALSE(TlsEnabled(plain));
  EXPECT_FALSE(plain.api.secure_cookies);
  EXPECT_FALSE(plain.notifications.secure_cookies);

  Settings tls;
  auto e = ParseSettingsJson(R"({"server":{"tls":{"certificateFile":"/c.pem",
      "privateKeyFile":"/k.pem"}},"auth":{"cookieSameSite":"None"}})",
                             &tls);
  EXPECT_TRUE(e.empty()) << e[0];
  EXPECT_TRUE(TlsEnabled(tls));
  EXPECT_TRUE(tls.api.secure_cookies);
  EXPECT_TRUE(tls.notifications.secure_cookies);
}

TEST(TlsSettings, AdminListenMustBeHostPort) {
  Settings s;
  EXPECT_TRUE(
      ParseSettingsJson(R"({"server":{"adminListen":"127.0.0.1:9100"}})", &s)
          .empty());
  EXPECT_EQ(s.admin_listen, "127.0.0.1:9100");
  auto e = ParseSettingsJson(R"({"server":{"adminListen":"9100"}})", &s);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "settings: /server/adminListen: must be host:port");
}

TEST(TlsSetup, RefusedFileNamesTheSetting) {
  Settings s;
  s.tls_certificate_file = "/nonexistent/workbind-cert.pem";
  s.tls_private_key_file = "/nonexistent/workbind-key.pem";
  TlsSetup r = LoadServerTls(s);
  EXPECT_EQ(r.context, nullptr);
  EXPECT_EQ(r.problem,
            "settings: /server/tls/certificateFile: cannot read "
            "/nonexistent/workbind-cert.pem: No such file or directory");
  Settings none;
  TlsSetup off = LoadServerTls(none);
  EXPECT_EQ(off.context, nullptr);
  EXPECT_TRUE(off.problem.empty());
}

}  // namespace
}  // namespace workbind::app
