#include "common/http_message.h"

namespace workbind {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return {};
}

bool HttpRequest::HasHeader(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return true;
  return false;
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

bool FromBrowserScript(const HttpRequest& request) {
  return !request.Header("X-Requested-With").empty() ||
         !request.Header("Origin").empty();
}

void RemoveHeader(HttpResponse* response, std::string_view name) {
  std::erase_if(response->headers,
                [&](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

void AddApiSecurityHeaders(HttpResponse* response) {
  response->SetHeader("X-Content-Type-Options", "nosniff");
  response->SetHeader("Referrer-Policy", "no-referrer");
  response->SetHeader("Content-Security-Policy",
                      "default-src 'none'; frame-ancestors 'none'");
}

}  // namespace workbind
