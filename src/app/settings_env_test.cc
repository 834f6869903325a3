#include "app/settings_env.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "app/settings.h"

namespace workbind::app {
namespace {
namespace json = boost::json;

// Loads with only `environment` (and the flags given).
std::vector<std::string> LoadEnv(std::map<std::string, std::string> environment,
                                 Settings* s, Overrides o = {}) {
  o.environment = std::move(environment);
  return LoadSettings(o, s);
}

TEST(SettingsEnv, NamesFollowTheRule) {
  EXPECT_EQ(EnvironmentName("/server/listen"), "WORKBIND_SERVER_LISTEN");
  EXPECT_EQ(EnvironmentName("/storage/postgres/dsn"),
            "WORKBIND_STORAGE_POSTGRES_DSN");
  EXPECT_EQ(EnvironmentName("/http/maxBodyBytes"),
            "WORKBIND_HTTP_MAX_BODY_BYTES");
  EXPECT_EQ(EnvironmentName("/http/cors/allowedOrigins"),
            "WORKBIND_HTTP_CORS_ALLOWED_ORIGINS");
  EXPECT_EQ(EnvironmentName("/server/externalApiUrl"),
            "WORKBIND_SERVER_EXTERNAL_API_URL");
  EXPECT_EQ(EnvironmentName("/auth/argon2/memoryKiB"),
            "WORKBIND_AUTH_ARGON2_MEMORY_KI_B");
}

// Every key the parser reads has a variable of its own, which sets that key
// and no other.
TEST(SettingsEnv, EveryKeyMapsToItsOwnVariable) {
  Settings defaults;
  json::object keys = SettingsToJson(defaults);
  auto leaves = SettingLeaves(keys);
  std::set<std::string> names;
  for (const auto& [pointer, value] : leaves) {
    std::string name = EnvironmentName(pointer);
    EXPECT_TRUE(names.insert(name).second) << name;
    // The default value written as the variable's text reads back to the
    // same key and value.
    std::string text = value.is_string() ? std::string(value.as_string())
                                         : json::serialize(value);
    json::object root;
    std::map<std::string, std::string> origin;
    auto errors = ApplyEnvironment({{name, text}}, keys, &root, &origin);
    ASSERT_TRUE(errors.empty()) << errors[0];
    ASSERT_EQ(origin.size(), 1u) << name;
    EXPECT_EQ(origin.begin()->first, pointer);
    EXPECT_EQ(origin.begin()->second, name);
    ASSERT_EQ(SettingLeaves(root).size(), 1u) << name;
    EXPECT_EQ(SettingLeaves(root)[0].first, pointer);
    EXPECT_EQ(SettingLeaves(root)[0].second, value) << name;
  }
  // Keys of every kind and of the notifications' own parser are among them.
  for (const char* name :
       {"WORKBIND_SERVER_LISTEN", "WORKBIND_STORAGE_POSTGRES_DSN",
        "WORKBIND_HTTP_MAX_BODY_BYTES", "WORKBIND_HTTP_CORS_ALLOWED_ORIGINS",
        "WORKBIND_AUTH_CSRF", "WORKBIND_AUTH_THROTTLE_MAX_LOCKOUT_SECONDS",
        "WORKBIND_NOTIFICATIONS_DUPLICATE_CONNECT_HTTP_STATUS",
        "WORKBIND_STORAGE_SQLITE_SYNCHRONOUS", "WORKBIND_WEB_ROOT"})
    EXPECT_EQ(names.count(name), 1u) << name;
}

TEST(SettingsEnv, ValuesReachTheSettings) {
  Settings s;
  auto e =
      LoadEnv({{"WORKBIND_SERVER_LISTEN", "127.0.0.1:9001"},
               {"WORKBIND_STORAGE_POSTGRES_DSN", "host=db user=wb"},
               {"WORKBIND_STORAGE_BACKEND", "postgres"},
               {"WORKBIND_HTTP_MAX_BODY_BYTES", "2048"},
               {"WORKBIND_AUTH_CSRF", "false"},
               {"WORKBIND_HTTP_CORS_ALLOWED_ORIGINS",
                " https://a.example ,https://b.example"},
               {"WORKBIND_NOTIFICATIONS_TRANSPORTS", R"(["long-polling"])"},
               {"WORKBIND_NOTIFICATIONS_TIMEOUT_MS", "500"},
               {"WORKBIND_NOTIFICATIONS_MAX_SESSIONS_PER_BROWSER", "-1"}},
              &s);
  EXPECT_TRUE(e.empty()) << e[0];
  EXPECT_EQ(s.listen, "127.0.0.1:9001");
  EXPECT_EQ(s.storage.postgres_dsn, "host=db user=wb");
  EXPECT_EQ(s.storage.backend, "postgres");
  EXPECT_EQ(s.limits.max_body_bytes, 2048u);
  EXPECT_EQ(s.api.max_body_bytes, 2048u);  // derived after the environment
  EXPECT_FALSE(s.api.csrf);
  EXPECT_EQ(
      s.api.cors_allowed_origins,
      (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(s.notifications.cors_allowed_origins, s.api.cors_allowed_origins);
  EXPECT_EQ(s.notifications.transports,
            (std::vector<std::string>{"long-polling"}));
  EXPECT_EQ(s.notifications.timeout_ms, 500);
  EXPECT_EQ(s.notifications.max_sessions_per_browser, -1);

  Settings empty_list;
  EXPECT_TRUE(LoadEnv({{"WORKBIND_HTTP_CORS_ALLOWED_ORIGINS", ""}}, &empty_list)
                  .empty());
  EXPECT_TRUE(empty_list.api.cors_allowed_origins.empty());
}

TEST(SettingsEnv, ValuesAreReadStrictly) {
  const std::pair<const char*, const char*> bad[] = {
      {"WORKBIND_HTTP_MAX_BODY_BYTES", "1e6"},
      {"WORKBIND_HTTP_MAX_BODY_BYTES", " 2048"},
      {"WORKBIND_HTTP_MAX_BODY_BYTES", "+2048"},
      {"WORKBIND_HTTP_MAX_BODY_BYTES", ""},
      {"WORKBIND_HTTP_MAX_BODY_BYTES", "99999999999999999999"},
      {"WORKBIND_AUTH_CSRF", "yes"},
      {"WORKBIND_AUTH_CSRF", "True"},
      {"WORKBIND_AUTH_CSRF", "1"},
      {"WORKBIND_HTTP_CORS_ALLOWED_ORIGINS", "[\"a\""},
      {"WORKBIND_HTTP_CORS_ALLOWED_ORIGINS", "a,,b"},
  };
  const char* want[] = {"must be an integer",
                        "must be an integer",
                        "must be an integer",
                        "must be an integer",
                        "must be an integer",
                        "must be true or false",
                        "must be true or false",
                        "must be true or false",
                        "must be a JSON array or a comma-separated list",
                        "has an empty item"};
  for (size_t i = 0; i < std::size(bad); ++i) {
    Settings s;
    auto e = LoadEnv({{bad[i].first, bad[i].second}}, &s);
    ASSERT_EQ(e.size(), 1u) << bad[i].second;
    EXPECT_EQ(e[0], std::string("settings: ") + bad[i].first + ": " + want[i]);
  }
}

// The parser's rules apply to a value from the environment, and its line
// names the variable.
TEST(SettingsEnv, ParserProblemsNameTheVariable) {
  Settings s;
  auto e = LoadEnv({{"WORKBIND_HTTP_MAX_BODY_BYTES", "5"},
                    {"WORKBIND_SERVER_LISTEN", "nowhere"},
                    {"WORKBIND_HTTP_CORS_ALLOWED_ORIGINS", "[1]"},
                    {"WORKBIND_NOTIFICATIONS_OPEN_CHANNELS", "/meta/x"}},
                   &s);
  std::vector<std::string> want = {
      "settings: WORKBIND_SERVER_LISTEN: must be host:port",
      "settings: WORKBIND_HTTP_MAX_BODY_BYTES: must be 1024-1073741824",
      "settings: WORKBIND_HTTP_CORS_ALLOWED_ORIGINS: must be an array of "
      "strings",
      "settings: WORKBIND_NOTIFICATIONS_OPEN_CHANNELS/0: must not overlap "
      "/v2/**, /meta/** or /service/**"};
  EXPECT_EQ(e, want);
}

TEST(SettingsEnv, UnknownVariableIsAnError) {
  Settings s;
  auto e = LoadEnv(
      {{"WORKBIND_HTTP_MAX_BODY_BYTE", "2048"}, {"WORKBIND_SERVER", "x"}}, &s);
  std::vector<std::string> want = {
      "settings: WORKBIND_HTTP_MAX_BODY_BYTE: unknown setting",
      "settings: WORKBIND_SERVER: unknown setting"};
  EXPECT_EQ(e, want);
}

// A WORKBIND_* name outside every section is not a setting: the variables
// of the test and benchmark tools that start the server are left alone.
TEST(SettingsEnv, NamesOutsideTheSectionsAreNotSettings) {
  Settings s;
  EXPECT_TRUE(LoadEnv({{"WORKBIND_BIN", "/x/workbind"},
                       {"WORKBIND_ALLOCATOR", "mimalloc"},
                       {"WORKBIND_", "x"},
                       {"WORKBIND_SOURCE_DIR", "/x"},
                       {"WORKBIND_TEST_PG_DSN", "host=/tmp"},
                       {"WORKBIND_SQL_TRACE", "/tmp/trace"},
                       {"OTHER", "1"}},
                      &s)
                  .empty());
}

// flags > environment > file > defaults.
TEST(SettingsEnv, Precedence) {
  std::string path = ::testing::TempDir() + "/settings_env_test.json";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(R"({"server":{"listen":"127.0.0.1:1001","workerThreads":3},
                   "storage":{"dataDir":"/file"},
                   "http":{"maxBodyBytes":4096}})",
               f);
    std::fclose(f);
  }
  Overrides o;
  o.config_path = path;
  o.listen = "127.0.0.1:1003";
  Settings s;
  auto e = LoadEnv({{"WORKBIND_SERVER_LISTEN", "127.0.0.1:1002"},
                    {"WORKBIND_STORAGE_DATA_DIR", "/env"}},
                   &s, o);
  EXPECT_TRUE(e.empty()) << e[0];
  EXPECT_EQ(s.listen, "127.0.0.1:1003");      // flag over environment
  EXPECT_EQ(s.storage.data_dir, "/env");      // environment over file
  EXPECT_EQ(s.limits.max_body_bytes, 4096u);  // file over default
  EXPECT_EQ(s.worker_threads, 3);
  EXPECT_EQ(s.shutdown_grace_seconds, 10);  // default

  // A wrong flag is named as the flag even over a good variable.
  o.listen = "bad";
  Settings t;
  e = LoadEnv({{"WORKBIND_SERVER_LISTEN", "127.0.0.1:1002"}}, &t, o);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "settings: --listen: must be host:port");
  std::remove(path.c_str());
}

TEST(SettingsEnv, SetAtPointer) {
  json::object root = json::parse(R"({"http":{"a":1},"server":5})").as_object();
  EXPECT_TRUE(SetAtPointer(&root, "/http/cors/allowedOrigins", json::array()));
  EXPECT_TRUE(SetAtPointer(&root, "/http/a", 2));
  EXPECT_FALSE(SetAtPointer(&root, "/server/listen", "x"));
  EXPECT_EQ(json::serialize(root),
            R"({"http":{"a":2,"cors":{"allowedOrigins":[]}},"server":5})");
}

}  // namespace
}  // namespace workbind::app
