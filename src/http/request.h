// Request: an HttpRequest interpreted for routing: the path split into
// percent-decoded segments (conventions.md §1), the query parameters, the
// cookies, and the path parameters filled by the Router. Value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_message.h"

namespace workbind::http {

class Request {
 public:
  // Parses raw.target. Never fails: a malformed path sets bad_path().
  explicit Request(HttpRequest raw);

  const HttpRequest& raw() const { return raw_; }
  const std::string& method() const { return raw_.method; }
  const std::string& body() const { return raw_.body; }
  std::string_view Header(std::string_view name) const {
    return raw_.Header(name);
  }

  // The path as received (still encoded), without the query string.
  const std::string& path() const { return path_; }
  // Decoded segments; a trailing empty segment (trailing '/') is dropped.
  const std::vector<std::string>& segments() const { return segments_; }
  // True when a segment decodes to something that matches nothing ('/', NUL,
  // bad UTF-8, "." or "..").
  bool bad_path() const { return bad_path_; }

  // Decoded query parameter (first occurrence), or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
  // A comma-separated list parameter: empty items dropped, duplicates
  // removed keeping the first. nullopt when absent.
  std::optional<std::vector<std::string>> QueryList(
      std::string_view name) const;
  // Every decoded query parameter, in order.
  const std::vector<std::pair<std::string, std::string>>& QueryPairs() const {
    return query_;
  }
  // The value of a cookie, or nullopt.
  std::optional<std::string> Cookie(std::string_view name) const;

  // Path parameters bound by the Router ("{id}" -> value).
  void SetParam(std::string name, std::string value);
  const std::string& Param(std::string_view name) const;

 private:
  HttpRequest raw_;
  std::string path_;
  std::vector<std::string> segments_;
  bool bad_path_ = false;
  std::vector<std::pair<std::string, std::string>> query_;
  std::vector<std::pair<std::string, std::string>> params_;
};

// True when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace workbind::http
