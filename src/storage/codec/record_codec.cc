#include "storage/codec/record_codec.h"

#include <boost/json.hpp>

namespace workbind::storage::codec {
namespace json = boost::json;
namespace {

std::vector<std::string> StringsOf(const json::value& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const auto& e : v.as_array())
    if (e.is_string()) out.emplace_back(e.as_string());
  return out;
}

std::vector<std::string> StringsOf(const json::object& o,
                                   std::string_view key) {
  if (const auto* v = o.if_contains(key)) return StringsOf(*v);
  return {};
}

std::string StringOf(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string())
    return std::string(v->as_string());
  return {};
}

json::object IntMapObject(const std::map<std::string, int>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

std::map<std::string, int> IntMapOf(const json::value& v) {
  std::map<std::string, int> out;
  if (!v.is_object()) return out;
  for (const auto& [k, e] : v.as_object())
    if (e.is_int64()) out[std::string(k)] = static_cast<int>(e.as_int64());
  return out;
}

// The parsed text; null when it is not JSON.
json::value Parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return nullptr;
  return v;
}

}  // namespace

json::array StringArray(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::array ParticipantArray(
    const std::vector<ChatParticipantRecord>& participants) {
  json::array a;
  for (const auto& p : participants) {
    a.push_back(json::object{{"nickname", p.nickname},
                             {"type", p.type},
                             {"participantId", p.participant_id}});
  }
  return a;
}

std::string EncodeList(const std::vector<std::string>& v) {
  return json::serialize(StringArray(v));
}

std::vector<std::string> DecodeList(const std::string& text) {
  return StringsOf(Parse(text));
}

std::string EncodeIntMap(const std::map<std::string, int>& m) {
  return json::serialize(IntMapObject(m));
}

std::optional<std::map<std::string, int>> DecodeIntMap(
    const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return std::nullopt;
  return IntMapOf(v);
}

std::string EncodeRouting(const ContactCenterRecord& r) {
  json::object o;
  o["offerTimeoutSeconds"] = r.offer_timeout_seconds;
  o["capacity"] = IntMapObject(r.capacity);
  o["declineCooldownSeconds"] = r.decline_cooldown_seconds;
  o["lastAgentWaitSeconds"] = r.last_agent_wait_seconds;
  return json::serialize(o);
}

void DecodeRouting(const std::string& text, ContactCenterRecord* r) {
  json::value v = Parse(text);
  if (!v.is_object()) return;
  const auto& o = v.as_object();
  if (auto* p = o.if_contains("offerTimeoutSeconds"); p && p->is_int64())
    r->offer_timeout_seconds = static_cast<int>(p->as_int64());
  if (auto* p = o.if_contains("capacity")) r->capacity = IntMapOf(*p);
  if (auto* p = o.if_contains("declineCooldownSeconds"); p && p->is_int64())
    r->decline_cooldown_seconds = static_cast<int>(p->as_int64());
  if (auto* p = o.if_contains("lastAgentWaitSeconds"); p && p->is_int64())
    r->last_agent_wait_seconds = static_cast<int>(p->as_int64());
}

std::string EncodeChannels(const std::vector<ChannelStateRecord>& channels) {
  json::array a;
  for (const auto& c : channels) {
    json::object o;
    o["channel"] = c.channel;
    o["ready"] = c.ready;
    if (c.reason) o["reason"] = *c.reason;
    o["idleSince"] = c.idle_since_ms;
    a.push_back(std::move(o));
  }
  return json::serialize(a);
}

std::vector<ChannelStateRecord> DecodeChannels(const std::string& text) {
  std::vector<ChannelStateRecord> out;
  json::value v = Parse(text);
  if (!v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    ChannelStateRecord c;
    if (auto* p = o.if_contains("channel"); p && p->is_string())
      c.channel = p->as_string();
    if (auto* p = o.if_contains("ready"); p && p->is_bool())
      c.ready = p->as_bool();
    if (auto* p = o.if_contains("reason"); p && p->is_string())
      c.reason = std::string(p->as_string());
    if (auto* p = o.if_contains("idleSince"); p && p->is_int64())
      c.idle_since_ms = p->as_int64();
    out.push_back(std::move(c));
  }
  return out;
}

std::string EncodeMedia(const InteractionRecord& r, MediaFields fields) {
  const bool all = fields == MediaFields::kAll;
  json::object o;
  if (all || !r.from.empty()) o["from"] = r.from;
  if (all || !r.to.empty()) o["to"] = StringArray(r.to);
  if (all || !r.cc.empty()) o["cc"] = StringArray(r.cc);
  if (all || !r.bcc.empty()) o["bcc"] = StringArray(r.bcc);
  if (all || !r.subject.empty()) o["subject"] = r.subject;
  if (all || !r.body.empty()) o["body"] = r.body;
  if (all || !r.mime.empty()) o["mime"] = r.mime;
  if (all || !r.participants.empty())
    o["participants"] = ParticipantArray(r.participants);
  return o.empty() ? std::string() : json::serialize(o);
}

void DecodeMedia(const std::string& text, InteractionRecord* r) {
  if (text.empty() || text == "{}") return;
  // The parsed tree lives only while its strings are copied out.
  unsigned char buffer[2048];
  json::monotonic_resource scratch(buffer, sizeof buffer);
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, &scratch);
  if (ec || !v.is_object()) return;
  const auto& o = v.as_object();
  r->from = StringOf(o, "from");
  r->to = StringsOf(o, "to");
  r->cc = StringsOf(o, "cc");
  r->bcc = StringsOf(o, "bcc");
  r->subject = StringOf(o, "subject");
  r->body = StringOf(o, "body");
  r->mime = StringOf(o, "mime");
  if (const auto* p = o.if_contains("participants"); p && p->is_array()) {
    for (const auto& e : p->as_array()) {
      if (!e.is_object()) continue;
      const auto& po = e.as_object();
      r->participants.push_back({StringOf(po, "nickname"), StringOf(po, "type"),
                                 StringOf(po, "participantId")});
    }
  }
}

std::string EncodeWatchers(const std::vector<std::string>& watchers) {
  std::string out;
  for (size_t i = 0; i < watchers.size(); ++i) {
    if (i) out += ',';
    out += watchers[i];
  }
  return out;
}

std::vector<std::string> DecodeWatchers(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<std::string> NonEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

}  // namespace workbind::storage::codec
