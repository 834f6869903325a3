#include "http/origin_policy.h"

#include <algorithm>
#include <cctype>

namespace workbind::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "scheme://authority" of an absolute URL (no path, query or fragment), in
// lower case; empty when `url` has no "://".
std::string OriginOf(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return {};
  size_t authority_end = url.find_first_of("/?#", scheme_end + 3);
  return Lower(url.substr(0, authority_end));
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
  const std::string o = Lower(origin);
  if (!own_origin_.empty() && o == own_origin_) return true;
  if (host.empty()) return false;
  const std::string h = Lower(host);
  return o == "http://" + h || o == "https://" + h;
}

}  // namespace workbind::http
