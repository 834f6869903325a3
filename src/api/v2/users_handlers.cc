#include "api/v2/handlers.h"
#include "api/v2/resources.h"
#include "common/ids.h"
#include "domain/agents/agent_state_service.h"

namespace workbind::api {
namespace json = boost::json;
namespace {

const std::vector<std::string> kUserSubresources = {"channels", "devices",
                                                    "settings", "skills"};

Result<json::object> WithSubresources(
    Context& ctx, const std::string& user_id, json::object user,
    const std::optional<std::vector<std::string>>& subs) {
  if (!subs) return user;
  for (const auto& name : *subs) {
    if (name == "channels") {
      WB_ASSIGN_OR_RETURN(auto state, ctx.services.agent_states->Get(user_id));
      json::array a;
      if (state)
        for (const auto& c : state->channels)
          a.push_back(domain::AgentStateService::RenderChannel(c));
      user["channels"] = std::move(a);
    } else if (name == "settings") {
      user["settings"] = json::object();
    } else {
      user[name] = json::array();
    }
  }
  return user;
}

}  // namespace

Reply GetUsers(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto subs, ParseSubresources(ctx, kUserSubresources));
  WB_ASSIGN_OR_RETURN(auto dir, ctx.Directory());
  std::vector<json::object> items;
  for (const auto& u : dir->data().users) {
    WB_ASSIGN_OR_RETURN(
        auto o, WithSubresources(ctx, u.id, RenderUser(ctx, *dir, u), subs));
    items.push_back(std::move(o));
  }
  return CollectionReply(ctx, "users", std::move(items), subs.has_value(),
                         subs ? *subs : std::vector<std::string>{});
}

Reply GetUser(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto subs, ParseSubresources(ctx, kUserSubresources));
  WB_ASSIGN_OR_RETURN(auto dir, ctx.Directory());
  const std::string& id = ctx.request.Param("userId");
  const auto* u = ids::IsHex32(id) ? dir->UserById(id) : nullptr;
  if (!u) return NotFound("No such user '" + id + "'");
  if (id != ctx.principal.user_id &&
      !ctx.principal.HasRole("ROLE_SUPERVISOR") &&
      !ctx.principal.IsAdminLike()) {
    return PermissionDenied(
        "Requires ROLE_SUPERVISOR, ROLE_ADMIN or ROLE_APIUSER");
  }
  json::object user = RenderUser(ctx, *dir, *u);
  if (auto fields = ctx.request.QueryList("fields"))
    user = Project(std::move(user), *fields);
  WB_ASSIGN_OR_RETURN(user,
                      WithSubresources(ctx, u->id, std::move(user), subs));
  return json::object{{"user", std::move(user)}};
}

}  // namespace workbind::api
