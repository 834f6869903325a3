// The OpenAPI document lists every route of the table with its operations,
// and nothing else.
#include <gtest/gtest.h>

#include <set>

#include "api/v2/route_table.h"

namespace workbind::api {
namespace {
namespace json = boost::json;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

TEST(OpenApi, EveryRouteAndOperationIsListed) {
  json::object doc = OpenApiDocument(Routes(), "9.9.9");
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  EXPECT_EQ(doc.at("info").at("version"), "9.9.9");
  const json::object& paths = doc.at("paths").as_object();
  size_t listed = 0;
  for (const auto& [path, item] : paths) listed += item.as_object().size();
  EXPECT_EQ(listed, Routes().size()) << "one entry per route";
  std::set<std::string> ids;
  for (const Route& r : Routes()) {
    const json::value* item = paths.if_contains(r.pattern);
    ASSERT_NE(item, nullptr) << r.pattern;
    const json::value* op = item->as_object().if_contains(Lower(r.method));
    ASSERT_NE(op, nullptr) << r.method << " " << r.pattern;
    EXPECT_TRUE(
        ids.insert(std::string(op->at("operationId").as_string())).second)
        << "duplicate operationId " << op->at("operationId");
    EXPECT_EQ(op->at("summary").as_string(), r.summary);
    EXPECT_EQ(op->at("security").as_array().empty(), r.is_public) << r.pattern;
    if (r.operations.empty()) continue;
    const json::object& schema = op->at("requestBody")
                                     .at("content")
                                     .at("application/json")
                                     .at("schema")
                                     .as_object();
    std::set<std::string> names;
    if (const json::value* one_of = schema.if_contains("oneOf")) {
      for (const auto& s : one_of->as_array())
        if (const auto* p = s.as_object().if_contains("properties"))
          names.insert(
              std::string(p->at("operationName").at("const").as_string()));
    } else {
      names.insert(std::string(
          schema.at("properties").at("operationName").at("const").as_string()));
    }
    std::set<std::string> want;
    for (const auto& o : r.operations) want.insert(o.name);
    EXPECT_EQ(names, want) << r.method << " " << r.pattern;
  }
}

TEST(OpenApi, MarksExtensionsAndAliases) {
  json::object doc = OpenApiDocument(Routes(), "1");
  const json::object& paths = doc.at("paths").as_object();
  EXPECT_EQ(
      paths.at("/api/v2/openapi.json").at("get").at("x-workbind-extension"),
      true);
  EXPECT_EQ(paths.at("/api/v2/{userId}/workbins/{id}")
                .at("get")
                .at("x-workbind-alias-of"),
            "/api/v2/users/{userId}/workbins/{id}");
  bool move_marked = false;
  for (const auto& s : paths.at("/api/v2/workbins/{id}")
                           .at("post")
                           .at("requestBody")
                           .at("content")
                           .at("application/json")
                           .at("schema")
                           .at("oneOf")
                           .as_array())
    if (s.at("title") == "MoveInteraction")
      move_marked = s.as_object().contains("x-workbind-extension");
  EXPECT_TRUE(move_marked);
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("Error"));
}

}  // namespace
}  // namespace workbind::api
