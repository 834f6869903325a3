// The OpenAPI 3.1.0 document, generated from the route table so that it lists
// exactly the routes the server answers (extensions.md §6).
#include <algorithm>
#include <map>

#include "api/v2/handlers.h"
#include "api/v2/route_table.h"

namespace workbind::api {
namespace json = boost::json;
namespace {

// Path parameters of "/api/v2/users/{userId}/workbins/{id}" in order.
std::vector<std::string> PathParams(const std::string& pattern) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = pattern.find('{', at)) != std::string::npos) {
    size_t end = pattern.find('}', at);
    out.push_back(pattern.substr(at + 1, end - at - 1));
    at = end;
  }
  return out;
}

// "GET /api/v2/users/{userId}" -> "get_users_userId".
std::string OperationId(const std::string& method, const std::string& path) {
  std::string id = method;
  std::transform(id.begin(), id.end(), id.begin(), ::tolower);
  for (char c : path.substr(std::string("/api/v2").size())) {
    if (c == '/' || c == '-')
      id += '_';
    else if (c != '{' && c != '}')
      id += c;
  }
  return id;
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// x-workbind-roles / x-workbind-system-admins / x-workbind-feature.
void AddAccess(const Access& access, const std::string& feature,
               json::object* o) {
  (*o)["x-workbind-roles"] = Strings(access.roles);
  if (access.system_admin) (*o)["x-workbind-system-admins"] = true;
  if (!access.users) (*o)["x-workbind-users"] = false;
  if (!feature.empty()) (*o)["x-workbind-feature"] = feature;
}

json::object ErrorRef() {
  return json::object{
      {"description", "An error (statusCode and statusMessage)"},
      {"content",
       json::object{
           {"application/json",
            json::object{{"schema", json::object{{"$ref",
                                                  "#/components/schemas/"
                                                  "Error"}}}}}}}};
}

json::object OperationObject(const Route& r) {
  json::object op;
  op["operationId"] = OperationId(r.method, r.pattern);
  op["summary"] = r.summary;
  json::array params;
  for (const auto& name : PathParams(r.pattern))
    params.push_back(json::object{{"name", name},
                                  {"in", "path"},
                                  {"required", true},
                                  {"schema", {{"type", "string"}}}});
  if (r.method == "GET")
    for (const char* q : {"fields", "subresources"})
      params.push_back(
          json::object{{"name", q},
                       {"in", "query"},
                       {"required", false},
                       {"description", "Comma-separated list, or *"},
                       {"schema", {{"type", "string"}}}});
  if (!params.empty()) op["parameters"] = std::move(params);
  op["security"] =
      r.is_public ? json::array{}
                  : json::array{json::object{{"basicAuth", json::array{}}},
                                json::object{{"sessionCookie", json::array{}}}};
  AddAccess(r.access, r.feature, &op);
  if (r.extension) op["x-workbind-extension"] = true;
  if (!r.alias_of.empty()) op["x-workbind-alias-of"] = r.alias_of;

  if (r.method == "POST" || r.method == "PUT") {
    json::array one_of;
    for (const auto& o : r.operations) {
      json::object schema{
          {"type", "object"},
          {"title", o.name},
          {"required", json::array{"operationName"}},
          {"properties",
           json::object{{"operationName", json::object{{"const", o.name}}}}},
          {"additionalProperties", true}};
      AddAccess(o.access, o.feature.empty() ? r.feature : o.feature, &schema);
      if (o.alias) schema["x-workbind-alias"] = true;
      if (o.extension) schema["x-workbind-extension"] = true;
      one_of.push_back(std::move(schema));
    }
    if (r.update_without_operation || r.operations.empty()) {
      json::object update{{"type", "object"},
                          {"title", r.method == "PUT" || r.operations.empty()
                                        ? "Body"
                                        : "Update (no operationName)"},
                          {"additionalProperties", true}};
      if (r.update_without_operation && !r.update_feature.empty())
        update["x-workbind-feature"] = r.update_feature;
      one_of.push_back(std::move(update));
    }
    json::object schema;
    if (one_of.size() == 1)
      schema = std::move(one_of[0].as_object());
    else
      schema["oneOf"] = std::move(one_of);
    op["requestBody"] = json::object{
        {"required", true},
        {"content",
         json::object{{"application/json",
                       json::object{{"schema", std::move(schema)}}}}}};
  }
  op["responses"] = json::object{
      {"200",
       json::object{
           {"description", "statusCode 0 and the result"},
           {"content",
            json::object{
                {"application/json",
                 json::object{{"schema", json::object{{"$ref",
                                                       "#/components/schemas/"
                                                       "Reply"}}}}}}}}},
      {"default", ErrorRef()}};
  return op;
}

}  // namespace

json::object OpenApiDocument(const std::vector<Route>& routes,
                             const std::string& version) {
  std::map<std::string, json::object> paths;  // ordered by path
  for (const auto& r : routes) {
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    paths[r.pattern][method] = OperationObject(r);
  }
  json::object path_items;
  for (auto& [path, item] : paths) path_items[path] = std::move(item);
  json::object schemas{
      {"Error",
       json::object{{"type", "object"},
                    {"required", json::array{"statusCode", "statusMessage"}},
                    {"properties",
                     json::object{{"statusCode", {{"type", "integer"}}},
                                  {"statusMessage", {{"type", "string"}}}}}}},
      {"Reply",
       json::object{
           {"type", "object"},
           {"required", json::array{"statusCode"}},
           {"properties",
            json::object{{"statusCode", {{"type", "integer"}, {"const", 0}}},
                         {"referenceId", {{"type", "integer"}}}}},
           {"additionalProperties", true}}}};
  return json::object{
      {"openapi", "3.1.0"},
      {"info",
       json::object{{"title", "workbind REST API"},
                    {"version", version},
                    {"description",
                     "Genesys Web Services 8.5 v2 compatible REST API with "
                     "workbind extensions. Generated from the route table."}}},
      {"paths", std::move(path_items)},
      {"components",
       json::object{
           {"schemas", std::move(schemas)},
           {"securitySchemes",
            json::object{
                {"basicAuth",
                 json::object{{"type", "http"}, {"scheme", "basic"}}},
                {"sessionCookie", json::object{{"type", "apiKey"},
                                               {"in", "cookie"},
                                               {"name", "JSESSIONID"}}}}}}}};
}

Reply GetOpenApi(Context& ctx) {
  ctx.bare_reply = true;
  return OpenApiDocument(Routes(), ctx.services.settings.product_version);
}

}  // namespace workbind::api
