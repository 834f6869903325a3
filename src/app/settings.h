// Settings: every server setting of the settings file (docs/configuration.md)
// with its default, and the loader that validates the whole file and the
// command-line overrides. Plain value.
#pragma once

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
  // server.trustedProxies (parsed): whose X-Forwarded-For/-Proto count.
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

// Command-line values that override the file (empty: not given).
struct Overrides {
  std::string config_path;
  std::string listen;
  std::string data_dir;
  std::string provision;
};

// Loads defaults, then the file (when given), then the overrides, then
// derives the settings that follow from others (the copies several modules
// read, the I/O thread count, reader connections). On any problem returns
// the lines to print ("settings: /http/maxBodyByte: unknown
// key"), having validated everything it could.
std::vector<std::string> LoadSettings(const Overrides& overrides,
                                      Settings* out);
// Validates settings given as JSON text (used by LoadSettings and tests).
std::vector<std::string> ParseSettingsJson(const std::string& text,
                                           Settings* out);

}  // namespace workbind::app
