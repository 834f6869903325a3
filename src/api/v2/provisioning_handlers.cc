// Admin REST API (provisioning.md §7) and system API (§8): thin handlers
// over domain::ProvisioningService. Roles and features are checked by the
// route table.
#include "api/v2/handlers.h"
#include "api/v2/resources.h"
#include "domain/provisioning/provisioning_service.h"

namespace workbind::api {
namespace json = boost::json;
using domain::ObjectKind;

namespace {

// Kind of the collection a route names ("/api/v2/<collection>[/{id}]").
ObjectKind KindOf(const Context& ctx) {
  const std::string& c = ctx.request.segments().at(2);
  if (c == "users") return ObjectKind::kUser;
  if (c == "places") return ObjectKind::kPlace;
  if (c == "place-groups") return ObjectKind::kPlaceGroup;
  if (c == "agent-groups") return ObjectKind::kAgentGroup;
  if (c == "queues") return ObjectKind::kQueue;
  return ObjectKind::kWorkbinDefinition;
}

const char* PluralOf(ObjectKind k) {
  switch (k) {
    case ObjectKind::kUser:
      return "users";
    case ObjectKind::kPlace:
      return "places";
    case ObjectKind::kPlaceGroup:
      return "placeGroups";
    case ObjectKind::kAgentGroup:
      return "agentGroups";
    case ObjectKind::kQueue:
      return "queues";
    default:
      return "workbinDefinitions";
  }
}

const char* SingularOf(ObjectKind k) {
  switch (k) {
    case ObjectKind::kUser:
      return "user";
    case ObjectKind::kPlace:
      return "place";
    case ObjectKind::kPlaceGroup:
      return "placeGroup";
    case ObjectKind::kAgentGroup:
      return "agentGroup";
    case ObjectKind::kQueue:
      return "queue";
    default:
      return "workbinDefinition";
  }
}

// Tells the rest of the server what a committed change ended.
void Announce(Context& ctx, const domain::ChangeEffects& e) {
  for (const auto& name : e.ended_user_names)
    ctx.services.auth->ForgetUser(name);
  if (!e.ended_sessions.empty() || !e.ended_user_ids.empty())
    ctx.services.auth->SessionsEnded(e.ended_sessions, e.ended_user_ids);
}

json::object Created(Context& ctx, const domain::ProvisioningChange& c) {
  return json::object{{"id", c.id}, {"uri", ctx.Uri(c.path)}, {"path", c.path}};
}

const std::string& ItemId(const Context& ctx) {
  const std::string& id = ctx.request.Param("id");
  return id.empty() ? ctx.request.Param("userId") : id;
}

}  // namespace

Reply ListProvisioned(Context& ctx) {
  ObjectKind kind = KindOf(ctx);
  WB_ASSIGN_OR_RETURN(auto list, ctx.services.provisioning->List(
                                     ctx.principal.contact_center_id, kind,
                                     ctx.services.settings.external_api_url));
  std::vector<json::object> items;
  for (auto& v : list) items.push_back(std::move(v.as_object()));
  return CollectionReply(ctx, PluralOf(kind), std::move(items), false);
}

Reply GetProvisioned(Context& ctx) {
  ObjectKind kind = KindOf(ctx);
  WB_ASSIGN_OR_RETURN(auto o,
                      ctx.services.provisioning->Get(
                          ctx.principal.contact_center_id, kind, ItemId(ctx),
                          ctx.services.settings.external_api_url));
  if (auto fields = ctx.request.QueryList("fields"))
    o = Project(std::move(o), *fields);
  return json::object{{SingularOf(kind), std::move(o)}};
}

Reply CreateProvisioned(Context& ctx) {
  WB_ASSIGN_OR_RETURN(
      auto change, ctx.services.provisioning->Create(
                       ctx.principal.contact_center_id, KindOf(ctx), ctx.body));
  Announce(ctx, change.effects);
  return Created(ctx, change);
}

Reply UpdateProvisioned(Context& ctx) {
  WB_ASSIGN_OR_RETURN(
      auto change, ctx.services.provisioning->Update(
                       ctx.principal.contact_center_id, KindOf(ctx),
                       ItemId(ctx), ctx.body, ctx.principal.http_session_id));
  Announce(ctx, change.effects);
  return json::object{};
}

Reply DeleteProvisioned(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto change, ctx.services.provisioning->Delete(
                                       ctx.principal.contact_center_id,
                                       KindOf(ctx), ItemId(ctx)));
  Announce(ctx, change.effects);
  return json::object{};
}

Reply ListContactCenters(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto list, ctx.services.provisioning->ListContactCenters(
                                     ctx.services.settings.external_api_url));
  std::vector<json::object> items;
  for (auto& v : list) items.push_back(std::move(v.as_object()));
  return CollectionReply(ctx, "contactCenters", std::move(items), false);
}

Reply GetContactCenter(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto o, ctx.services.provisioning->GetContactCenter(
                                  ctx.request.Param("id"),
                                  ctx.services.settings.external_api_url));
  if (auto fields = ctx.request.QueryList("fields"))
    o = Project(std::move(o), *fields);
  return json::object{{"contactCenter", std::move(o)}};
}

Reply CreateContactCenter(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto change,
                      ctx.services.provisioning->CreateContactCenter(ctx.body));
  return Created(ctx, change);
}

Reply UpdateContactCenter(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto change,
                      ctx.services.provisioning->UpdateContactCenter(
                          ctx.request.Param("id"), ctx.body));
  Announce(ctx, change.effects);
  return json::object{};
}

Reply DeleteContactCenter(Context& ctx) {
  WB_ASSIGN_OR_RETURN(
      auto change,
      ctx.services.provisioning->DeleteContactCenter(ctx.request.Param("id")));
  Announce(ctx, change.effects);
  return json::object{};
}

Reply CreateContactCenterUser(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto change,
                      ctx.services.provisioning->CreateUserInContactCenter(
                          ctx.request.Param("id"), ctx.body));
  return Created(ctx, change);
}

Reply GetSystemAdmin(Context& ctx) {
  if (ctx.request.Param("id") != ctx.principal.user_id)
    return NotFound("No such resource: " + ctx.request.path());
  return json::object{{"user", RenderSystemAdminSelf(ctx)}};
}

}  // namespace workbind::api
