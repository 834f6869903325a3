#include "http/json_util.h"

#include <gtest/gtest.h>

namespace workbind::http {
namespace {

Request Body(std::string body, std::string content_type = "application/json") {
  HttpRequest raw;
  raw.method = "POST";
  raw.target = "/api/v2/me";
  raw.body = std::move(body);
  if (!content_type.empty())
    raw.headers.emplace_back("Content-Type", content_type);
  return Request(raw);
}

TEST(ParseBody, EmptyIsEmptyObject) {
  auto r = ParseBodyObject(Body(""));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
}

TEST(ParseBody, MalformedNamesOffset) {
  auto r = ParseBodyObject(Body("{\"operationName\":\"Accept\" \"x\":1}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().rfind("Malformed JSON at byte 26", 0), 0u)
      << r.status().message();
  auto t = ParseBodyObject(Body("{\"a\":"));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("byte 5"), std::string::npos)
      << t.status().message();
}

TEST(ParseBody, NonObjectAndContentType) {
  EXPECT_EQ(ParseBodyObject(Body("[1]")).status().message(),
            "Request body must be a JSON object");
  EXPECT_EQ(ParseBodyObject(Body("{}", "text/plain")).status().message(),
            "Content-Type must be application/json");
  EXPECT_TRUE(
      ParseBodyObject(Body("{}", "application/json; charset=utf-8")).ok());
  EXPECT_TRUE(ParseBodyObject(Body("{}", "application/vnd.x+json")).ok());
  EXPECT_FALSE(ParseBodyObject(Body("{}", "")).ok());
  EXPECT_FALSE(ParseBodyObject(Body("{\"a\":\"\xff\"}")).ok());
}

// Only a JSON media type lets a body through; none, text/plain and the form
// types (what a browser sends without a CORS preflight) are refused.
TEST(ParseBody, ContentTypeMustBeJson) {
  for (const char* ct :
       {"application/json", "Application/JSON",
        "application/json;charset=UTF-8", " application/json ; charset=utf-8",
        "application/vnd.x+json"}) {
    EXPECT_TRUE(IsJsonMediaType(ct)) << ct;
    EXPECT_TRUE(CheckJsonContentType(Body("", ct)).ok()) << ct;
  }
  for (const char* ct :
       {"", "text/plain", "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/jsonx", "application/+json", "text/json"}) {
    EXPECT_FALSE(IsJsonMediaType(ct)) << ct;
    Status st = CheckJsonContentType(Body("", ct));
    EXPECT_EQ(st.code(), Code::kUnsupportedMediaType) << ct;
    EXPECT_EQ(st.message(), "Content-Type must be application/json");
  }
}

TEST(ParseBody, DepthLimit) {
  std::string deep(33, '[');
  deep += std::string(33, ']');
  auto r = ParseBodyObject(Body("{\"a\":" + deep + "}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  std::string ok(30, '[');
  ok += std::string(30, ']');
  EXPECT_TRUE(ParseBodyObject(Body("{\"a\":" + ok + "}")).ok());
}

TEST(Fields, TypesAndAliases) {
  auto o =
      boost::json::parse(R"({"s":"x","b":"true","n":3,"arr":["a"],"bad":1})")
          .as_object();
  EXPECT_EQ(**GetString(o, "s"), "x");
  EXPECT_EQ(**GetBool(o, "b"), true);
  EXPECT_EQ(**GetInt(o, "n"), 3);
  EXPECT_EQ(**GetStringArray(o, "arr"), std::vector<std::string>{"a"});
  EXPECT_FALSE(GetString(o, "missing")->has_value());
  EXPECT_EQ(GetString(o, "bad").status().message(),
            "Field 'bad' must be a string");
  EXPECT_EQ(GetBool(o, "s").status().message(), "Field 's' must be a boolean");
  EXPECT_EQ(RequireString(o, "queueUri").status().code(),
            Code::kMissingParameter);
  EXPECT_EQ(RequireString(o, "queueUri").status().message(),
            "Missing required field 'queueUri'");
}

}  // namespace
}  // namespace workbind::http
