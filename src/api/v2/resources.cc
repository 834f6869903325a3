#include "api/v2/resources.h"

#include <algorithm>

#include "domain/provisioning/provisioning_render.h"

namespace workbind::api {
namespace json = boost::json;

json::object RenderUser(const Context& ctx, const domain::Directory& dir,
                        const storage::UserRecord& u) {
  return domain::RenderUser(dir.data(), u,
                            ctx.services.settings.external_api_url);
}

json::object RenderSystemAdminSelf(const Context& ctx) {
  storage::SystemAdminRecord admin{ctx.principal.user_id,
                                   ctx.principal.user_name, ""};
  return domain::RenderSystemAdmin(admin,
                                   ctx.services.settings.external_api_url);
}

json::object RenderFeature(const Context& ctx, const std::string& id) {
  const std::string path = "/features/" + id;
  return json::object{
      {"id", id}, {"name", id}, {"uri", ctx.Uri(path)}, {"path", path}};
}

json::object Project(json::object o, const std::vector<std::string>& fields) {
  if (std::find(fields.begin(), fields.end(), "*") != fields.end()) return o;
  json::object out;
  for (const auto& f : fields)
    if (auto* v = o.if_contains(f)) out[f] = std::move(*v);
  return out;
}

Result<std::optional<std::vector<std::string>>> ParseSubresources(
    const Context& ctx, const std::vector<std::string>& accepted,
    const std::vector<std::pair<std::string, std::string>>& aliases) {
  auto list = ctx.request.QueryList("subresources");
  if (!list) return std::optional<std::vector<std::string>>();
  std::vector<std::string> out;
  auto add = [&](const std::string& n) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  for (std::string name : *list) {
    if (name == "*") {
      for (const auto& a : accepted) add(a);
      continue;
    }
    for (const auto& [alias, canonical] : aliases)
      if (name == alias) name = canonical;
    if (std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
      std::string names;
      for (const auto& a : accepted) names += (names.empty() ? "" : ", ") + a;
      return InvalidArgument("Unknown subresource '" + name +
                             "'; accepted: " + names);
    }
    add(name);
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

json::object CollectionReply(const Context& ctx, const std::string& plural,
                             std::vector<json::object> items,
                             bool subresources_requested,
                             const std::vector<std::string>& keep) {
  auto fields = ctx.request.QueryList("fields");
  json::object reply;
  if (!fields && !subresources_requested) {
    json::array uris;
    for (auto& i : items) uris.emplace_back(i["uri"]);
    reply["uris"] = std::move(uris);
    return reply;
  }
  std::vector<std::string> f = fields ? *fields : std::vector<std::string>{"*"};
  f.insert(f.end(), keep.begin(), keep.end());
  json::array out;
  for (auto& i : items) out.emplace_back(Project(std::move(i), f));
  reply[plural] = std::move(out);
  return reply;
}

}  // namespace workbind::api
