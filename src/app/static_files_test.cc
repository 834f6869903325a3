// StaticFiles: path resolution inside web.root (no way out through dots,
// encoded separators, backslashes, empty segments or symbolic links), the
// content types, caching headers, the single-page-app fallback and the
// methods (conventions.md §1.1).
#include "app/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace workbind::app {
namespace {
namespace fs = std::filesystem;

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string HeaderOf(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("workbind-static-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    WriteFile(root_ / "index.html", "<!doctype html><title>console</title>");
    WriteFile(root_ / "assets" / "index-4f9c2a1b.js", "console.log(1)");
    WriteFile(root_ / "assets" / "index-77aa.css", "body{}");
    WriteFile(root_ / "favicon.svg", "<svg/>");
    WriteFile(root_ / "empty.txt", "");
    WriteFile(root_ / "data.bin", "\x01\x02");
    WriteFile(root_ / ".env", "SECRET=1");
    WriteFile(base_ / "outside" / "secret.txt", "top secret");
    fs::create_directories(root_ / "folder");
    fs::create_symlink(base_ / "outside" / "secret.txt", root_ / "leak.txt");
    fs::create_directory_symlink(base_ / "outside", root_ / "out");
    fs::create_symlink(root_ / "favicon.svg", root_ / "icon.svg");
  }
  void TearDown() override { fs::remove_all(base_); }

  HttpResponse Serve(const std::string& target,
                     const std::string& method = "GET") {
    StaticFiles files(root_.string());
    HttpRequest req;
    req.method = method;
    req.target = target;
    std::optional<HttpResponse> r = files.Serve(req);
    EXPECT_TRUE(r.has_value()) << target;
    return r ? *r : HttpResponse{};
  }

  fs::path base_, root_;
};

TEST_F(StaticFilesTest, ResolvesFilesInsideTheRoot) {
  StaticFiles files(root_.string());
  auto index = files.Resolve({});
  ASSERT_TRUE(index);
  EXPECT_EQ(index->filename(), "index.html");
  auto js = files.Resolve({"assets", "index-4f9c2a1b.js"});
  ASSERT_TRUE(js);
  EXPECT_EQ(*js, fs::canonical(root_ / "assets" / "index-4f9c2a1b.js"));
  // A link that stays inside the root is followed.
  auto icon = files.Resolve({"icon.svg"});
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->filename(), "favicon.svg");
  EXPECT_TRUE(files.Available());
}

TEST_F(StaticFilesTest, RefusesEverythingThatLeavesTheRoot) {
  StaticFiles files(root_.string());
  const std::vector<std::vector<std::string>> refused = {
      {".."},
      {"..", "outside", "secret.txt"},
      {"assets", "..", "..", "outside", "secret.txt"},
      {"."},
      {"", "etc", "passwd"},
      {"..\\outside\\secret.txt"},
      {"assets\\..\\index.html"},
      {"/etc/passwd"},
      {"..%2Foutside"},
      {"leak.txt"},
      {"out", "secret.txt"},
      {".env"},
      {"folder"},
      {"assets"},
      {"missing.js"},
      {std::string("index.html\0.js", 13)},
  };
  for (const auto& segments : refused) {
    std::string shown;
    for (const auto& s : segments) shown += "/" + s;
    EXPECT_FALSE(files.Resolve(segments)) << shown;
  }
}

TEST_F(StaticFilesTest, RootGivenRelativeOrMissing) {
  StaticFiles missing((base_ / "nowhere").string());
  EXPECT_FALSE(missing.Available());
  EXPECT_FALSE(missing.Resolve({"index.html"}));
  HttpRequest req;
  req.method = "GET";
  req.target = "/";
  // No console installed: the caller answers as for an unknown route.
  EXPECT_FALSE(missing.Serve(req).has_value());

  fs::path cwd = fs::current_path();
  fs::current_path(base_);
  StaticFiles relative("dist");
  EXPECT_TRUE(relative.Resolve({"favicon.svg"}));
  fs::current_path(cwd);
}

TEST_F(StaticFilesTest, IndexAtTheRootWithNoCache) {
  HttpResponse r = Serve("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>console</title>");
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "text/html;charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(HeaderOf(r, "ETag").empty());
  EXPECT_EQ(Serve("/index.html?x=1").body, r.body);
}

