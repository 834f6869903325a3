#include "api/v2/handlers.h"
#include "api/v2/resources.h"
#include "common/ids.h"
#include "domain/agents/agent_state_service.h"
#include "http/json_util.h"

namespace workbind::api {
namespace json = boost::json;
namespace {

// The user a /users/{userId}/channels route acts on: kNotFound when unknown,
// kPermissionDenied when the caller may not act for it (auth.md §7.1).
Result<const storage::UserRecord*> TargetUser(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto dir, ctx.Directory());
  const std::string& id = ctx.request.Param("userId");
  const auto* target = ids::IsHex32(id) ? dir->UserById(id) : nullptr;
  if (!target) return NotFound("No such user '" + id + "'");
  const auto* me = dir->UserById(ctx.principal.user_id);
  if (!me || !dir->MayActFor(*me, id))
    return PermissionDenied("Cannot act for user '" + id + "'");
  return target;
}

Reply ListChannels(Context& ctx, const std::string& user_id,
                   const std::string& base_path) {
  WB_ASSIGN_OR_RETURN(auto state, ctx.services.agent_states->Get(user_id));
  std::vector<json::object> items;
  if (state) {
    for (const auto& c : state->channels) {
      json::object o = domain::AgentStateService::RenderChannel(c);
      o["uri"] = ctx.Uri(base_path + "/" + c.channel);
      items.push_back(std::move(o));
    }
  }
  auto reply = CollectionReply(ctx, "channels", std::move(items), false);
  // Channel-state objects carry no uri of their own (conventions.md §1).
  if (auto* list = reply.if_contains("channels"))
    for (auto& o : list->as_array()) o.as_object().erase("uri");
  return reply;
}

Reply OneChannel(Context& ctx, const std::string& user_id) {
  WB_ASSIGN_OR_RETURN(auto state, ctx.services.agent_states->Get(user_id));
  const std::string& name = ctx.request.Param("channel");
  if (state)
    for (const auto& c : state->channels)
      if (c.channel == name)
        return json::object{
            {"channel", domain::AgentStateService::RenderChannel(c)}};
  return NotFound("Channel '" + name + "' is not logged in");
}

Reply SetChannel(Context& ctx, const std::string& user_id) {
  const bool ready = ctx.operation == "Ready";
  std::optional<std::string> reason;
  if (!ready) {
    WB_ASSIGN_OR_RETURN(reason, http::GetString(ctx.body, "reason"));
  }
  WB_ASSIGN_OR_RETURN(
      int64_t ref,
      ctx.services.agent_states->SetState(
          ctx.principal, user_id, ctx.request.Param("channel"), ready, reason));
  return json::object{{"referenceId", ref}};
}

}  // namespace

Reply GetMyChannels(Context& ctx) {
  return ListChannels(ctx, ctx.principal.user_id, "/me/channels");
}
Reply GetMyChannel(Context& ctx) {
  return OneChannel(ctx, ctx.principal.user_id);
}
Reply PostMyChannel(Context& ctx) {
  return SetChannel(ctx, ctx.principal.user_id);
}

Reply GetUserChannels(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto target, TargetUser(ctx));
  return ListChannels(ctx, target->id, "/users/" + target->id + "/channels");
}
Reply GetUserChannel(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto target, TargetUser(ctx));
  return OneChannel(ctx, target->id);
}
Reply PostUserChannel(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto target, TargetUser(ctx));
  return SetChannel(ctx, target->id);
}

}  // namespace workbind::api
