#include "app/cli_config.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <sstream>

namespace workbind::app {
namespace {
namespace json = boost::json;

TEST(CliConfig, MasksTheUriPassword) {
  EXPECT_EQ(MaskDsnPassword("postgresql://wb:s3cret@db.example/wb"),
            "postgresql://wb:****@db.example/wb");
  EXPECT_EQ(MaskDsnPassword("postgres://wb:p%40ss@db:5432/wb?sslmode=require"),
            "postgres://wb:****@db:5432/wb?sslmode=require");
  EXPECT_EQ(
      MaskDsnPassword("postgresql://wb@db/wb?password=s3cret&sslmode=require"),
      "postgresql://wb@db/wb?password=****&sslmode=require");
  // Nothing secret: unchanged.
  EXPECT_EQ(MaskDsnPassword("postgresql://wb@db/wb?connect_timeout=5"),
            "postgresql://wb@db/wb?connect_timeout=5");
  EXPECT_EQ(MaskDsnPassword("postgresql:///wb?host=/run/pg"),
            "postgresql:///wb?host=/run/pg");
}

TEST(CliConfig, MasksTheKeyValuePassword) {
  EXPECT_EQ(MaskDsnPassword("host=db user=wb password=s3cret dbname=wb"),
            "host=db user=wb password=**** dbname=wb");
  EXPECT_EQ(MaskDsnPassword("password = 'a b\\'c' host=db"),
            "password = **** host=db");
  EXPECT_EQ(MaskDsnPassword("host=db passfile=/etc/wb/pgpass"),
            "host=db passfile=/etc/wb/pgpass");
  EXPECT_EQ(MaskDsnPassword("host=db user=wb"), "host=db user=wb");
  // Unreadable: masked whole rather than risk showing a password.
  EXPECT_EQ(MaskDsnPassword("host=db password='open"), "****");
  EXPECT_EQ(MaskDsnPassword("hostdb password"), "****");
}

TEST(CliConfig, MasksSecretKeysButNotPaths) {
  json::object o = json::parse(R"({
    "storage": {"postgres": {"dsn": "host=db password=pw"}},
    "server": {"tls": {"privateKeyFile": "/etc/wb/key.pem",
                       "keyPassword": "pw", "privateKey": "-----BEGIN",
                       "secretsDir": "/run/secrets", "emptyPassword": ""}},
    "auth": {"clientSecret": "abc", "csrf": true, "secrets": ["a", "b"]}
  })")
                       .as_object();
  EXPECT_EQ(MaskSecrets(&o), 6);
  EXPECT_EQ(json::serialize(o), json::serialize(json::parse(R"({
    "storage": {"postgres": {"dsn": "host=db password=****"}},
    "server": {"tls": {"privateKeyFile": "/etc/wb/key.pem",
                       "keyPassword": "****", "privateKey": "****",
                       "secretsDir": "/run/secrets", "emptyPassword": ""}},
    "auth": {"clientSecret": "****", "csrf": true, "secrets": ["****", "****"]}
  })")));
}

TEST(CliConfig, PrettyJsonReadsBack) {
  json::value v = json::parse(
      R"({"a":{"b":[1,"x"],"c":[],"d":{}},"e":"q\"uote","f":true})");
  std::string text = PrettyJson(v);
  EXPECT_EQ(text,
            "{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\"\n    ],\n"
            "    \"c\": [],\n    \"d\": {}\n  },\n  \"e\": \"q\\\"uote\",\n"
            "  \"f\": true\n}");
  EXPECT_EQ(json::parse(text), v);
}

// Runs `workbind <args>` through ConfigCommand with `o`.
int RunConfig(std::vector<std::string> args, const Overrides& o,
              std::string* out, std::string* err) {
  CLI::App cli;
  Overrides flags;
  cli.add_option("--config", flags.config_path);
  ConfigCommand command(&cli);
  std::reverse(args.begin(), args.end());
  cli.parse(args);
  EXPECT_TRUE(command.Chosen());
  Overrides all = o;
  if (!flags.config_path.empty()) all.config_path = flags.config_path;
  std::ostringstream o_out, o_err;
  int status = command.Run(all, o_out, o_err);
  *out = o_out.str();
  *err = o_err.str();
  return status;
}

// What `config show` prints is a settings file that loads to the same
// settings (nothing was masked here).
TEST(CliConfig, ShowPrintsALoadableFile) {
  Overrides o;
  o.environment = {{"WORKBIND_HTTP_MAX_BODY_BYTES", "2048"},
                   {"WORKBIND_NOTIFICATIONS_OPEN_CHANNELS", "/chat/**"}};
  o.listen = "127.0.0.1:1234";
  std::string out, err;
  ASSERT_EQ(RunConfig({"config", "show"}, o, &out, &err), 0) << err;
  EXPECT_EQ(err, "");
  json::object shown = json::parse(out).as_object();
  EXPECT_EQ(shown["http"].as_object()["maxBodyBytes"], 2048);
  EXPECT_EQ(shown["server"].as_object()["listen"], "127.0.0.1:1234");

  std::string path = ::testing::TempDir() + "/cli_config_test.json";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(out.c_str(), f);
  std::fclose(f);
  ASSERT_EQ(RunConfig({"config", "check", "--config", path}, {}, &out, &err), 0)
      << err;
  EXPECT_EQ(out, "settings: ok (" + path + ")\n");
  Overrides again;
  again.config_path = path;
  Settings s;
  ASSERT_TRUE(LoadSettings(again, &s).empty());
  EXPECT_EQ(json::serialize(SettingsToJson(s)), json::serialize(shown));
  EXPECT_EQ(s.notifications.open_channels,
            (std::vector<std::string>{"/chat/**"}));
  std::remove(path.c_str());
}

TEST(CliConfig, CheckReportsEveryProblem) {
  Overrides o;
  o.environment = {{"WORKBIND_HTTP_MAX_BODY_BYTE", "2048"},
                   {"WORKBIND_AUTH_CSRF", "no"}};
  std::string out, err;
  EXPECT_EQ(RunConfig({"config", "check"}, o, &out, &err), 2);
  EXPECT_EQ(out, "");
  EXPECT_EQ(err,
            "settings: WORKBIND_AUTH_CSRF: must be true or false\n"
            "settings: WORKBIND_HTTP_MAX_BODY_BYTE: unknown setting\n");
  EXPECT_EQ(RunConfig({"config", "show"}, o, &out, &err), 2);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace workbind::app
