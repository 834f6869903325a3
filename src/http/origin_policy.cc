#include "http/origin_policy.h"

#include <algorithm>

#include "common/http_message.h"

namespace workbind::http {
namespace {

// "scheme://authority" of an absolute URL (no path, query or fragment);
// empty when `url` has no "://".
std::string_view OriginOf(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  return url.substr(0, url.find_first_of("/?#", scheme_end + 3));
}

// True when `origin` is "<scheme>://<host>", ASCII case-insensitively.
bool IsOriginOf(std::string_view origin, std::string_view scheme,
                std::string_view host) {
  return origin.size() == scheme.size() + 3 + host.size() &&
         EqualsIgnoreCase(origin.substr(0, scheme.size()), scheme) &&
         origin.substr(scheme.size(), 3) == "://" &&
         EqualsIgnoreCase(origin.substr(scheme.size() + 3), host);
}

}  // namespace

OriginPolicy::OriginPolicy(std::string_view external_api_url,
                           std::vector<std::string> allowed)
    : own_origin_(OriginOf(external_api_url)), allowed_(std::move(allowed)) {}

bool OriginPolicy::Allows(std::string_view origin,
                          std::string_view host) const {
  if (std::find(allowed_.begin(), allowed_.end(), origin) != allowed_.end())
    return true;
  if (origin == "null") return false;
  if (!own_origin_.empty() && EqualsIgnoreCase(origin, own_origin_))
    return true;
  return !host.empty() && (IsOriginOf(origin, "http", host) ||
                           IsOriginOf(origin, "https", host));
}

}  // namespace workbind::http