// The console is never framed, leaks no referrer and runs only its own
// scripts; the SPA fallback carries the same headers.
TEST_F(StaticFilesTest, SecurityHeaders) {
  for (const char* target : {"/", "/agent", "/assets/index-4f9c2a1b.js"}) {
    HttpResponse r = Serve(target);
    EXPECT_EQ(r.status, 200) << target;
    const std::string csp = HeaderOf(r, "Content-Security-Policy");
    for (const char* directive :
         {"default-src 'self'", "connect-src 'self' ws: wss:",
          "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"})
      EXPECT_NE(csp.find(directive), std::string::npos) << target << directive;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY") << target;
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "no-referrer") << target;
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff") << target;
  }
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutable) {
  HttpResponse js = Serve("/assets/index-4f9c2a1b.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(js, "Content-Type"), "text/javascript;charset=utf-8");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"),
            "public, max-age=31536000, immutable");
  HttpResponse css = Serve("/assets/index-77aa.css");
  EXPECT_EQ(HeaderOf(css, "Content-Type"), "text/css;charset=utf-8");
  HttpResponse svg = Serve("/favicon.svg");
  EXPECT_EQ(HeaderOf(svg, "Content-Type"), "image/svg+xml");
  EXPECT_EQ(HeaderOf(svg, "Cache-Control"), "no-cache");
  HttpResponse bin = Serve("/data.bin");
  EXPECT_EQ(HeaderOf(bin, "Content-Type"), "application/octet-stream");
  EXPECT_EQ(bin.body, std::string("\x01\x02"));
  HttpResponse empty = Serve("/empty.txt");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, "");
}

TEST_F(StaticFilesTest, ContentTypes) {
  EXPECT_EQ(StaticFiles::ContentTypeOf("a.HTML"), "text/html;charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeOf("a.mjs"),
            "text/javascript;charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeOf("f.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::ContentTypeOf("a.json"),
            "application/json;charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentTypeOf("README"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::ContentTypeOf(".bashrc"), "application/octet-stream");
}

TEST_F(StaticFilesTest, TraversalRequestsGetNotFound) {
  for (const char* target : {
           "/../outside/secret.txt",
           "/%2e%2e/outside/secret.txt",
           "/%2E%2E/%2E%2E/outside/secret.txt",
           "/assets/%2e%2e/%2e%2e/outside/secret.txt",
           "/..%2Foutside%2Fsecret.txt",
           "/%2Fetc%2Fpasswd",
           "/..%5Coutside%5Csecret.txt",
           "/..\\outside\\secret.txt",
           "/leak.txt",
           "/out/secret.txt",
           "/index.html%00.js",
           "/assets/missing.js",
       }) {
    HttpResponse r = Serve(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << target;
    EXPECT_NE(r.body.find("\"statusCode\":6"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, PathsWithoutExtensionFallBackToIndex) {
  // Names without an extension that are refused (dot-files, links out,
  // folders) get the index too, never what they name.
  for (const char* target : {"/agent", "/supervisor/team", "//etc/passwd",
                             "/out", "/folder", "/.env"}) {
    HttpResponse r = Serve(target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "<!doctype html><title>console</title>") << target;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << target;
  }
}

TEST_F(StaticFilesTest, MethodsAndRevalidation) {
  HttpResponse post = Serve("/", "POST");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(HeaderOf(post, "Allow"), "GET, HEAD");
  EXPECT_NE(post.body.find("\"statusCode\":3"), std::string::npos);
  EXPECT_EQ(Serve("/favicon.svg", "DELETE").status, 405);
  EXPECT_EQ(Serve("/", "OPTIONS").status, 200);
  HttpResponse head = Serve("/favicon.svg", "HEAD");
  EXPECT_EQ(head.status, 200);  // the transport drops the body of HEAD

  HttpResponse first = Serve("/favicon.svg");
  StaticFiles files(root_.string());
  HttpRequest again;
  again.method = "GET";
  again.target = "/favicon.svg";
  again.headers.emplace_back("If-None-Match", HeaderOf(first, "ETag"));
  std::optional<HttpResponse> r = files.Serve(again);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 304);
  EXPECT_EQ(r->body, "");
}

TEST(StaticFilesPaths, WhichPathsAreStatic) {
  EXPECT_TRUE(StaticFiles::IsStaticPath("/"));
  EXPECT_TRUE(StaticFiles::IsStaticPath("/assets/a.js"));
  EXPECT_TRUE(StaticFiles::IsStaticPath("/apix"));
  EXPECT_TRUE(StaticFiles::IsStaticPath("/metricsx"));
  EXPECT_FALSE(StaticFiles::IsStaticPath("/api"));
  EXPECT_FALSE(StaticFiles::IsStaticPath("/api/"));
  EXPECT_FALSE(StaticFiles::IsStaticPath("/api/v2/me"));
  EXPECT_FALSE(StaticFiles::IsStaticPath("/api/v2/notifications"));
  EXPECT_FALSE(StaticFiles::IsStaticPath("/metrics"));
  EXPECT_FALSE(StaticFiles::IsStaticPath("/healthz"));
  EXPECT_FALSE(StaticFiles::IsStaticPath("/readyz"));
}

}  // namespace
}  // namespace workbind::app
