#include "app/settings.h"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace workbind::app {
namespace json = boost::json;
namespace {

// Reads the keys of one settings object, recording a line per problem, and
// reports the keys it was never asked about as unknown.
class Section {
 public:
  Section(const json::object* obj, std::string pointer,
          std::vector<std::string>* errors)
      : obj_(obj), pointer_(std::move(pointer)), errors_(errors) {}
  ~Section() {
    if (!obj_) return;
    for (const auto& [k, v] : *obj_)
      if (!seen_.count(std::string(k))) Error(std::string(k), "unknown key");
  }

  const json::value* Get(const std::string& key) {
    seen_.insert(key);
    return obj_ ? obj_->if_contains(key) : nullptr;
  }
  void Int(const std::string& key, int* out, int64_t min, int64_t max) {
    const json::value* v = Get(key);
    if (!v) return;
    if (!v->is_int64() && !v->is_uint64())
      return Error(key, "must be an integer");
    int64_t x =
        v->is_int64() ? v->as_int64() : static_cast<int64_t>(v->as_uint64());
    if (x < min || x > max)
      return Error(
          key, "must be " + std::to_string(min) + "-" + std::to_string(max));
    *out = static_cast<int>(x);
  }
  void Size(const std::string& key, size_t* out, int64_t min, int64_t max) {
    int x = static_cast<int>(*out);
    Int(key, &x, min, max);
    *out = static_cast<size_t>(x);
  }
  void Bool(const std::string& key, bool* out) {
    const json::value* v = Get(key);
    if (!v) return;
    if (!v->is_bool()) return Error(key, "must be a boolean");
    *out = v->as_bool();
  }
  void String(const std::string& key, std::string* out) {
    const json::value* v = Get(key);
    if (!v) return;
    if (!v->is_string()) return Error(key, "must be a string");
    *out = std::string(v->as_string());
  }
  void OneOf(const std::string& key, std::string* out,
             const std::vector<std::string>& values) {
    std::string x = *out;
    size_t before = errors_->size();
    String(key, &x);
    if (errors_->size() != before) return;
    for (const auto& v : values)
      if (v == x) {
        *out = x;
        return;
      }
    std::string list;
    for (const auto& v : values)
      list += (list.empty() ? "" : ", ") + ("\"" + v + "\"");
    Error(key, "must be one of " + list);
  }
  void StringList(const std::string& key, std::vector<std::string>* out) {
    const json::value* v = Get(key);
    if (!v) return;
    if (!v->is_array()) return Error(key, "must be an array of strings");
    std::vector<std::string> list;
    for (const auto& e : v->as_array()) {
      if (!e.is_string()) return Error(key, "must be an array of strings");
      list.emplace_back(e.as_string());
    }
    *out = std::move(list);
  }
  // A nested object; nullptr (with an error) when of the wrong type.
  const json::object* Object(const std::string& key) {
    const json::value* v = Get(key);
    if (!v) return nullptr;
    if (!v->is_object()) {
      Error(key, "must be an object");
      return nullptr;
    }
    return &v->as_object();
  }
  std::string Pointer(const std::string& key) const {
    return pointer_ + "/" + key;
  }
  void Error(const std::string& key, const std::string& what) {
    errors_->push_back("settings: " + Pointer(key) + ": " + what);
  }

 private:
  const json::object* obj_;
  std::string pointer_;
  std::vector<std::string>* errors_;
  std::set<std::string> seen_;
};

bool ValidListen(const std::string& s) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size())
    return false;
  // More than five digits is out of range (and would overflow the parse).
  if (s.size() - colon - 1 > 5) return false;
  for (size_t i = colon + 1; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return std::stol(s.substr(colon + 1)) <= 65535;
}

