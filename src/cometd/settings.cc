#include "cometd/settings.h"

#include <algorithm>
#include <functional>
#include <map>

#include "cometd/channel.h"

namespace workbind::cometd {
namespace json = boost::json;
namespace {

constexpr std::string_view kReservedPatterns[] = {"/v2/**", "/meta/**",
                                                  "/service/**"};

std::string Where(std::string_view key) {
  return "settings: /notifications/" + std::string(key) + ": ";
}

constexpr int64_t kNoMax = INT64_MAX;

// Reads an integer in [lo, hi].
bool ReadInt(std::string_view key, const json::value& v, int64_t lo, int64_t hi,
             int64_t* out, std::vector<std::string>* errors) {
  int64_t n;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<uint64_t>(INT64_MAX)) {
      errors->push_back(Where(key) + "out of range");
      return false;
    }
    n = static_cast<int64_t>(v.get_uint64());
  } else {
    errors->push_back(Where(key) + "must be an integer");
    return false;
  }
  if (n < lo || n > hi) {
    errors->push_back(Where(key) + (hi == kNoMax
                                        ? "must be >= " + std::to_string(lo)
                                        : "must be " + std::to_string(lo) +
                                              "-" + std::to_string(hi)));
    return false;
  }
  *out = n;
  return true;
}

bool ReadStrings(std::string_view key, const json::value& v,
                 std::vector<std::string>* out,
                 std::vector<std::string>* errors) {
  const json::array* a = v.if_array();
  bool ok = a != nullptr;
  if (ok)
    for (const auto& e : *a) ok = ok && e.is_string();
  if (!ok) {
    errors->push_back(Where(key) + "must be an array of strings");
    return false;
  }
  out->clear();
  for (const auto& e : *a) out->emplace_back(e.get_string());
  return true;
}

void ReadTransports(const json::value& v, BrokerSettings* s,
                    std::vector<std::string>* errors) {
  std::vector<std::string> list;
  if (!ReadStrings("transports", v, &list, errors)) return;
  if (list.empty()) {
    errors->push_back(Where("transports") + "must name at least one transport");
    return;
  }
  bool ok = true;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string& t = list[i];
    if (t != kWebSocket && t != kLongPolling && t != kCallbackPolling) {
      errors->push_back(
          Where("transports/" + std::to_string(i)) +
          "must be \"websocket\", \"long-polling\" or \"callback-polling\"");
      ok = false;
    }
  }
  if (!ok) return;
  list.erase(std::unique(list.begin(), list.end()), list.end());
  s->transports = std::move(list);
}

void ReadOpenChannels(const json::value& v, BrokerSettings* s,
                      std::vector<std::string>* errors) {
  std::vector<std::string> list;
  if (!ReadStrings("openChannels", v, &list, errors)) return;
  std::vector<std::string> normalized;
  bool ok = true;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string key = "openChannels/" + std::to_string(i);
    auto name = NormalizeChannel(list[i]);
    if (!name) {
      errors->push_back(Where(key) + "invalid channel pattern");
      ok = false;
      continue;
    }
    bool reserved = false;
    for (std::string_view r : kReservedPatterns)
      reserved = reserved || PatternsOverlap(*name, r);
    // "/v2", "/meta" and "/service" themselves belong to the reserved spaces
    // too.
    std::string_view first = FirstSegment(*name);
    reserved =
        reserved || first == "v2" || first == "meta" || first == "service";
    if (reserved) {
      errors->push_back(Where(key) +
                        "must not overlap /v2/**, /meta/** or /service/**");
      ok = false;
      continue;
    }
    normalized.push_back(std::move(*name));
  }
  if (ok) s->open_channels = std::move(normalized);
}

}  // namespace

bool BrokerSettings::TransportEnabled(std::string_view name) const {
  return std::find(transports.begin(), transports.end(), name) !=
         transports.end();
}

void ParseBrokerSettings(const json::object& obj, BrokerSettings* out,
                         std::vector<std::string>* errors) {
  using IntField = std::function<void(const json::value&)>;
  auto int_field = [&](std::string_view key, int64_t lo, int64_t hi,
                       int64_t* dst) -> IntField {
    return [=](const json::value& v) { ReadInt(key, v, lo, hi, dst, errors); };
  };
  int64_t dup_status = out->duplicate_connect_http_status;
  const std::map<std::string_view, IntField> fields = {
      {"transports",
       [&](const json::value& v) { ReadTransports(v, out, errors); }},
      {"timeoutMs", int_field("timeoutMs", 0, kNoMax, &out->timeout_ms)},
      {"intervalMs", int_field("intervalMs", 0, kNoMax, &out->interval_ms)},
      {"maxIntervalMs",
       int_field("maxIntervalMs", 0, kNoMax, &out->max_interval_ms)},
      {"maxQueue", int_field("maxQueue", 1, kNoMax, &out->max_queue)},
      {"maxSessionsPerUser",
       int_field("maxSessionsPerUser", 0, kNoMax, &out->max_sessions_per_user)},
      {"maxSessionsPerBrowser",
       int_field("maxSessionsPerBrowser", INT64_MIN, kNoMax,
                 &out->max_sessions_per_browser)},
      {"multiSessionIntervalMs",
       int_field("multiSessionIntervalMs", INT64_MIN, kNoMax,
                 &out->multi_session_interval_ms)},
      {"maxMessageBytes",
       int_field("maxMessageBytes", 1024, kNoMax, &out->max_message_bytes)},
      {"maxSubscriptionsPerSession",
       int_field("maxSubscriptionsPerSession", 1, kNoMax,
                 &out->max_subscriptions_per_session)},
      {"openChannels",
       [&](const json::value& v) { ReadOpenChannels(v, out, errors); }},
      {"duplicateConnectHttpStatus",
       int_field("duplicateConnectHttpStatus", 500, 599, &dup_status)},
      {"wsIdleTimeoutSeconds", int_field("wsIdleTimeoutSeconds", 1, kNoMax,
                                         &out->ws_idle_timeout_seconds)},
  };
  for (const auto& [key, value] : obj) {
    auto it = fields.find(std::string_view(key));
    if (it == fields.end()) {
      errors->push_back(Where(key) + "unknown key");
      continue;
    }
    it->second(value);
  }
  out->duplicate_connect_http_status = static_cast<int>(dup_status);
}

}  // namespace workbind::cometd
