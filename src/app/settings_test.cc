#include "app/settings.h"

#include <gtest/gtest.h>

namespace workbind::app {
namespace {

TEST(Settings, DefaultsWithoutFile) {
  Settings s;
  EXPECT_TRUE(ParseSettingsJson("{}", &s).empty());
  EXPECT_EQ(s.listen, "127.0.0.1:8090");
  EXPECT_EQ(s.limits.max_body_bytes, 1048576u);
  EXPECT_TRUE(s.api.csrf);
  EXPECT_EQ(s.storage.backend, "sqlite");
}

TEST(Settings, CommentsAndTrailingCommasAllowed) {
  Settings s;
  auto e = ParseSettingsJson(R"({
    // where to listen
    "server": {"listen": "127.0.0.1:9000", /* a port */ },
  })",
                             &s);
  EXPECT_TRUE(e.empty()) << e[0];
  EXPECT_EQ(s.listen, "127.0.0.1:9000");
  EXPECT_FALSE(
      ParseSettingsJson("{\"server\": {} // unterminated", &s).empty());
}

TEST(Settings, LogAndTrustedProxies) {
  Settings s;
  EXPECT_TRUE(ParseSettingsJson("{}", &s).empty());
  EXPECT_EQ(s.log.format, "text");
  EXPECT_EQ(s.log.level, "info");
  EXPECT_TRUE(s.trusted_proxies.empty());
  auto e = ParseSettingsJson(
      R"({"log":{"format":"json","level":"warn"},)"
      R"("server":{"trustedProxies":["127.0.0.1","10.0.0.0/8","::1"]}})",
      &s);
  EXPECT_TRUE(e.empty()) << e[0];
  EXPECT_EQ(s.log.format, "json");
  EXPECT_EQ(s.log.level, "warn");
  EXPECT_TRUE(s.trusted_proxies.Trusts("10.2.3.4"));
  EXPECT_FALSE(s.trusted_proxies.Trusts("11.2.3.4"));

  Settings t;
  e = ParseSettingsJson(R"({"log":{"format":"xml","level":"loud"},)"
                        R"("server":{"trustedProxies":["10.0.0.0/33"]}})",
                        &t);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0],
            "settings: /server/trustedProxies: \"10.0.0.0/33\" is not an IP "
            "address or CIDR block");
  EXPECT_EQ(e[1], "settings: /log/format: must be one of \"text\", \"json\"");
  EXPECT_EQ(e[2],
            "settings: /log/level: must be one of \"trace\", \"debug\", "
            "\"info\", \"warn\", \"error\", \"critical\", \"off\"");
  EXPECT_FALSE(
      ParseSettingsJson(R"({"server":{"trustedProxies":"127.0.0.1"}})", &t)
          .empty());
}

TEST(Settings, UnknownKeyNamedByPointer) {
  Settings s;
  auto e = ParseSettingsJson(R"({"http":{"maxBodyByte":5}})", &s);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "settings: /http/maxBodyByte: unknown key");
}

TEST(Settings, WrongTypesAndRanges) {
  Settings s;
  auto e = ParseSettingsJson(
      R"({"auth":{"csrf":"yes"},"http":{"maxBodyBytes":-1},"storage":{"backend":"mysql"},"nope":1})",
      &s);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0], "settings: /http/maxBodyBytes: must be 1024-1073741824");
  EXPECT_EQ(e[1], "settings: /auth/csrf: must be a boolean");
  EXPECT_EQ(
      e[2],
      "settings: /storage/backend: must be one of \"sqlite\", \"postgres\"");
  EXPECT_EQ(e[3], "settings: /nope: unknown key");
}

TEST(Settings, ListenPortOutOfRange) {
  for (const char* listen :
       {"127.0.0.1:65536", "[::1]:8184467440737095516168090", "h:000080",
        "h:", "h:8o"}) {
    Settings s;
    auto e = ParseSettingsJson(
        std::string(R"({"server":{"listen":")") + listen + R"("}})", &s);
    ASSERT_EQ(e.size(), 1u) << listen;
    EXPECT_EQ(e[0], "settings: /server/listen: must be host:port") << listen;
  }
  Settings s;
  EXPECT_TRUE(
      ParseSettingsJson(R"({"server":{"listen":"h:65535"}})", &s).empty());
  Overrides o;
  o.listen = "127.0.0.1:99999999999999999999";
  auto e = LoadSettings(o, &s);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "settings: --listen: must be host:port");
}

TEST(Settings, NotificationsAreValidated) {
  Settings s;
  auto e = ParseSettingsJson(
      R"({"notifications":{"duplicateConnectHttpStatus":404}})", &s);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(
      e[0],
      "settings: /notifications/duplicateConnectHttpStatus: must be 500-599");
}

TEST(Settings, ValuesApplied) {
  Settings s;
  auto e = ParseSettingsJson(
      R"({"server":{"listen":"127.0.0.1:0","workerThreads":4},"auth":{"csrf":false,"sessionIdleTimeoutSeconds":5},"storage":{"sqlite":{"synchronous":"normal"}}})",
      &s);
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(s.listen, "127.0.0.1:0");
  EXPECT_EQ(s.worker_threads, 4);
  EXPECT_FALSE(s.api.csrf);
  EXPECT_EQ(s.auth.session_idle_timeout_seconds, 5);
  EXPECT_FALSE(s.storage.sqlite_synchronous_full);
}

TEST(Settings, AuthThrottle) {
  Settings s;
  EXPECT_EQ(s.auth.throttle.max_failures, 5);
  EXPECT_EQ(s.auth.throttle.max_failures_per_address, 20);
  EXPECT_EQ(s.auth.throttle.window_seconds, 60);
  EXPECT_EQ(s.auth.throttle.lockout_seconds, 30);
  EXPECT_EQ(s.auth.throttle.max_lockout_seconds, 900);
  EXPECT_TRUE(
      ParseSettingsJson(
          R"({"auth":{"throttle":{"maxFailures":3,"maxFailuresPerAddress":7,"windowSeconds":10,"lockoutSeconds":2,"maxLockoutSeconds":8}}})",
          &s)
          .empty());
  EXPECT_EQ(s.auth.throttle.max_failures, 3);
  EXPECT_EQ(s.auth.throttle.max_failures_per_address, 7);
  EXPECT_EQ(s.auth.throttle.window_seconds, 10);
  EXPECT_EQ(s.auth.throttle.lockout_seconds, 2);
  EXPECT_EQ(s.auth.throttle.max_lockout_seconds, 8);

  Settings bad;
  auto e = ParseSettingsJson(
      R"({"auth":{"throttle":{"maxFailures":0,"windowSeconds":"60","lockoutSeconds":60,"maxLockoutSeconds":30,"other":1}}})",
      &bad);
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0], "settings: /auth/throttle/maxFailures: must be 1-1000000");
  EXPECT_EQ(e[1], "settings: /auth/throttle/windowSeconds: must be an integer");
  EXPECT_EQ(e[2],
            "settings: /auth/throttle/maxLockoutSeconds: must be at least "
            "/auth/throttle/lockoutSeconds");
  EXPECT_EQ(e[3], "settings: /auth/throttle/other: unknown key");
}

TEST(Settings, PostgresNeedsDsn) {
  Settings s;
  auto e = ParseSettingsJson(R"({"storage":{"backend":"postgres"}})", &s);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(
      e[0],
      "settings: /storage/postgres/dsn: required with backend \"postgres\"");
}

}  // namespace
}  // namespace workbind::app
