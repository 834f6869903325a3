#include "http/request.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace workbind::http {
namespace {

bool SegmentOk(const std::string& s) {
  if (s == "." || s == "..") return false;
  if (s.find('/') != std::string::npos || s.find('\0') != std::string::npos)
    return false;
  return IsValidUtf8(s);
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80         ? 1
              : (c >> 5) == 6  ? 2
              : (c >> 4) == 14 ? 3
              : (c >> 3) == 30 ? 4
                               : 0;
    if (len == 0 || i + len > n) return false;
    uint32_t cp = len == 1   ? c
                  : len == 2 ? (c & 0x1F)
                  : len == 3 ? (c & 0x0F)
                             : (c & 0x07);
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

Request::Request(HttpRequest raw) : raw_(std::move(raw)) {
  auto parsed = boost::urls::parse_origin_form(raw_.target);
  if (!parsed) {
    bad_path_ = true;
    path_ = raw_.target.substr(0, raw_.target.find('?'));
    return;
  }
  boost::urls::url_view u = *parsed;
  path_ = std::string(u.encoded_path());
  for (auto seg : u.encoded_segments()) {
    std::string decoded = seg.decode();
    if (!SegmentOk(decoded)) bad_path_ = true;
    segments_.push_back(std::move(decoded));
  }
  if (!segments_.empty() && segments_.back().empty()) segments_.pop_back();
  for (auto p : u.params()) {
    query_.emplace_back(std::string(p.key),
                        p.has_value ? std::string(p.value) : std::string());
  }
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query_)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::vector<std::string>> Request::QueryList(
    std::string_view name) const {
  auto v = Query(name);
  if (!v) return std::nullopt;
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v->size()) {
    size_t comma = v->find(',', start);
    if (comma == std::string::npos) comma = v->size();
    std::string item = v->substr(start, comma - start);
    bool dup = false;
    for (const auto& e : out) dup = dup || e == item;
    if (!item.empty() && !dup) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  for (const auto& [k, header] : raw_.headers) {
    if (!EqualsIgnoreCase(k, "Cookie")) continue;
    std::string_view h = header;
    while (!h.empty()) {
      size_t semi = h.find(';');
      std::string_view part = h.substr(0, semi);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      size_t eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) {
        std::string_view value = part.substr(eq + 1);
        while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
          value = value.substr(1, value.size() - 2);
        return std::string(value);
      }
      if (semi == std::string_view::npos) break;
      h.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

void Request::SetParam(std::string name, std::string value) {
  params_.emplace_back(std::move(name), std::move(value));
}

const std::string& Request::Param(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : params_)
    if (k == name) return v;
  return kEmpty;
}

}  // namespace workbind::http
