#include "http/json_util.h"

#include <algorithm>
#include <cctype>

namespace workbind::http {
namespace json = boost::json;
namespace {

std::string Describe(const boost::system::error_code& ec) {
  if (ec == json::error::incomplete) return "unexpected end of input";
  if (ec == json::error::extra_data)
    return "unexpected data after the JSON value";
  if (ec == json::error::too_deep) return "nesting deeper than 32 levels";
  if (ec == json::error::exponent_overflow) return "number out of range";
  if (ec == json::error::syntax) return "invalid syntax";
  return ec.message();
}

Status TypeError(std::string_view key, std::string_view what) {
  return InvalidArgument("Field '" + std::string(key) + "' must be " +
                         std::string(what));
}

}  // namespace

bool IsJsonMediaType(std::string_view content_type) {
  std::string_view base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && (base.back() == ' ' || base.back() == '\t'))
    base.remove_suffix(1);
  while (!base.empty() && (base.front() == ' ' || base.front() == '\t'))
    base.remove_prefix(1);
  std::string lower(base);
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "application/json") return true;
  return lower.rfind("application/", 0) == 0 && lower.size() > 17 &&
         lower.substr(lower.size() - 5) == "+json";
}

Status CheckJsonContentType(const Request& request) {
  if (IsJsonMediaType(request.Header("Content-Type"))) return Status::Ok();
  return Status(Code::kUnsupportedMediaType,
                "Content-Type must be application/json");
}

Result<json::value> ParseJson(std::string_view text, int max_depth) {
  json::parse_options opt;
  opt.max_depth = static_cast<std::size_t>(max_depth);
  json::stream_parser p({}, opt);
  boost::system::error_code ec;
  size_t consumed = p.write_some(text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) {
    // Only whitespace may follow; stream_parser stops at the value's end.
    ec = json::error::extra_data;
  }
  if (!ec) p.finish(ec);
  if (ec) {
    if (ec == json::error::too_deep)
      return InvalidArgument("JSON nesting deeper than " +
                             std::to_string(max_depth) + " levels");
    size_t offset = ec == json::error::incomplete ? text.size() : consumed;
    return InvalidArgument("Malformed JSON at byte " + std::to_string(offset) +
                           ": " + Describe(ec));
  }
  return p.release();
}

Result<json::object> ParseBodyObject(const Request& request) {
  const std::string& body = request.body();
  WB_RETURN_IF_ERROR(CheckJsonContentType(request));
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return json::object();
  if (!IsValidUtf8(body))
    return InvalidArgument("Request body is not valid UTF-8");
  WB_ASSIGN_OR_RETURN(json::value v, ParseJson(body));
  if (!v.is_object())
    return InvalidArgument("Request body must be a JSON object");
  return std::move(v.as_object());
}

Result<std::optional<std::string>> GetString(const json::object& o,
                                             std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return TypeError(key, "a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::optional<bool>> GetBool(const json::object& o,
                                    std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<bool>();
  if (v->is_bool()) return std::optional<bool>(v->as_bool());
  if (v->is_string() && v->as_string() == "true")
    return std::optional<bool>(true);
  if (v->is_string() && v->as_string() == "false")
    return std::optional<bool>(false);
  return TypeError(key, "a boolean");
}

Result<std::optional<int64_t>> GetInt(const json::object& o,
                                      std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= INT64_MAX)
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  return TypeError(key, "an integer");
}

Result<std::optional<std::vector<std::string>>> GetStringArray(
    const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<std::vector<std::string>>();
  if (!v->is_array()) return TypeError(key, "an array of strings");
  std::vector<std::string> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) return TypeError(key, "an array of strings");
    out.emplace_back(e.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<const json::object*> GetObject(const json::object& o,
                                      std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) return TypeError(key, "an object");
  return &v->as_object();
}

Result<std::string> RequireString(const json::object& o, std::string_view key) {
  WB_ASSIGN_OR_RETURN(auto v, GetString(o, key));
  if (!v)
    return MissingParameter("Missing required field '" + std::string(key) +
                            "'");
  return std::move(*v);
}

std::string CanonicalJson(const boost::json::value& v) {
  if (v.is_object()) {
    std::vector<std::pair<std::string_view, const boost::json::value*>> items;
    for (const auto& [k, x] : v.as_object()) items.emplace_back(k, &x);
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out = "{";
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      out += boost::json::serialize(boost::json::string(items[i].first));
      out += ':';
      out += CanonicalJson(*items[i].second);
    }
    return out + "}";
  }
  if (v.is_array()) {
    std::string out = "[";
    bool first = true;
    for (const auto& x : v.as_array()) {
      if (!first) out += ',';
      first = false;
      out += CanonicalJson(x);
    }
    return out + "]";
  }
  return boost::json::serialize(v);
}

}  // namespace workbind::http
