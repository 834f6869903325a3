#include "cometd/settings.h"

#include <algorithm>

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

namespace {

// One key of the "notifications" object: an integer in [lo, hi] kept in
// `member`, or another kind read by `read` and written by `write`. The one
// list of the keys: ParseBrokerSettings reads them and BrokerSettingsJson
// writes them, so a key added here is in the settings file, the environment
// and `workbind config show`.
struct Field {
  std::string_view key;
  int64_t BrokerSettings::*member = nullptr;
  int64_t lo = 0;
  int64_t hi = kNoMax;
  void (*read)(const json::value&, BrokerSettings*,
               std::vector<std::string>*) = nullptr;
  json::value (*write)(const BrokerSettings&) = nullptr;
};

json::value StringArray(const std::vector<std::string>& list) {
  json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

const Field kFields[] = {
    {"transports", nullptr, 0, 0, ReadTransports,
     [](const BrokerSettings& s) { return StringArray(s.transports); }},
    {"timeoutMs", &BrokerSettings::timeout_ms, 0},
    {"intervalMs", &BrokerSettings::interval_ms, 0},
    {"maxIntervalMs", &BrokerSettings::max_interval_ms, 0},
    {"maxQueue", &BrokerSettings::max_queue, 1},
    {"maxSessionsPerUser", &BrokerSettings::max_sessions_per_user, 0},
    {"maxSessionsPerBrowser", &BrokerSettings::max_sessions_per_browser,
     INT64_MIN},
    {"multiSessionIntervalMs", &BrokerSettings::multi_session_interval_ms,
     INT64_MIN},
    {"maxMessageBytes", &BrokerSettings::max_message_bytes, 1024},
    {"maxSubscriptionsPerSession",
     &BrokerSettings::max_subscriptions_per_session, 1},
    {"openChannels", nullptr, 0, 0, ReadOpenChannels,
     [](const BrokerSettings& s) { return StringArray(s.open_channels); }},
    {"duplicateConnectHttpStatus", nullptr, 0, 0,
     [](const json::value& v, BrokerSettings* s,
        std::vector<std::string>* errors) {
       int64_t status = s->duplicate_connect_http_status;
       if (ReadInt("duplicateConnectHttpStatus", v, 500, 599, &status, errors))
         s->duplicate_connect_http_status = static_cast<int>(status);
     },
     [](const BrokerSettings& s) {
       return json::value(s.duplicate_connect_http_status);
     }},
    {"wsIdleTimeoutSeconds", &BrokerSettings::ws_idle_timeout_seconds, 1},
};

}  // namespace

void ParseBrokerSettings(const json::object& obj, BrokerSettings* out,
                         std::vector<std::string>* errors) {
  for (const auto& [key, value] : obj) {
    const Field* field = nullptr;
    for (const Field& f : kFields)
      if (f.key == std::string_view(key)) field = &f;
    if (!field) {
      errors->push_back(Where(key) + "unknown key");
    } else if (field->member) {
      ReadInt(field->key, value, field->lo, field->hi, &(out->*field->member),
              errors);
    } else {
      field->read(value, out, errors);
    }
  }
}

json::object BrokerSettingsJson(const BrokerSettings& s) {
  json::object out;
  for (const Field& f : kFields)
    out[f.key] = f.member ? json::value(s.*f.member) : f.write(s);
  return out;
}

}  // namespace workbind::cometd
