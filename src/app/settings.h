// Settings: every server setting of the settings file (docs/configuration.md)
// with its default, and the loader that validates the whole file and the
// command-line overrides. Plain value.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/v2/api_settings.h"
#include "app/log_format.h"
#include "app/trusted_proxies.h"
#include "cometd/settings.h"
#include "domain/directory/auth_service.h"
#include "net/server_limits.h"
#include "storage/store.h"

namespace workbind::app {

struct Settings {
  // server.*
  std::string listen = "127.0.0.1:8090";
  std::string time_zone = "UTC";
  int io_threads = 0;       // 0 in the file: number of CPU cores (derived)
  int worker_threads = 32;  // blocking request work (storage)
  int shutdown_grace_seconds = 10;
  // server.tls.*: PEM files, both or neither (empty: plain HTTP). With TLS
  // the cookies are Secure (derived: api and notifications secure_cookies).
  std::string tls_certificate_file;
  std::string tls_private_key_file;
  // server.adminListen: a plain-HTTP listener for /healthz, /readyz and
  // /metrics only (empty: none).
  std::string admin_listen;
  // server.trustedProxies: as written, and parsed: whose
  // X-Forwarded-For/-Proto count.
  std::vector<std::string> trusted_proxy_list;
  TrustedProxies trusted_proxies;
  // log.*: the line format and level.
  LogSettings log;
  // http.*
  net::ServerLimits limits;
  // What the REST handlers read: server.externalApiUrl and reportedVersion,
  // http.cors.allowedOrigins, auth.csrf, secureCookies and cookieSameSite,
  // content.maxLimit; derived: the HTTP limits and the product version.
  api::ApiSettings api;
  // auth.*
  domain::AuthSettings auth;
  // notifications.*
  cometd::BrokerSettings notifications;
  // replay.*, idempotency.*, content.*, metrics.*, web.*
  int replay_max_messages = 10000;
  int replay_max_age_seconds = 3600;
  int replay_subscribe_window_seconds = 30;
  int idempotency_ttl_seconds = 86400;
  bool metrics_enabled = true;
  bool web_enabled = true;
  std::string web_root;  // empty: web/dist next to the binary
  // provisioning.*
  std::string provisioning_file;
  bool provisioning_prune = false;
  // storage.* (derived: at least one reader connection per I/O thread)
  storage::StoreOptions storage;
};

// What overrides the defaults besides the file: the WORKBIND_* variables and
// the command-line values (empty: not given).
struct Overrides {
  std::string config_path;
  std::string listen;
  std::string data_dir;
  std::string provision;
  // WORKBIND_* name -> value (main: WorkbindEnvironment(), settings_env.h).
  std::map<std::string, std::string> environment;
};

// Loads the defaults, then the file (when given), the environment over it,
// the command-line values over that (flags > environment > file >
// defaults), validates the result like a file, then derives the settings
// that follow from others (the copies several modules read, the I/O thread
// count, reader connections). On any problem returns the lines to print,
// naming the key as a JSON pointer, or the variable or flag that gave it
// ("settings: /http/maxBodyByte: unknown key", "settings:
// WORKBIND_HTTP_MAX_BODY_BYTES: must be 1024-1073741824", "settings:
// --listen: must be host:port"), having validated everything it could.
std::vector<std::string> LoadSettings(const Overrides& overrides,
                                      Settings* out);

// Every settings key, in the shape of the settings file, with its value in
// `s` (after loading: the effective value; a derived key such as
// server.ioThreads shows what it was resolved to). What `workbind config
// show` prints, and the list of keys the environment may set. Reading it back
// as a settings file gives the same settings.
boost::json::object SettingsToJson(const Settings& s);
// Validates settings given as JSON text (used by LoadSettings and tests).
std::vector<std::string> ParseSettingsJson(const std::string& text,
                                           Settings* out);

}  // namespace workbind::app
