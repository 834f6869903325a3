// JSON helpers for request bodies (conventions.md §2): parsing with the
// content-type, UTF-8, depth and object rules, and typed field access with
// the error of each rule. Thread-safe (pure functions).
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/request.h"

namespace workbind::http {

// True when `content_type` (a Content-Type header value) names JSON:
// application/json or application/*+json, any parameters (e.g.
// ";charset=UTF-8"), case-insensitive. Empty -> false.
bool IsJsonMediaType(std::string_view content_type);
// The media-type rule of every POST/PUT (security.md): the request must
// declare a JSON body, even an empty one, so that a browser can only send it
// after a CORS preflight. Otherwise kUnsupportedMediaType (HTTP 415,
// statusCode 10) "Content-Type must be application/json".
Status CheckJsonContentType(const Request& request);
// Parses the body as a JSON object (empty body = {}). Errors: a Content-Type
// that is not JSON, or none (CheckJsonContentType); kInvalidArgument for
// invalid UTF-8, malformed JSON naming the byte offset, nesting deeper than
// 32, a non-object value.
Result<boost::json::object> ParseBodyObject(const Request& request);
// Parses any JSON text with the same syntax rules (offset in the message).
Result<boost::json::value> ParseJson(std::string_view text, int max_depth = 32);
// `v` serialized with the keys of every object sorted (a canonical form:
// whitespace and key order do not matter).
std::string CanonicalJson(const boost::json::value& v);

// Typed access. Absent (or JSON null) -> nullopt; wrong type ->
// kInvalidArgument "Field 'k' must be a string" (etc.).
Result<std::optional<std::string>> GetString(const boost::json::object& o,
                                             std::string_view key);
// Accepts true/false and the strings "true"/"false".
Result<std::optional<bool>> GetBool(const boost::json::object& o,
                                    std::string_view key);
Result<std::optional<int64_t>> GetInt(const boost::json::object& o,
                                      std::string_view key);
Result<std::optional<std::vector<std::string>>> GetStringArray(
    const boost::json::object& o, std::string_view key);
Result<const boost::json::object*> GetObject(const boost::json::object& o,
                                             std::string_view key);
// As GetString, but absent -> kMissingParameter "Missing required field 'k'".
Result<std::string> RequireString(const boost::json::object& o,
                                  std::string_view key);

}  // namespace workbind::http
