// The route table: every /api/v2 route with its handler and the checks the
// gate (Dispatcher) applies before calling it. Defined in routes.cc, the one
// place that shows the whole REST API.
#pragma once

#include <string>
#include <vector>

#include "api/v2/api_context.h"

namespace workbind::api {

// Who may call a route beyond "authenticated". The default, Access{}, is
// any contact-center user whatever their roles, and no system admin.
struct Access {
  std::vector<std::string> roles = {};  // any of these roles; empty = any role
  bool system_admin = false;            // system admins may call it
  bool users = true;                    // contact-center users may call it
};

// One operationName accepted by a POST route. Written with designated
// initializers, naming only what differs from these defaults.
struct Operation {
  std::string name;
  Access access = {};
  // The feature needed by this operation ("" = the route's).
  std::string feature = {};
  bool alias = false;      // compatibility alias: not listed in error messages
  bool extension = false;  // not in GWS (x-workbind-extension)
};

// One route. Written with designated initializers (in this declaration
// order), naming only what differs from these defaults: a GWS route open to
// any authenticated user, with no feature and no operationName.
struct Route {
  std::string method;
  std::string pattern;  // e.g. "/api/v2/users/{userId}"
  Handler handler = nullptr;
  bool is_public = false;
  Access access = {};
  std::string feature = {};  // "" = none
  // When non-empty the body must carry one of these operationName values;
  // the access/feature checks then use the operation's.
  std::vector<Operation> operations = {};
  // True when a POST without operationName is an update using `access`
  // and `update_feature` (checked after the body is parsed).
  bool update_without_operation = false;
  std::string update_feature = {};
  std::string summary = {};   // one line, for the OpenAPI document
  bool extension = false;     // not in GWS (x-workbind-extension)
  std::string alias_of = {};  // compatibility alias of this canonical path
};

// Every route of the REST API.
const std::vector<Route>& Routes();

// The OpenAPI 3.1.0 document of `routes` (extensions.md §6).
boost::json::object OpenApiDocument(const std::vector<Route>& routes,
                                    const std::string& version);

}  // namespace workbind::api
