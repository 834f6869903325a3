// Transport-neutral HTTP request and response values, shared by net/ (which
// reads and writes them) and http/ (which interprets them). Plain values;
// thread-compatible.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace workbind {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Why a request could not be read whole. The handler still gets the request
// (with what was read) and must answer; the transport closes the connection
// after the reply when the error is not kNone.
enum class TransportError { kNone, kBodyTooLarge, kHeaderTooLarge };

struct HttpRequest {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // origin-form target including the query string
  HeaderList headers;  // in arrival order, names as sent
  std::string body;
  std::string remote_address;  // peer IP as text (the client's, behind a
                               // trusted proxy: app/trusted_proxies.h)
  // The client reached the server over HTTPS (a trusted proxy said so with
  // X-Forwarded-Proto): cookies set in reply get the Secure attribute.
  bool secure = false;
  int version = 11;  // 10 or 11
  TransportError transport_error = TransportError::kNone;

  // First header with this name (ASCII case-insensitive), or empty.
  std::string_view Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
  // When true the transport closes the connection after writing this reply.
  bool close = false;

  void SetHeader(std::string name, std::string value);
};

// Completes one request. Must be called exactly once; may be called from any
// thread (the transport posts the write to the connection's executor).
using Responder = std::function<void(HttpResponse)>;

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// `s` without the spaces and tabs around it (HTTP's optional whitespace
// around header values and list items).
std::string_view TrimOws(std::string_view s);
// Percent-decodes `s` (a "%" not followed by two hex digits stays as it
// is); '+' becomes a space when `plus_is_space` (form and query encoding).
std::string PercentDecode(std::string_view s, bool plus_is_space);

// True when the request looks sent by a script in a browser page: it carries
// `X-Requested-With` (any value; the console sends "XMLHttpRequest") or an
// `Origin` header. Such a request gets no `WWW-Authenticate` challenge with
// a 401, so that the browser neither prompts for a password nor caches and
// replays Basic credentials (security.md).
bool FromBrowserScript(const HttpRequest& request);

// Removes every header named `name` (ASCII case-insensitive).
void RemoveHeader(HttpResponse* response, std::string_view name);

// Adds the security headers every JSON reply of the API carries:
// `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` and
// `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`
// (never rendered as a page, never framed).
void AddApiSecurityHeaders(HttpResponse* response);

}  // namespace workbind
