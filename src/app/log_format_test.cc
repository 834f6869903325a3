// The JSON log line (fields, escaping, time), the scrubbing of secret query
// parameters, and the text and JSON formatters on a real spdlog logger with a
// request's context.
#include "app/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <sstream>

#include "app/logging.h"

namespace workbind::app {
namespace {
namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::system_clock;

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

TEST(LogFormat, EscapesJsonStrings) {
  EXPECT_EQ(Json("plain"), R"("plain")");
  EXPECT_EQ(Json("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Json("l1\nl2\r\t"), R"("l1\nl2\r\t")");
  EXPECT_EQ(Json(std::string("\x01\x1f\x7f", 3)), R"("\u0001\u001f\u007f")");
  EXPECT_EQ(Json(std::string("nul\0x", 5)), R"("nul\u0000x")");
  // Valid UTF-8 is kept; invalid bytes become U+FFFD, one per byte.
  EXPECT_EQ(Json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  EXPECT_EQ(Json("a\xff"
                 "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(Json("\xc3"), R"("\ufffd")");                      // truncated
  EXPECT_EQ(Json("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong
  EXPECT_EQ(Json("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // surrogate
  // Whatever the bytes, a JSON parser reads back a string.
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  json::value v = json::parse(Json(all));
  ASSERT_TRUE(v.is_string());
  EXPECT_EQ(std::string_view(v.as_string()).substr(0, 128),
            std::string_view(all).substr(0, 128));
}

TEST(LogFormat, Rfc3339UtcWithMilliseconds) {
  std::string out;
  AppendRfc3339Millis(system_clock::time_point(milliseconds(1714637703042)),
                      &out);
  EXPECT_EQ(out, "2024-05-02T08:15:03.042Z");
  out.clear();
  AppendRfc3339Millis(system_clock::time_point(milliseconds(0)), &out);
  EXPECT_EQ(out, "1970-01-01T00:00:00.000Z");
}

TEST(LogFormat, SecretParameterNames) {
  for (const char* name :
       {"password",      "PASSWORD",      "passwd",        "pwd",
        "pass",          "token",         "secret",        "key",
        "apikey",        "api_key",       "api-key",       "x-api-key",
        "auth",          "Authorization", "code",          "access_token",
        "refresh_token", "id_token",      "client_secret", "jsessionid",
        "sessionId",     "csrf",          "signature",     "sig",
        "credentials",   "new_password",  "pass%77ord",    "access%5Ftoken"})
    EXPECT_TRUE(IsSecretParameter(name)) << name;
  for (const char* name : {"limit", "offset", "fields", "user", "sort",
                           "userName", "filter", "authorize", "codes", ""})
    EXPECT_FALSE(IsSecretParameter(name)) << name;
}

TEST(LogFormat, ScrubsSecretQueryValues) {
  EXPECT_EQ(ScrubTarget("/api/v2/me"), "/api/v2/me");
  EXPECT_EQ(ScrubTarget("/a?limit=5"), "/a?limit=5");
  EXPECT_EQ(ScrubTarget("/a?token=abc&limit=5&Password=p%20w&x"),
            "/a?token=***&limit=5&Password=***&x");
  EXPECT_EQ(ScrubTarget("/a?access_token=abc"), "/a?access_token=***");
  EXPECT_EQ(ScrubTarget("/a?code="), "/a?code=***");
  EXPECT_EQ(ScrubTarget("/a?"), "/a?");
  EXPECT_EQ(ScrubTarget("/a?&&key=1&"), "/a?&&key=***&");
  // A name alone (no '=') carries no value.
  EXPECT_EQ(ScrubTarget("/a?password"), "/a?password");
}

TEST(LogFormat, PlainLineHasTimeLevelMessage) {
  std::string out;
  JsonLine line;
  line.time = system_clock::time_point(milliseconds(1000));
  line.level = "warn";
  line.message = "disk \"almost\" full";
  AppendJsonLine(line, &out);
  EXPECT_EQ(out, R"({"time":"1970-01-01T00:00:01.000Z","level":"warn",)"
                 R"("message":"disk \"almost\" full"})");
}

TEST(LogFormat, AccessLineHasEveryField) {
  log::AccessFields a{.method = "POST",
                      .target = "/api/v2/me?password=hunter2&x=\"1\"",
                      .http_status = 401,
                      .status_code = 2,
                      .has_status_code = true,
                      .duration_ms = 1.25,
                      .user = "alice",
                      .remote = "203.0.113.7"};
  std::string out;
  AppendJsonLine({.time = system_clock::time_point(milliseconds(5)),
                  .level = "info",
                  .message = "POST /api/v2/me 401 2 1.25ms user=alice",
                  .request_id = "req-\"1\"",
                  .access = &a},
                 &out);
  json::object o = json::parse(out).as_object();
  EXPECT_EQ(o.at("time").as_string(), "1970-01-01T00:00:00.005Z");
  EXPECT_EQ(o.at("level").as_string(), "info");
  EXPECT_EQ(o.at("message").as_string(),
            "POST /api/v2/me 401 2 1.25ms user=alice");
  EXPECT_EQ(o.at("method").as_string(), "POST");
  EXPECT_EQ(o.at("path").as_string(), "/api/v2/me?password=***&x=\"1\"");
  EXPECT_EQ(o.at("status").as_int64(), 401);
  EXPECT_EQ(o.at("statusCode").as_int64(), 2);
  EXPECT_DOUBLE_EQ(o.at("durationMs").to_number<double>(), 1.25);
  EXPECT_EQ(o.at("user").as_string(), "alice");
  EXPECT_EQ(o.at("remote").as_string(), "203.0.113.7");
  EXPECT_EQ(o.at("requestId").as_string(), "req-\"1\"");
  EXPECT_EQ(out.find("hunter2"), std::string::npos);

  // No statusCode in the reply, no user, no request: the keys are absent.
  a.has_status_code = false;
  a.user = "";
  out.clear();
  JsonLine plain;
  plain.level = "info";
  plain.message = "m";
  plain.access = &a;
  AppendJsonLine(plain, &out);
  o = json::parse(out).as_object();
  EXPECT_FALSE(o.contains("statusCode"));
  EXPECT_FALSE(o.contains("user"));
  EXPECT_FALSE(o.contains("requestId"));
  EXPECT_EQ(o.at("status").as_int64(), 401);
}

// The formatters on a logger: the request id of the thread's context, the
// access fields of log::Access, the text line unchanged otherwise.
class FormatterTest : public ::testing::Test {
 protected:
  void Use(const std::string& format) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("", sink);
    logger->set_formatter(MakeLineFormatter({.format = format}));
    previous_ = spdlog::default_logger();
    spdlog::set_default_logger(logger);
  }
  void TearDown() override {
    if (previous_) spdlog::set_default_logger(previous_);
  }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream in(out_.str());
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  }
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(FormatterTest, TextAppendsTheRequestIdOnlyWithinARequest) {
  Use("text");
  log::Info("outside {}", 1);
  {
    log::ContextScope scope(log::Context{"abc-1"});
    log::Warn("inside");
    log::AccessFields a;
    a.method = "GET";
    a.target = "/x?token=t";
    a.http_status = 200;
    log::Access(a, "GET /x 200 0 {:.2f}ms user=-", 0.5);
  }
  log::Info("after");
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_TRUE(lines[0].ends_with("] [info] outside 1")) << lines[0];
  EXPECT_TRUE(lines[1].ends_with("] [warning] inside req=abc-1")) << lines[1];
  EXPECT_TRUE(
      lines[2].ends_with("] [info] GET /x 200 0 0.50ms user=- req=abc-1"))
      << lines[2];
  EXPECT_TRUE(lines[3].ends_with("] [info] after")) << lines[3];
}

TEST_F(FormatterTest, JsonWritesOneObjectPerLine) {
  Use("json");
  log::Info("start \"{}\"", "x");
  {
    log::ContextScope scope(log::Context{"r-7"});
    log::Error("failed\nbadly");
    log::AccessFields a{.method = "GET",
                        .target = "/x?apikey=k",
                        .http_status = 404,
                        .status_code = 6,
                        .has_status_code = true,
                        .duration_ms = 0.5,
                        .user = "",
                        .remote = "127.0.0.1"};
    log::Access(a, "GET /x 404 6 0.50ms user=-");
  }
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 3u);
  json::object a = json::parse(lines[0]).as_object();
  EXPECT_EQ(a.at("level").as_string(), "info");
  EXPECT_EQ(a.at("message").as_string(), "start \"x\"");
  EXPECT_FALSE(a.contains("requestId"));
  EXPECT_FALSE(a.contains("method"));
  json::object b = json::parse(lines[1]).as_object();
  EXPECT_EQ(b.at("level").as_string(), "error");
  EXPECT_EQ(b.at("message").as_string(), "failed\nbadly");
  EXPECT_EQ(b.at("requestId").as_string(), "r-7");
  EXPECT_FALSE(b.contains("method"));
  json::object c = json::parse(lines[2]).as_object();
  EXPECT_EQ(c.at("path").as_string(), "/x?apikey=***");
  EXPECT_EQ(c.at("statusCode").as_int64(), 6);
  EXPECT_EQ(c.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(c.at("requestId").as_string(), "r-7");
  EXPECT_EQ(c.at("time").as_string().size(), 24u);
}

}  // namespace
}  // namespace workbind::app
