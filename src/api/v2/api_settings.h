// ApiSettings: what the REST handlers read of the server's settings. The
// settings file fills it (app/settings.h, docs/configuration.md): the
// defaults below are the only ones. Plain value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace workbind::api {

struct ApiSettings {
  std::string external_api_url = "http://localhost:8090/api/v2";
  std::string reported_version = "8.5.200.0";
  std::string product_version;  // the build's version, set when loaded
  bool csrf = true;
  bool secure_cookies = false;
  std::string cookie_same_site = "Lax";
  std::vector<std::string> cors_allowed_origins;
  // The transport's limits (http.maxBodyBytes, http.maxHeaderBytes), copied
  // from net::ServerLimits when the settings are loaded.
  size_t max_body_bytes = 0;
  size_t max_header_bytes = 0;
  int64_t content_max_limit = 1000;  // content.maxLimit (extensions.md §1)
};

}  // namespace workbind::api