void ParseRoot(const json::object& root, Settings* s,
               std::vector<std::string>* errors) {
  Section top(&root, "", errors);
  {
    const json::object* o = top.Object("server");
    Section sec(o, "/server", errors);
    sec.String("listen", &s->listen);
    if (o && o->contains("listen") && !ValidListen(s->listen))
      sec.Error("listen", "must be host:port");
    sec.String("externalApiUrl", &s->api.external_api_url);
    if (s->api.external_api_url.size() < 7 ||
        s->api.external_api_url.substr(s->api.external_api_url.size() - 7) !=
            "/api/v2")
      sec.Error("externalApiUrl", "must end in /api/v2");
    sec.String("timeZone", &s->time_zone);
    sec.String("reportedVersion", &s->api.reported_version);
    sec.Int("ioThreads", &s->io_threads, 1, 256);
    sec.Int("workerThreads", &s->worker_threads, 1, 1024);
    sec.Int("shutdownGraceSeconds", &s->shutdown_grace_seconds, 0, 3600);
    std::vector<std::string> proxies;
    sec.StringList("trustedProxies", &proxies);
    auto trusted = TrustedProxies::Parse(proxies);
    if (trusted.ok())
      s->trusted_proxies = std::move(trusted).value();
    else
      sec.Error("trustedProxies", trusted.status().message());
  }
  {
    const json::object* o = top.Object("log");
    Section sec(o, "/log", errors);
    sec.OneOf("format", &s->log.format, {"text", "json"});
    sec.OneOf("level", &s->log.level,
              {"trace", "debug", "info", "warn", "error", "critical", "off"});
  }
  {
    const json::object* o = top.Object("http");
    Section sec(o, "/http", errors);
    auto& l = s->limits;
    sec.Size("maxBodyBytes", &l.max_body_bytes, 1024, 1 << 30);
    sec.Size("maxHeaderBytes", &l.max_header_bytes, 1024, 1 << 20);
    sec.Int("headerTimeoutSeconds", &l.header_timeout_seconds, 1, 3600);
    sec.Int("readTimeoutSeconds", &l.read_timeout_seconds, 1, 3600);
    sec.Int("writeTimeoutSeconds", &l.write_timeout_seconds, 1, 3600);
    sec.Int("idleTimeoutSeconds", &l.idle_timeout_seconds, 1, 86400);
    sec.Int("maxPipelinedRequests", &l.max_pipelined_requests, 1, 1024);
    sec.Size("maxPendingResponseBytes", &l.max_pending_response_bytes, 65536,
             1 << 30);
    sec.Int("maxConnections", &l.max_connections, 1, 1000000);
    if (const json::object* cors = sec.Object("cors")) {
      Section c(cors, "/http/cors", errors);
      c.StringList("allowedOrigins", &s->api.cors_allowed_origins);
    }
  }
  {
    const json::object* o = top.Object("auth");
    Section sec(o, "/auth", errors);
    sec.Bool("csrf", &s->api.csrf);
    sec.Int("sessionIdleTimeoutSeconds", &s->auth.session_idle_timeout_seconds,
            1, 31536000);
    sec.Bool("secureCookies", &s->api.secure_cookies);
    sec.OneOf("cookieSameSite", &s->api.cookie_same_site,
              {"Lax", "Strict", "None"});
    if (s->api.cookie_same_site == "None" && !s->api.secure_cookies)
      sec.Error("cookieSameSite", "\"None\" requires /auth/secureCookies true");
    sec.Int("maxSessionsPerUser", &s->auth.max_sessions_per_user, 1, 1000000);
    if (const json::object* a = sec.Object("argon2")) {
      Section c(a, "/auth/argon2", errors);
      c.Int("memoryKiB", &s->auth.argon2.memory_kib, 8, 4 * 1024 * 1024);
      c.Int("iterations", &s->auth.argon2.iterations, 1, 100);
      c.Int("parallelism", &s->auth.argon2.parallelism, 1, 1);
    }
    if (const json::object* t = sec.Object("throttle")) {
      Section c(t, "/auth/throttle", errors);
      auto& th = s->auth.throttle;
      c.Int("maxFailures", &th.max_failures, 1, 1000000);
      c.Int("maxFailuresPerAddress", &th.max_failures_per_address, 1, 1000000);
      c.Int("windowSeconds", &th.window_seconds, 1, 86400);
      c.Int("lockoutSeconds", &th.lockout_seconds, 1, 86400);
      c.Int("maxLockoutSeconds", &th.max_lockout_seconds, 1, 86400);
      if (th.max_lockout_seconds < th.lockout_seconds)
        c.Error("maxLockoutSeconds",
                "must be at least /auth/throttle/lockoutSeconds");
    }
  }
  if (const json::object* o = top.Object("notifications")) {
    cometd::ParseBrokerSettings(*o, &s->notifications, errors);
  }
  {
    const json::object* o = top.Object("replay");
    Section sec(o, "/replay", errors);
    sec.Int("maxMessages", &s->replay_max_messages, 0, 10000000);
    sec.Int("maxAgeSeconds", &s->replay_max_age_seconds, 0, 31536000);
    sec.Int("subscribeWindowSeconds", &s->replay_subscribe_window_seconds, 0,
            3600);
  }
  {
    const json::object* o = top.Object("idempotency");
    Section sec(o, "/idempotency", errors);
    sec.Int("ttlSeconds", &s->idempotency_ttl_seconds, 1, 31536000);
  }
  {
    const json::object* o = top.Object("content");
    Section sec(o, "/content", errors);
    int max_limit = static_cast<int>(s->api.content_max_limit);
    sec.Int("maxLimit", &max_limit, 1, 1000000);
    s->api.content_max_limit = max_limit;
  }
  {
    const json::object* o = top.Object("metrics");
    Section sec(o, "/metrics", errors);
    sec.Bool("enabled", &s->metrics_enabled);
  }
  {
    const json::object* o = top.Object("web");
    Section sec(o, "/web", errors);
    sec.Bool("enabled", &s->web_enabled);
    sec.String("root", &s->web_root);
  }
  {
    const json::object* o = top.Object("provisioning");
    Section sec(o, "/provisioning", errors);
    sec.String("file", &s->provisioning_file);
    sec.Bool("prune", &s->provisioning_prune);
  }
  {
    const json::object* o = top.Object("storage");
    Section sec(o, "/storage", errors);
    sec.OneOf("backend", &s->storage.backend, {"sqlite", "postgres"});
    sec.String("dataDir", &s->storage.data_dir);
    if (const json::object* q = sec.Object("sqlite")) {
      Section c(q, "/storage/sqlite", errors);
      std::string sync = s->storage.sqlite_synchronous_full ? "full" : "normal";
      c.OneOf("synchronous", &sync, {"full", "normal"});
      s->storage.sqlite_synchronous_full = sync == "full";
    }
    if (const json::object* q = sec.Object("postgres")) {
      Section c(q, "/storage/postgres", errors);
      c.String("dsn", &s->storage.postgres_dsn);
      c.Int("poolSize", &s->storage.postgres_pool_size, 1, 1000);
      c.Int("pollMilliseconds", &s->storage.postgres_poll_ms, 10, 60000);
    }
    if (s->storage.backend == "postgres" && s->storage.postgres_dsn.empty())
      errors->push_back(
          "settings: /storage/postgres/dsn: required with backend "
          "\"postgres\"");
  }
}

