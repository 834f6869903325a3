// Fuzz target: the request line and cookies as the REST gate and the CometD
// endpoint read them. Input lines: the method, the request target (path and
// query string), then any number of Cookie header values. The target is split
// into decoded segments and query parameters (http::Request), matched
// against the whole /api/v2 route table, and read for the content paging
// parameters; the CometD side reads its path, query parameters and cookies.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/v2/api_context.h"
#include "api/v2/content_query_params.h"
#include "api/v2/route_table.h"
#include "cometd/request_decoding.h"
#include "http/request.h"
#include "http/router.h"

namespace {

using namespace workbind;

// The router of the REST API, built once (read-only afterwards).
const http::Router& ApiRouter() {
  static const http::Router* router = [] {
    auto* r = new http::Router;
    const auto& routes = api::Routes();
    for (size_t i = 0; i < routes.size(); ++i)
      r->Add(routes[i].method, routes[i].pattern, i);
    return r;
  }();
  return *router;
}

// Splits off the next line of `rest` (without its '\n').
std::string_view NextLine(std::string_view* rest) {
  const size_t eol = rest->find('\n');
  std::string_view line = rest->substr(0, eol);
  rest->remove_prefix(eol == std::string_view::npos ? rest->size() : eol + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  HttpRequest raw;
  raw.method = std::string(NextLine(&rest));
  raw.target = std::string(NextLine(&rest));
  while (!rest.empty())
    raw.headers.emplace_back("Cookie", std::string(NextLine(&rest)));

  (void)cometd::PathOf(raw.target);
  (void)cometd::QueryParam(raw.target, "message");
  (void)cometd::QueryParam(raw.target, "jsonp");
  (void)cometd::CookieValues(raw, "BAYEUX_BROWSER");

  http::Request request(std::move(raw));
  (void)request.Cookie("JSESSIONID");
  (void)request.QueryList("fields");
  if (request.bad_path()) return 0;
  const http::Router::Match m =
      ApiRouter().Find(request.method(), request.segments());
  if (m.kind != http::Router::Match::kFound) return 0;
  for (const auto& [name, value] : m.params) request.SetParam(name, value);
  for (const auto& [name, value] : m.params) (void)request.Param(name);

  // No contact center: a mediaType filter ends at the directory lookup.
  const api::ApiServices services;
  api::Context ctx(request, services);
  (void)api::ParseContentQuery(ctx);
  return 0;
}
