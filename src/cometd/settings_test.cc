#include "cometd/settings.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace workbind::cometd {
namespace {
namespace json = boost::json;

std::vector<std::string> Parse(std::string_view text, BrokerSettings* s) {
  std::vector<std::string> errors;
  ParseBrokerSettings(json::parse(text).as_object(), s, &errors);
  return errors;
}

TEST(SettingsTest, Defaults) {
  BrokerSettings s;
  EXPECT_EQ(s.transports,
            (std::vector<std::string>{"websocket", "long-polling"}));
  EXPECT_EQ(s.timeout_ms, 30000);
  EXPECT_EQ(s.interval_ms, 0);
  EXPECT_EQ(s.max_interval_ms, 10000);
  EXPECT_EQ(s.max_queue, 10000);
  EXPECT_EQ(s.max_sessions_per_user, 32);
  EXPECT_EQ(s.max_sessions_per_browser, 1);
  EXPECT_EQ(s.multi_session_interval_ms, 2000);
  EXPECT_EQ(s.max_message_bytes, 65536);
  EXPECT_EQ(s.max_subscriptions_per_session, 256);
  EXPECT_TRUE(s.open_channels.empty());
  EXPECT_EQ(s.duplicate_connect_http_status, 500);
  EXPECT_EQ(s.ws_idle_timeout_seconds, 300);
}

TEST(SettingsTest, ReadsEveryKey) {
  BrokerSettings s;
  auto errors = Parse(
      R"({"transports":["long-polling","callback-polling"],"timeoutMs":500,
      "intervalMs":10,"maxIntervalMs":2000,"maxQueue":5,"maxSessionsPerUser":0,
      "maxSessionsPerBrowser":-1,"multiSessionIntervalMs":0,"maxMessageBytes":4096,
      "maxSubscriptionsPerSession":3,"openChannels":["/chat/**","/bench/"],
      "duplicateConnectHttpStatus":503,"wsIdleTimeoutSeconds":30})",
      &s);
  EXPECT_TRUE(errors.empty()) << errors[0];
  EXPECT_EQ(s.transports,
            (std::vector<std::string>{"long-polling", "callback-polling"}));
  EXPECT_EQ(s.timeout_ms, 500);
  EXPECT_EQ(s.interval_ms, 10);
  EXPECT_EQ(s.max_interval_ms, 2000);
  EXPECT_EQ(s.max_queue, 5);
  EXPECT_EQ(s.max_sessions_per_user, 0);
  EXPECT_EQ(s.max_sessions_per_browser, -1);
  EXPECT_EQ(s.multi_session_interval_ms, 0);
  EXPECT_EQ(s.max_message_bytes, 4096);
  EXPECT_EQ(s.max_subscriptions_per_session, 3);
  EXPECT_EQ(s.open_channels, (std::vector<std::string>{"/chat/**", "/bench"}));
  EXPECT_EQ(s.duplicate_connect_http_status, 503);
  EXPECT_EQ(s.ws_idle_timeout_seconds, 30);
  EXPECT_TRUE(s.TransportEnabled("callback-polling"));
  EXPECT_FALSE(s.TransportEnabled("websocket"));
}

TEST(SettingsTest, ReportsProblems) {
  BrokerSettings s;
  auto errors =
      Parse(R"({"timeoutMss":1,"timeoutMs":"1","maxInterval":1,"intervalMs":1.5,
      "duplicateConnectHttpStatus":404,"openChannels":["/v2/**","/**","/meta/x","/ok/*","/a//b"],
      "transports":["websocket","smoke-signals"],"maxQueue":0})",
            &s);
  std::vector<std::string> want = {
      "settings: /notifications/timeoutMss: unknown key",
      "settings: /notifications/timeoutMs: must be an integer",
      "settings: /notifications/maxInterval: unknown key",
      "settings: /notifications/intervalMs: must be an integer",
      "settings: /notifications/duplicateConnectHttpStatus: must be 500-599",
      "settings: /notifications/openChannels/0: must not overlap /v2/**, "
      "/meta/** or /service/**",
      "settings: /notifications/openChannels/1: must not overlap /v2/**, "
      "/meta/** or /service/**",
      "settings: /notifications/openChannels/2: must not overlap /v2/**, "
      "/meta/** or /service/**",
      "settings: /notifications/openChannels/4: invalid channel pattern",
      "settings: /notifications/transports/1: must be \"websocket\", "
      "\"long-polling\" or "
      "\"callback-polling\"",
      "settings: /notifications/maxQueue: must be >= 1",
  };
  EXPECT_EQ(errors, want);
}

TEST(SettingsTest, WrongArrayType) {
  BrokerSettings s;
  auto errors = Parse(R"({"openChannels":"/chat/**","transports":[]})", &s);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(
      errors[0],
      "settings: /notifications/openChannels: must be an array of strings");
  EXPECT_EQ(
      errors[1],
      "settings: /notifications/transports: must name at least one transport");
}

// The rendering names every key the parser reads (a key it lacked would come
// back as "unknown key", one it added would be missing), and reads back to
// the same values.
TEST(SettingsTest, JsonNamesEveryKeyAndReadsBack) {
  BrokerSettings s;
  ASSERT_TRUE(Parse(R"({"transports":["long-polling"],"timeoutMs":500,
      "maxSessionsPerBrowser":-1,"openChannels":["/chat/**"],
      "duplicateConnectHttpStatus":503})",
                    &s)
                  .empty());
  json::object rendered = BrokerSettingsJson(s);
  EXPECT_EQ(rendered.size(), 13u);
  EXPECT_EQ(json::serialize(rendered["transports"]), R"(["long-polling"])");
  EXPECT_EQ(rendered["duplicateConnectHttpStatus"], 503);
  EXPECT_EQ(rendered["maxSessionsPerBrowser"], -1);
  BrokerSettings back;
  std::vector<std::string> errors;
  ParseBrokerSettings(rendered, &back, &errors);
  EXPECT_TRUE(errors.empty()) << errors[0];
  EXPECT_EQ(json::serialize(BrokerSettingsJson(back)),
            json::serialize(rendered));
  EXPECT_EQ(back.open_channels, s.open_channels);
  EXPECT_EQ(back.timeout_ms, 500);
}

}  // namespace
}  // namespace workbind::cometd
