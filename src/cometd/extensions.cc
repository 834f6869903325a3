#include "cometd/extensions.h"

namespace workbind::cometd {
namespace json = boost::json;

bool AckRequested(const json::object& handshake) {
  const json::object* ext = ExtOf(handshake);
  if (ext == nullptr) return false;
  const json::value* ack = ext->if_contains("ack");
  return ack != nullptr && ack->is_bool() && ack->get_bool();
}

std::optional<int64_t> AckedBatch(const json::object& connect) {
  const json::object* ext = ExtOf(connect);
  if (ext == nullptr) return std::nullopt;
  return IntOf(ext->if_contains("ack"));
}

std::optional<Timesync> ReadTimesync(const json::object& message,
                                     int64_t ts_ms) {
  const json::object* ext = ExtOf(message);
  if (ext == nullptr) return std::nullopt;
  const json::value* v = ext->if_contains("timesync");
  const json::object* ts = v ? v->if_object() : nullptr;
  if (ts == nullptr) return std::nullopt;
  std::optional<int64_t> tc = IntOf(ts->if_contains("tc"));
  if (!tc) return std::nullopt;
  Timesync t;
  t.tc = *tc;
  t.l = IntOf(ts->if_contains("l"));
  t.o = IntOf(ts->if_contains("o")).value_or(0);
  t.ts = ts_ms;
  return t;
}

std::optional<json::object> TimesyncReply(const Timesync& t, int64_t now_ms) {
  json::object r{{"tc", t.tc}, {"ts", t.ts}, {"p", now_ms - t.ts}};
  if (!t.l) return r;
  int64_t a = t.tc + t.o + *t.l - t.ts;
  if (*t.l != 0 && a < 25 && a > -25) return std::nullopt;
  r["a"] = a;
  return r;
}

void AddTimesyncReply(const std::optional<Timesync>& t, int64_t now_ms,
                      json::object* reply) {
  if (!t) return;
  std::optional<json::object> ts = TimesyncReply(*t, now_ms);
  if (!ts) return;
  json::value& ext = (*reply)["ext"];
  if (!ext.is_object()) ext = json::object{};
  ext.get_object()["timesync"] = std::move(*ts);
}

}  // namespace workbind::cometd
