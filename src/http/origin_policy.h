// OriginPolicy: which browser origins may use this server with a user's
// credentials (security.md). A request that carries an `Origin` header is
// allowed when that origin is the server's own (the scheme and authority of
// server.externalApiUrl, or http/https with the request's own `Host`), or is
// listed in http.cors.allowedOrigins. A request without `Origin` (not sent by
// a browser across origins) is not judged here. Immutable after
// construction; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace workbind::http {

class OriginPolicy {
 public:
  OriginPolicy() = default;
  // `external_api_url`: server.externalApiUrl (its path is ignored);
  // `allowed`: http.cors.allowedOrigins, compared exactly.
  OriginPolicy(std::string_view external_api_url,
               std::vector<std::string> allowed);

  // True when `origin` (an Origin header value, non-empty) may act with a
  // user's credentials on a request whose Host header is `host`. "null"
  // (sandboxed frames, file: pages) is allowed only when listed.
  bool Allows(std::string_view origin, std::string_view host) const;

 private:
  std::string own_origin_;  // "scheme://authority" of externalApiUrl
  std::vector<std::string> allowed_;
};

}  // namespace workbind::http
