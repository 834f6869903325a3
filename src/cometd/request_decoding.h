// Reading the HTTP parts of a CometD request: path and query parameters,
// cookies, and the body text with its Content-Type and charset
// (notifications.md §1.2). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cometd/codec.h"
#include "common/http_message.h"

namespace workbind::cometd {

// The path of an origin-form target (without the query string).
std::string_view PathOf(std::string_view target);
// The first value of query parameter `name`, percent-decoded ('+' is a space).
std::optional<std::string> QueryParam(std::string_view target,
                                      std::string_view name);
// Every value of cookie `name` over all Cookie headers, in order.
std::vector<std::string> CookieValues(const HttpRequest& req,
                                      std::string_view name);

// The request body as UTF-8 JSON text. The Content-Type must be JSON
// (application/json, application/*+json or text/json); anything else, none
// included, is refused with 415, statusCode 10 (security.md: cross-site
// "simple" requests). A charset other than UTF-8 (US-ASCII, ISO-8859-1,
// windows-1252) is converted; an unknown charset: 400, statusCode 10.
struct BodyText {
  std::string text;
  // Why refused: kUnsupportedMediaType (not JSON) or kInvalidArgument (an
  // unknown charset), mapped by http/error_mapping.
  std::optional<Status> error;
};
BodyText ReadBodyText(const HttpRequest& req);

// Converts `bytes` in `charset` (lower case) to UTF-8; nullopt for an
// unknown charset.
std::optional<std::string> ToUtf8(std::string_view bytes,
                                  std::string_view charset);

}  // namespace workbind::cometd
