#include "cometd/codec.h"

#include <cmath>

#include "cometd/channel.h"

namespace workbind::cometd {
namespace json = boost::json;
namespace {

constexpr int kMaxDepth = 32;

std::string DescribeJsonError(const boost::system::error_code& ec) {
  if (ec == json::error::incomplete) return "unexpected end of input";
  if (ec == json::error::extra_data)
    return "unexpected data after the JSON value";
  if (ec == json::error::exponent_overflow) return "number out of range";
  if (ec == json::error::syntax) return "invalid syntax";
  return ec.message();
}

bool IsValidIdString(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

DecodeResult DecodeMessages(std::string_view text) {
  DecodeResult r;
  json::parse_options opt;
  opt.max_depth = kMaxDepth;
  json::stream_parser p({}, opt);
  boost::system::error_code ec;
  size_t consumed = p.write_some(text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) ec = json::error::extra_data;
  if (!ec) p.finish(ec);
  if (ec) {
    if (ec == json::error::too_deep) {
      r.error = InvalidArgument("JSON nesting deeper than 32 levels");
    } else {
      size_t offset = ec == json::error::incomplete ? text.size() : consumed;
      r.error =
          InvalidArgument("Malformed JSON at byte " + std::to_string(offset) +
                          ": " + DescribeJsonError(ec));
    }
    return r;
  }
  json::value v = p.release();
  if (v.is_object()) {
    r.messages.push_back(std::move(v.get_object()));
  } else if (v.is_array() && !v.get_array().empty()) {
    for (auto& e : v.get_array()) {
      if (!e.is_object()) {
        r.error = InvalidArgument("Every Bayeux message must be a JSON object");
        r.messages.clear();
        return r;
      }
      r.messages.push_back(std::move(e.get_object()));
    }
  } else {
    r.error = InvalidArgument(
        "Bayeux request must be a message or a non-empty array of messages");
    return r;
  }
  if (r.messages.size() > 1) {
    for (const auto& m : r.messages) {
      const json::value* c = m.if_contains("channel");
      if (c && c->is_string() &&
          NormalizeChannel(c->get_string()) == std::string(kMetaHandshake)) {
        r.error = InvalidArgument(
            "A handshake must be the only message of its request");
        r.messages.clear();
        return r;
      }
    }
  }
  return r;
}

MessageHeader ReadHeader(const json::object& m) {
  MessageHeader h;
  bool id_ok = true;
  if (const json::value* id = m.if_contains("id")) {
    if (id->is_string() ? IsValidIdString(id->get_string()) : id->is_number()) {
      h.id = *id;
    } else {
      id_ok = false;
    }
  }
  const json::value* c = m.if_contains("channel");
  if (c == nullptr || c->is_null()) {
    h.error = kErrChannelMissing;
    return h;
  }
  if (!c->is_string()) {
    h.error = kErrInvalidChannel;
    return h;
  }
  h.raw_channel = std::string(c->get_string());
  auto normalized = NormalizeChannel(c->get_string());
  if (!normalized) {
    h.error = kErrInvalidChannel;
    return h;
  }
  if (!id_ok) {
    h.error = kErrInvalidId;
    return h;
  }
  h.channel = std::move(*normalized);
  return h;
}

std::string_view ClientIdOf(const json::object& m) {
  const json::value* v = m.if_contains("clientId");
  if (v == nullptr || !v->is_string()) return {};
  return v->get_string();
}

const json::object* ExtOf(const json::object& m) {
  const json::value* v = m.if_contains("ext");
  return v ? v->if_object() : nullptr;
}

std::optional<int64_t> IntOf(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) {
    if (v->get_uint64() > static_cast<uint64_t>(INT64_MAX)) return INT64_MAX;
    return static_cast<int64_t>(v->get_uint64());
  }
  if (v->is_double()) {
    double d = v->get_double();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e18)
      return std::nullopt;
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

json::object MakeReply(const MessageHeader& h) {
  json::object r;
  if (h.id) r["id"] = *h.id;
  if (!h.channel.empty()) {
    r["channel"] = h.channel;
  } else if (h.raw_channel) {
    r["channel"] = *h.raw_channel;
  }
  return r;
}

void SetError(json::object* reply, std::string_view error) {
  (*reply)["successful"] = false;
  (*reply)["error"] = error;
}

EventPtr MakeEvent(const json::object& event) {
  return std::make_shared<const std::string>(json::serialize(event));
}

EventPtr MakeChannelEvent(std::string_view channel, const json::value& data) {
  std::string text = "{\"channel\":";
  text += json::serialize(json::string_view(channel.data(), channel.size()));
  text += ",\"data\":";
  text += json::serialize(data);
  text.push_back('}');
  return std::make_shared<const std::string>(std::move(text));
}

void Batch::AddHead(const json::object& message) {
  head.push_back(json::serialize(message));
}

void Batch::AddReply(const json::object& message) {
  replies.push_back(json::serialize(message));
}

std::string Batch::Serialize() const {
  size_t size = 2 + head.size() + events.size() + replies.size();
  for (const auto& m : head) size += m.size();
  for (const auto& e : events) size += e->size();
  for (const auto& m : replies) size += m.size();
  std::string out;
  out.reserve(size);
  out.push_back('[');
  bool first = true;
  auto add = [&](const std::string& text) {
    if (!first) out.push_back(',');
    first = false;
    out += text;
  };
  for (const auto& m : head) add(m);
  for (const auto& e : events) add(*e);
  for (const auto& m : replies) add(m);
  out.push_back(']');
  return out;
}

}  // namespace workbind::cometd
