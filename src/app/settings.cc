#include "app/settings.h"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "app/settings_env.h"

namespace workbind::app {
namespace json = boost::json;
namespace {

// Every key the parser read and its value after the read, as
// (JSON pointer, value) in reading order.
using KeyRecord = std::vector<std::pair<std::string, json::value>>;

// Reads the keys of one settings object, recording a line per problem, and
// reports the keys it was never asked about as unknown.
//
// Adding a setting: one call of a typed reader (Int, Bool, String, ...) in
// ParseRoot, in the Section of its object. Each reader also records the key
// and its value after the read (`record`), so the same line makes the key
// known to the environment (WORKBIND_* variables, settings_env.h) and to
// `workbind config show` (SettingsToJson). Nested objects are entered with
// Section(parent, key) whether present or not: an absent object's keys keep
// their values and are recorded all the same.
class Section {
 public:
  // The root object; `record` may be null.
  Section(const json::object* obj, std::vector<std::string>* errors,
          KeyRecord* record)
      : obj_(obj), errors_(errors), record_(record) {}
  // The object `key` of `parent` (absent, or of the wrong type and
  // reported: no keys).
  Section(Section& parent, const std::string& key)
      : obj_(parent.Object(key)),
        pointer_(parent.Pointer(key)),
        errors_(parent.errors_),
        record_(parent.record_) {}
  ~Section() {
    if (!obj_) return;
    for (const auto& [k, v] : *obj_)
      if (!seen_.count(std::string(k))) Error(std::string(k), "unknown key");
  }

