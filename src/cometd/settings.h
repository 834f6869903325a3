// BrokerSettings: the notifications.* settings of the CometD endpoint with
// their defaults, plus the few values the app copies in from other settings
// keys. ParseBrokerSettings reads the "notifications" object of the settings
// file. Plain value; thread-compatible.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace workbind::cometd {

inline constexpr std::string_view kWebSocket = "websocket";
inline constexpr std::string_view kLongPolling = "long-polling";
inline constexpr std::string_view kCallbackPolling = "callback-polling";

struct BrokerSettings {
  // notifications.transports: enabled transports, in the order advertised.
  std::vector<std::string> transports = {std::string(kWebSocket),
                                         std::string(kLongPolling)};
  int64_t timeout_ms = 30000;  // notifications.timeoutMs: connect hold time
  int64_t interval_ms = 0;     // notifications.intervalMs: advised pause
  int64_t max_interval_ms =
      10000;  // notifications.maxIntervalMs: expiry without connects
  int64_t max_queue =
      10000;  // notifications.maxQueue: undelivered events per session
  int64_t max_sessions_per_user =
      32;  // notifications.maxSessionsPerUser (0: no limit)
  int64_t max_sessions_per_browser =
      1;  // notifications.maxSessionsPerBrowser (<0: no limit)
  int64_t multi_session_interval_ms =
      2000;                           // notifications.multiSessionIntervalMs
  int64_t max_message_bytes = 65536;  // notifications.maxMessageBytes
  int64_t max_subscriptions_per_session =
      256;  // notifications.maxSubscriptionsPerSession
  std::vector<std::string>
      open_channels;  // notifications.openChannels (normalized)
  int duplicate_connect_http_status =
      500;  // notifications.duplicateConnectHttpStatus
  int64_t ws_idle_timeout_seconds =
      300;  // notifications.wsIdleTimeoutSeconds (transport)

  // Not under "notifications": set by the app.
  bool secure_cookies =
      false;  // auth.secureCookies: `Secure` on BAYEUX_BROWSER
  std::vector<std::string>
      cors_allowed_origins;      // http.cors.allowedOrigins (auth.md §5)
  std::string external_api_url;  // server.externalApiUrl (the own origin)
  int64_t touch_interval_ms =
      30000;  // least time between two TouchSession calls per session
  int64_t replay_subscribe_window_ms =
      30000;  // replay.subscribeWindowSeconds (extensions.md §2.4)

  bool TransportEnabled(std::string_view name) const;
};

// Reads the JSON object of the "notifications" settings key into `out`
// (keys absent from `obj` keep their value in `out`). Appends one line per
// problem to `errors`, each "settings: /notifications/<key>: <problem>":
// "unknown key", "must be an integer", "must be >= N", "must be 500-599",
// "must be an array of strings", an unknown transport, an invalid channel
// pattern, or an open channel overlapping /v2/**, /meta/** or /service/**.
// `out` is unspecified when errors were added.
void ParseBrokerSettings(const boost::json::object& obj, BrokerSettings* out,
                         std::vector<std::string>* errors);

// The "notifications" object as a settings file writes it: every key
// ParseBrokerSettings reads, in its order, with its value in `s`
// (`workbind config show`; the app derives from it which keys the
// environment may set). ParseBrokerSettings reads it back to `s`.
boost::json::object BrokerSettingsJson(const BrokerSettings& s);

}  // namespace workbind::cometd
