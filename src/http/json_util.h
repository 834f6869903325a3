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

// Parses the body as a JSON object (empty body = {}). Errors (all
// kInvalidArgument): wrong Content-Type, invalid UTF-8, malformed JSON naming
// the byte offset, nesting deeper than 32, a non-object value.
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
