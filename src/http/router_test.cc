#include "http/router.h"

#include <gtest/gtest.h>

#include "http/request.h"

namespace workbind::http {
namespace {

std::vector<std::string> Segs(const std::string& target) {
  HttpRequest raw;
  raw.method = "GET";
  raw.target = target;
  return Request(raw).segments();
}

TEST(Router, LiteralBeatsParameter) {
  Router r;
  r.Add("GET", "/api/v2/{userId}/workbins/{id}", 1);
  r.Add("GET", "/api/v2/users/{userId}", 2);
  r.Add("GET", "/api/v2/me/workbins/{id}", 3);
  r.Add("GET", "/api/v2/users/{userId}/workbins/{id}", 4);
  auto m = r.Find("GET", Segs("/api/v2/me/workbins/abc"));
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.route, 3u);
  m = r.Find("GET", Segs("/api/v2/u1/workbins/abc"));
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.route, 1u);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"userId", "u1"}));
  m = r.Find("GET", Segs("/api/v2/users/u1/workbins/w"));
  EXPECT_EQ(m.route, 4u);
}

TEST(Router, MethodNotAllowedListsMethods) {
  Router r;
  r.Add("GET", "/api/v2/me", 1);
  r.Add("POST", "/api/v2/me", 2);
  auto m = r.Find("PUT", Segs("/api/v2/me"));
  EXPECT_EQ(m.kind, Router::Match::kNoMethod);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));
  EXPECT_EQ(r.Find("GET", Segs("/api/v2/nope")).kind, Router::Match::kNoRoute);
}

TEST(Router, TrailingSlashAndDecoding) {
  Router r;
  r.Add("GET", "/api/v2/features/{id}", 1);
  auto m = r.Find("GET", Segs("/api/v2/features/a%20b/"));
  ASSERT_EQ(m.kind, Router::Match::kFound);
  EXPECT_EQ(m.params[0].second, "a b");
}

TEST(Request, MalformedSegmentsAreBad) {
  for (std::string t : {"/api/v2/users/%2F", "/api/v2/users/..",
                        "/api/v2/users/%00", "/api/v2/users/%FF"}) {
    HttpRequest raw;
    raw.target = t;
    EXPECT_TRUE(Request(raw).bad_path()) << t;
  }
  HttpRequest ok;
  ok.target = "/api/v2/users/x?fields=a,,b,a&subresources=*";
  Request req(ok);
  EXPECT_FALSE(req.bad_path());
  EXPECT_EQ(*req.QueryList("fields"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*req.Query("subresources"), "*");
  EXPECT_FALSE(req.Query("nope").has_value());
}

TEST(Request, Cookies) {
  HttpRequest raw;
  raw.target = "/";
  raw.headers = {{"Cookie", "a=1; JSESSIONID=ABC; BAYEUX_BROWSER=x"}};
  Request req(raw);
  EXPECT_EQ(req.Cookie("JSESSIONID"), "ABC");
  EXPECT_EQ(req.Cookie("a"), "1");
  EXPECT_FALSE(req.Cookie("b").has_value());
}

}  // namespace
}  // namespace workbind::http
