// The line formats of the process's log (log.format): "text", spdlog's
// default line with " req=<id>" at the end of a request's lines, and "json",
// one JSON object per line for log shippers (operations.md, Logs). Pure
// functions over plain values; app/logging.cc calls them from its spdlog
// formatters. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/log.h"

namespace workbind::app {

// The log.* settings.
struct LogSettings {
  std::string format = "text";  // "text" or "json"
  std::string level = "info";   // trace, debug, info, warn, error, critical,
                                // off
};

// Appends `s` as a JSON string (quotes included): `"` `\` and control
// characters escaped, valid UTF-8 copied, each byte of an invalid UTF-8
// sequence written as U+FFFD, so that the line is always valid JSON.
void AppendJsonString(std::string_view s, std::string* out);

// Appends `t` as RFC 3339 UTC with milliseconds: 2024-05-02T08:15:03.042Z.
void AppendRfc3339Millis(std::chrono::system_clock::time_point t,
                         std::string* out);

// Whether a query parameter's name names a secret (its value is then
// scrubbed from logs). Compared ASCII case-insensitively after
// percent-decoding, with '-' and '_' ignored: password, passwd, pwd, pass,
// secret, token, key, apikey, auth, authorization, code, session, sessionid,
// jsessionid, csrf, signature, sig, credential(s); and any name ending in
// password, secret, token or key (access_token, client_secret, x-api-key).
bool IsSecretParameter(std::string_view name);

// `target` (path and query) with the value of every secret query parameter
// replaced by "***": "/a?token=x&b=1" -> "/a?token=***&b=1".
std::string ScrubTarget(std::string_view target);

// One JSON log line, without its newline. `access` null: not an access
// line; `request_id` empty: not a request's line.
struct JsonLine {
  std::chrono::system_clock::time_point time;
  std::string_view level;  // "info", "warn", ...
  std::string_view message;
  std::string_view request_id;
  const log::AccessFields* access = nullptr;
};

// Appends {"time","level","message"[,"method","path","status",
// "statusCode","durationMs","user","remote"][,"requestId"]}.
void AppendJsonLine(const JsonLine& line, std::string* out);

}  // namespace workbind::app