// Copies the settings that more than one module reads, and fills in those
// that follow from others.
void Derive(Settings* s) {
  s->notifications.secure_cookies = s->api.secure_cookies;
  s->notifications.cors_allowed_origins = s->api.cors_allowed_origins;
  s->notifications.external_api_url = s->api.external_api_url;
  s->api.max_body_bytes = s->limits.max_body_bytes;
  s->api.max_header_bytes = s->limits.max_header_bytes;
  s->api.product_version = WORKBIND_VERSION;
  if (s->io_threads <= 0)
    s->io_threads =
        static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // A SQLite read runs on the request's I/O thread: one reader connection
  // each, plus some for the tickers and workers, so that none waits.
  s->storage.read_connections =
      std::max(s->storage.read_connections, s->io_threads + 2);
  s->notifications.replay_subscribe_window_ms =
      int64_t{s->replay_subscribe_window_seconds} * 1000;
  // Bayeux traffic keeps the HTTP session alive: touch well within its timeout.
  s->notifications.touch_interval_ms = std::min<int64_t>(
      30000, int64_t{s->auth.session_idle_timeout_seconds} * 1000 / 4);
  s->limits.ws_idle_timeout_seconds =
      static_cast<int>(s->notifications.ws_idle_timeout_seconds);
  s->limits.ws_max_message_bytes =
      static_cast<size_t>(s->notifications.max_message_bytes);
}

}  // namespace

std::vector<std::string> ParseSettingsJson(const std::string& text,
                                           Settings* out) {
  std::vector<std::string> errors;
  boost::system::error_code ec;
  // Comments (// and /* */) and trailing commas are allowed: the packaged
  // settings file explains each key beside it.
  json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  json::value v = json::parse(text, ec, {}, options);
  if (ec) {
    errors.push_back("settings: malformed JSON: " + ec.message());
    return errors;
  }
  if (!v.is_object()) {
    errors.push_back("settings: the settings file must hold a JSON object");
    return errors;
  }
  ParseRoot(v.as_object(), out, &errors);
  Derive(out);
  return errors;
}

std::vector<std::string> LoadSettings(const Overrides& o, Settings* out) {
  std::vector<std::string> errors;
  if (!o.config_path.empty()) {
    std::ifstream in(o.config_path, std::ios::binary);
    if (!in) {
      errors.push_back("settings: cannot read " + o.config_path);
      return errors;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    errors = ParseSettingsJson(buf.str(), out);
  }
  if (!o.listen.empty()) {
    if (ValidListen(o.listen))
      out->listen = o.listen;
    else
      errors.push_back("settings: --listen: must be host:port");
  }
  if (!o.data_dir.empty()) out->storage.data_dir = o.data_dir;
  if (!o.provision.empty()) out->provisioning_file = o.provision;
  Derive(out);
  return errors;
}

}  // namespace workbind::app
