#include "storage/postgres/pg_codec.h"

#include <boost/json.hpp>

namespace workbind::storage::postgres {
namespace json = boost::json;
namespace {

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

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

json::value Parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return nullptr;
  return v;
}

}  // namespace

std::string EncodeList(const std::vector<std::string>& v) {
  return json::serialize(Strings(v));
}

std::vector<std::string> DecodeList(const std::string& text) {
  return StringsOf(Parse(text));
}

std::string EncodeIntMap(const std::map<std::string, int>& m) {
  return json::serialize(IntMapObject(m));
}

std::map<std::string, int> DecodeIntMap(const std::string& text) {
  return IntMapOf(Parse(text));
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

std::string EncodeMedia(const InteractionRecord& r) {
  json::object o;
  o["from"] = r.from;
  o["to"] = Strings(r.to);
  o["cc"] = Strings(r.cc);
  o["bcc"] = Strings(r.bcc);
  o["subject"] = r.subject;
  o["body"] = r.body;
  o["mime"] = r.mime;
  json::array participants;
  for (const auto& p : r.participants) {
    participants.push_back(json::object{{"nickname", p.nickname},
                                        {"type", p.type},
                                        {"participantId", p.participant_id}});
  }
  o["participants"] = std::move(participants);
  return json::serialize(o);
}

void DecodeMedia(const std::string& text, InteractionRecord* r) {
  json::value v = Parse(text);
  if (!v.is_object()) return;
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

}  // namespace workbind::storage::postgres
