#include "cometd/request_decoding.h"

#include <gtest/gtest.h>

#include "http/error_mapping.h"

namespace workbind::cometd {
namespace {

HttpRequest Post(std::string content_type, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/api/v2/notifications";
  if (!content_type.empty())
    r.headers.emplace_back("Content-Type", content_type);
  r.body = std::move(body);
  return r;
}

TEST(RequestDecodingTest, PathAndQuery) {
  EXPECT_EQ(PathOf("/api/v2/notifications?message=x"), "/api/v2/notifications");
  EXPECT_EQ(QueryParam("/x?a=1&message=%5B%7B%7D%5D&jsonp=cb", "message"),
            "[{}]");
  EXPECT_EQ(QueryParam("/x?a=1+2", "a"), "1 2");
  EXPECT_FALSE(QueryParam("/x?a=1", "b"));
  EXPECT_FALSE(QueryParam("/x", "a"));
}

TEST(RequestDecodingTest, Cookies) {
  HttpRequest r;
  r.headers = {{"Cookie", "a=1; JSESSIONID=ABC; BAYEUX_BROWSER=\"b1\""},
               {"cookie", "JSESSIONID=DEF"}};
  EXPECT_EQ(CookieValues(r, "JSESSIONID"),
            (std::vector<std::string>{"ABC", "DEF"}));
  EXPECT_EQ(CookieValues(r, "BAYEUX_BROWSER"),
            (std::vector<std::string>{"b1"}));
  EXPECT_TRUE(CookieValues(r, "nope").empty());
}

TEST(RequestDecodingTest, BodyText) {
  EXPECT_EQ(ReadBodyText(Post("application/json;charset=UTF-8", "[1]")).text,
            "[1]");
  EXPECT_EQ(
      ReadBodyText(Post("application/json; charset=ISO-8859-1", "\"\xe9\""))
          .text,
      "\"\xc3\xa9\"");
  EXPECT_EQ(
      ReadBodyText(Post("application/json; charset=windows-1252", "\x80")).text,
      "\xe2\x82\xac");
  BodyText bad = ReadBodyText(Post("application/json; charset=klingon", "[]"));
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(http::MapError(*bad.error).http_status, 400);
  EXPECT_EQ(http::MapError(*bad.error).status_code, 10);
  EXPECT_TRUE(ReadBodyText(Post("text/html", "[]")).error);
}

// What a cross-site page can post without a CORS preflight is refused: no
// Content-Type, text/plain and the form types.
TEST(RequestDecodingTest, RefusesNonJsonMediaTypes) {
  for (const char* ct : {"", "text/plain", "text/plain;charset=UTF-8",
                         "application/x-www-form-urlencoded",
                         "multipart/form-data; boundary=b"}) {
    BodyText r = ReadBodyText(Post(ct, "message=%5B%5D"));
    ASSERT_TRUE(r.error) << ct;
    EXPECT_EQ(http::MapError(*r.error).http_status, 415) << ct;
    EXPECT_EQ(http::MapError(*r.error).status_code, 10) << ct;
    EXPECT_EQ(r.error->message(), "Content-Type must be application/json");
  }
  EXPECT_EQ(ReadBodyText(Post("text/json", "[1]")).text, "[1]");
  EXPECT_EQ(ReadBodyText(Post("application/vnd.x+json", "[1]")).text, "[1]");
}

}  // namespace
}  // namespace workbind::cometd