  void Int(const std::string& key, int* out, int64_t min, int64_t max) {
    ReadInt(key, out, min, max);
    Record(key, *out);
  }
  void Size(const std::string& key, size_t* out, int64_t min, int64_t max) {
    int x = static_cast<int>(*out);
    ReadInt(key, &x, min, max);
    *out = static_cast<size_t>(x);
    Record(key, *out);
  }
  void Bool(const std::string& key, bool* out) {
    const json::value* v = Get(key);
    if (v && !v->is_bool())
      Error(key, "must be a boolean");
    else if (v)
      *out = v->as_bool();
    Record(key, *out);
  }
  void String(const std::string& key, std::string* out) {
    ReadString(key, out);
    Record(key, json::string(*out));
  }
  void OneOf(const std::string& key, std::string* out,
             const std::vector<std::string>& values) {
    std::string x = *out;
    if (ReadString(key, &x)) {
      if (std::find(values.begin(), values.end(), x) != values.end()) {
        *out = x;
      } else {
        std::string list;
        for (const auto& v : values)
          list += (list.empty() ? "" : ", ") + ("\"" + v + "\"");
        Error(key, "must be one of " + list);
      }
    }
    Record(key, json::string(*out));
  }
  void StringList(const std::string& key, std::vector<std::string>* out) {
    const json::value* v = Get(key);
    bool ok = !v || v->is_array();
    if (v && ok)
      for (const auto& e : v->as_array()) ok = ok && e.is_string();
    if (!ok) {
      Error(key, "must be an array of strings");
    } else if (v) {
      out->clear();
      for (const auto& e : v->as_array()) out->emplace_back(e.as_string());
    }
    json::array a;
    for (const auto& e : *out) a.emplace_back(e);
    Record(key, std::move(a));
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
  // Records each key of the object `key`, read by a parser of its own.
  void RecordObject(const std::string& key, const json::object& keys) {
    if (!record_) return;
    for (const auto& [k, v] : keys)
      record_->emplace_back(Pointer(key) + "/" + std::string(k), v);
  }
  bool Has(const std::string& key) const { return obj_ && obj_->contains(key); }
  std::string Pointer(const std::string& key) const {
    return pointer_ + "/" + key;
  }
  void Error(const std::string& key, const std::string& what) {
    errors_->push_back("settings: " + Pointer(key) + ": " + what);
  }

 private:
  const json::value* Get(const std::string& key) {
    seen_.insert(key);
    return obj_ ? obj_->if_contains(key) : nullptr;
  }
  void ReadInt(const std::string& key, int* out, int64_t min, int64_t max) {
    const json::value* v = Get(key);
    if (!v) return;
    if (!v->is_int64() && !v->is_uint64())
      return Error(key, "must be an integer");
    if (v->is_uint64() && v->as_uint64() > uint64_t{INT64_MAX})
      return Error(
          key, "must be " + std::to_string(min) + "-" + std::to_string(max));
    int64_t x =
        v->is_int64() ? v->as_int64() : static_cast<int64_t>(v->as_uint64());
    if (x < min || x > max)
      return Error(
          key, "must be " + std::to_string(min) + "-" + std::to_string(max));
    *out = static_cast<int>(x);
  }
  // False when absent or not a string (reported).
  bool ReadString(const std::string& key, std::string* out) {
    const json::value* v = Get(key);
    if (!v) return false;
    if (!v->is_string()) {
      Error(key, "must be a string");
      return false;
    }
    *out = std::string(v->as_string());
    return true;
  }
  void Record(const std::string& key, json::value value) {
    if (record_) record_->emplace_back(Pointer(key), std::move(value));
  }

  const json::object* obj_;
  std::string pointer_;
  std::vector<std::string>* errors_;
  KeyRecord* record_;
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
               std::vector<std::string>* errors, KeyRecord* record) {
  Section top(&root, errors, record);
  {
    Section sec(top, "server");
    sec.String("listen", &s->listen);
    if (sec.Has("listen") && !ValidListen(s->listen))
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
    sec.String("adminListen", &s->admin_listen);
    if (!s->admin_listen.empty() && !ValidListen(s->admin_listen))
      sec.Error("adminListen", "must be host:port");
    {
      Section c(sec, "tls");
      c.String("certificateFile", &s->tls_certificate_file);
      c.String("privateKeyFile", &s->tls_private_key_file);
      if (s->tls_certificate_file.empty() && !s->tls_private_key_file.empty())
        c.Error("certificateFile", "required with /server/tls/privateKeyFile");
      if (!s->tls_certificate_file.empty() && s->tls_private_key_file.empty())
        c.Error("privateKeyFile", "required with /server/tls/certificateFile");
    }
    sec.StringList("trustedProxies", &s->trusted_proxy_list);
    auto trusted = TrustedProxies::Parse(s->trusted_proxy_list);
    if (trusted.ok())
      s->trusted_proxies = std::move(trusted).value();
    else
      sec.Error("trustedProxies", trusted.status().message());
  }
  {
    Section sec(top, "log");
    sec.OneOf("format", &s->log.format, {"text", "json"});
    sec.OneOf("level", &s->log.level,
              {"trace", "debug", "info", "warn", "error", "critical", "off"});
  }
  {
    Section sec(top, "http");
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
    {
      Section c(sec, "cors");
      c.StringList("allowedOrigins", &s->api.cors_allowed_origins);
    }
  }
  {
    Section sec(top, "auth");
    sec.Bool("csrf", &s->api.csrf);
    sec.Int("sessionIdleTimeoutSeconds", &s->auth.session_idle_timeout_seconds,
            1, 31536000);
    sec.Bool("secureCookies", &s->api.secure_cookies);
    sec.OneOf("cookieSameSite", &s->api.cookie_same_site,
              {"Lax", "Strict", "None"});
    if (s->api.cookie_same_site == "None" && !s->api.secure_cookies &&
        s->tls_certificate_file.empty())
      sec.Error("cookieSameSite", "\"None\" requires /auth/secureCookies true");
    sec.Int("maxSessionsPerUser", &s->auth.max_sessions_per_user, 1, 1000000);
    {
      Section c(sec, "argon2");
      c.Int("memoryKiB", &s->auth.argon2.memory_kib, 8, 4 * 1024 * 1024);
      c.Int("iterations", &s->auth.argon2.iterations, 1, 100);
      c.Int("parallelism", &s->auth.argon2.parallelism, 1, 1);
    }
    {
      Section c(sec, "throttle");
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
  {
    // The CometD endpoint reads its own keys; they are recorded from its
    // rendering of them.
    if (const json::object* o = top.Object("notifications"))
      cometd::ParseBrokerSettings(*o, &s->notifications, errors);
    top.RecordObject("notifications",
                     cometd::BrokerSettingsJson(s->notifications));
  }
  {
    Section sec(top, "replay");
    sec.Int("maxMessages", &s->replay_max_messages, 0, 10000000);
    sec.Int("maxAgeSeconds", &s->replay_max_age_seconds, 0, 31536000);
    sec.Int("subscribeWindowSeconds", &s->replay_subscribe_window_seconds, 0,
            3600);
  }
  {
    Section sec(top, "idempotency");
    sec.Int("ttlSeconds", &s->idempotency_ttl_seconds, 1, 31536000);
  }
  {
    Section sec(top, "content");
    int max_limit = static_cast<int>(s->api.content_max_limit);
    sec.Int("maxLimit", &max_limit, 1, 1000000);
    s->api.content_max_limit = max_limit;
  }
  {
    Section sec(top, "metrics");
    sec.Bool("enabled", &s->metrics_enabled);
  }
  {
    Section sec(top, "web");
    sec.Bool("enabled", &s->web_enabled);
    sec.String("root", &s->web_root);
  }
  {
    Section sec(top, "provisioning");
    sec.String("file", &s->provisioning_file);
    sec.Bool("prune", &s->provisioning_prune);
  }
  {
    Section sec(top, "storage");
    sec.OneOf("backend", &s->storage.backend, {"sqlite", "postgres"});
    sec.String("dataDir", &s->storage.data_dir);
    {
      Section c(sec, "sqlite");
      std::string sync = s->storage.sqlite_synchronous_full ? "full" : "normal";
      c.OneOf("synchronous", &sync, {"full", "normal"});
      s->storage.sqlite_synchronous_full = sync == "full";
    }
    {
      Section c(sec, "postgres");
      c.String("dsn", &s->storage.postgres_dsn);
      c.Int("poolSize", &s->storage.postgres_pool_size, 1, 1000);
      c.Int("pollMilliseconds", &s->storage.postgres_poll_ms, 10, 60000);
      c.Int("routingLeaseSeconds", &s->storage.postgres_routing_lease_seconds,
            1, 3600);
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
  // Under TLS every cookie is Secure.
  if (!s->tls_certificate_file.empty()) s->api.secure_cookies = true;
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

namespace {

// The settings text as a JSON object, or the lines of its problem.
std::optional<json::object> ParseText(const std::string& text,
                                      std::vector<std::string>* errors) {
  boost::system::error_code ec;
  // Comments (// and /* */) and trailing commas are allowed: the packaged
  // settings file explains each key beside it.
  json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  json::value v = json::parse(text, ec, {}, options);
  if (ec) {
    errors->push_back("settings: malformed JSON: " + ec.message());
    return std::nullopt;
  }
  if (!v.is_object()) {
    errors->push_back("settings: the settings file must hold a JSON object");
    return std::nullopt;
  }
  return std::move(v.as_object());
}

// "settings: <pointer>: <problem>" with the pointer's key named by the
// variable or flag that gave it, when one did.
std::string NameOrigin(const std::string& line,
                       const std::map<std::string, std::string>& origin) {
  const std::string prefix = "settings: ";
  size_t end = line.find(": ", prefix.size());
  if (line.compare(0, prefix.size(), prefix) != 0 || end == std::string::npos)
    return line;
  std::string pointer = line.substr(prefix.size(), end - prefix.size());
  for (const auto& [at, name] : origin)
    if (pointer == at || pointer.compare(0, at.size() + 1, at + "/") == 0)
      return prefix + name + pointer.substr(at.size()) + line.substr(end);
  return line;
}

}  // namespace

std::vector<std::string> ParseSettingsJson(const std::string& text,
                                           Settings* out) {
  std::vector<std::string> errors;
  std::optional<json::object> root = ParseText(text, &errors);
  if (!root) return errors;
  ParseRoot(*root, out, &errors, nullptr);
  Derive(out);
  return errors;
}

std::vector<std::string> LoadSettings(const Overrides& o, Settings* out) {
  std::vector<std::string> errors;
  json::object root;
  if (!o.config_path.empty()) {
    std::ifstream in(o.config_path, std::ios::binary);
    if (!in) {
      errors.push_back("settings: cannot read " + o.config_path);
      return errors;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    std::optional<json::object> file = ParseText(buf.str(), &errors);
    if (!file) return errors;
    root = std::move(*file);
  }
  // The environment, then the flags, over the file; the parser then checks
  // the whole as one file, and its lines name where a value came from.
  std::map<std::string, std::string> origin;
  errors = ApplyEnvironment(o.environment, SettingsToJson(Settings{}), &root,
                            &origin);
  struct Flag {
    const std::string& value;
    const char* pointer;
    const char* name;
  };
  for (const Flag& f : {Flag{o.listen, "/server/listen", "--listen"},
                        Flag{o.data_dir, "/storage/dataDir", "--data-dir"},
                        Flag{o.provision, "/provisioning/file", "--provision"}})
    if (!f.value.empty() &&
        SetAtPointer(&root, f.pointer, json::string(f.value)))
      origin[f.pointer] = f.name;
  std::vector<std::string> problems;
  ParseRoot(root, out, &problems, nullptr);
  Derive(out);
  for (const auto& p : problems) errors.push_back(NameOrigin(p, origin));
  return errors;
}

json::object SettingsToJson(const Settings& s) {
  // Reading an empty file over a copy records every key with its value.
  Settings copy = s;
  std::vector<std::string> errors;
  KeyRecord record;
  ParseRoot(json::object(), &copy, &errors, &record);
  json::object out;
  for (auto& [pointer, value] : record)
    SetAtPointer(&out, pointer, std::move(value));
  return out;
}

}  // namespace workbind::app
