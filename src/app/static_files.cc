#include "app/static_files.h"

#include <array>
#include <fstream>
#include <sstream>
#include <system_error>

#include "http/error_mapping.h"
#include "http/request.h"

namespace workbind::app {
namespace fs = std::filesystem;
namespace {

struct TypeOf {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array<TypeOf, 20> kTypes{{
    {"html", "text/html;charset=utf-8"},
    {"js", "text/javascript;charset=utf-8"},
    {"mjs", "text/javascript;charset=utf-8"},
    {"css", "text/css;charset=utf-8"},
    {"json", "application/json;charset=utf-8"},
    {"map", "application/json;charset=utf-8"},
    {"webmanifest", "application/manifest+json;charset=utf-8"},
    {"txt", "text/plain;charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"wasm", "application/wasm"},
    {"xml", "application/xml;charset=utf-8"},
}};

// A decoded segment that may name something inside the root. http::Request
// already refuses '.', '..', '/' and NUL; empty segments ("//"), backslashes
// and dot-files are refused here.
bool SegmentAllowed(const std::string& s) {
  return !s.empty() && s.front() != '.' && s.find('\\') == std::string::npos &&
         s.find('/') == std::string::npos && s.find('\0') == std::string::npos;
}

// True when `inner` is `outer` or lies below it (both canonical).
bool Inside(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end(); ++o, ++i)
    if (i == inner.end() || *o != *i) return false;
  return true;
}

std::string ExtensionOf(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(name.substr(dot + 1));
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return ext;
}

// The console's content security policy: its own scripts, styles, images and
// fonts only (Vite emits no inline script), API calls to its own origin and
// the CometD WebSocket, never framed (clickjacking), no <base>, no plugins,
// forms posting to itself only. The CometD client runs its timers in a
// worker made from a blob: URL (timers of a background tab are throttled,
// a worker's are not), hence worker-src blob:.
constexpr std::string_view kConsolePolicy =
    "default-src 'self'; connect-src 'self' ws: wss:; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; "
    "form-action 'self'";

HttpResponse NoSuchResource(const std::string& path) {
  return http::ErrorResponse(NotFound("No such resource: " + path));
}

}  // namespace

std::string StaticFiles::DefaultRoot() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "web/dist";
  return (exe.parent_path() / "web" / "dist").string();
}

bool StaticFiles::IsStaticPath(std::string_view path) {
  if (path == "/api" || path.substr(0, 5) == "/api/") return false;
  return path != "/metrics" && path != "/healthz" && path != "/readyz";
}

std::string StaticFiles::ContentTypeOf(std::string_view file_name) {
  std::string ext = ExtensionOf(file_name);
  for (const auto& t : kTypes)
    if (t.extension == ext) return std::string(t.type);
  return "application/octet-stream";
}

std::optional<fs::path> StaticFiles::Resolve(
    const std::vector<std::string>& segments) const {
  std::error_code ec;
  fs::path root = fs::canonical(root_, ec);
  if (ec) return std::nullopt;
  fs::path p = root;
  if (segments.empty()) p /= "index.html";
  for (const auto& s : segments) {
    if (!SegmentAllowed(s)) return std::nullopt;
    p /= s;
  }
  fs::path real = fs::canonical(p, ec);
  if (ec || !Inside(root, real) || real == root) return std::nullopt;
  if (!fs::is_regular_file(real, ec) || ec) return std::nullopt;
  return real;
}

bool StaticFiles::Available() const { return Resolve({}).has_value(); }

std::optional<HttpResponse> StaticFiles::Serve(
    const HttpRequest& request) const {
  std::optional<fs::path> index = Resolve({});
  if (!index) return std::nullopt;
  http::Request req(request);
  if (request.method == "OPTIONS") {
    HttpResponse r = http::JsonResponse({});
    r.SetHeader("Allow", "GET, HEAD");
    return r;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse r = http::ErrorResponse(
        Status(Code::kMethodNotAllowed,
               "Method " + request.method + " not allowed on " + req.path()));
    r.SetHeader("Allow", "GET, HEAD");
    return r;
  }
  if (req.bad_path()) return NoSuchResource(req.path());
  const auto& segments = req.segments();
  if (std::optional<fs::path> file = Resolve(segments)) {
    bool immutable = segments.size() > 1 && segments.front() == "assets";
    return FileReply(request, *file, immutable);
  }
  // The console's own routes ("/agent", "/supervisor/team") get index.html;
  // a missing file ("/assets/gone.js") does not.
  if (segments.empty() || ExtensionOf(segments.back()).empty())
    return FileReply(request, *index, false);
  return NoSuchResource(req.path());
}

HttpResponse StaticFiles::FileReply(const HttpRequest& request,
                                    const fs::path& file,
                                    bool immutable) const {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  auto mtime = fs::last_write_time(file, ec);
  std::ostringstream tag;
  tag << '"' << std::hex << size << '-' << mtime.time_since_epoch().count()
      << '"';
  std::string etag = tag.str();

  HttpResponse r;
  r.SetHeader("Cache-Control",
              immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.SetHeader("ETag", etag);
  r.SetHeader("X-Content-Type-Options", "nosniff");
  r.SetHeader("Content-Security-Policy", std::string(kConsolePolicy));
  r.SetHeader("X-Frame-Options", "DENY");
  r.SetHeader("Referrer-Policy", "no-referrer");
  if (request.Header("If-None-Match") == etag) {
    r.status = 304;
    return r;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return http::ErrorResponse(
        Status(Code::kInternal, "Cannot read " + file.filename().string()));
  }
  std::ostringstream body;
  if (size > 0) body << in.rdbuf();
  r.status = 200;
  r.body = body.str();
  r.SetHeader("Content-Type", ContentTypeOf(file.filename().string()));
  return r;
}

}  // namespace workbind::app
