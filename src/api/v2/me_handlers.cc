#include "api/v2/handlers.h"
#include "api/v2/resources.h"
#include "domain/agents/agent_state_service.h"
#include "http/json_util.h"

namespace workbind::api {
namespace json = boost::json;
namespace {

const std::vector<std::string> kMeSubresources = {
    "channels",  "devices", "features", "settings", "skills",
    "workitems", "emails",  "chats",    "openmedia"};

// The caller's own interactions for the subresources workitems, emails,
// chats and openmedia (interactions need api-multimedia: [] without it).
Result<json::array> InteractionSubresource(Context& ctx,
                                           const domain::Directory& dir,
                                           const std::string& name) {
  if (!dir.FeatureEnabled("api-multimedia")) return json::array();
  if (name == "openmedia") return MyInteractions(ctx, "openmedia");
  return MyInteractions(
      ctx, name.substr(0, name.size() - 1));  // "workitems" -> "workitem"
}

Reply StartContactCenterSession(Context& ctx) {
  const json::value* ch = ctx.body.if_contains("channels");
  if (!ch || ch->is_null())
    return MissingParameter("Missing required field 'channels'");
  WB_ASSIGN_OR_RETURN(auto channels,
                      http::GetStringArray(ctx.body, "channels"));
  WB_ASSIGN_OR_RETURN(auto place, http::GetString(ctx.body, "place"));
  WB_ASSIGN_OR_RETURN(auto results, ctx.services.agent_states->Start(
                                        ctx.principal, *channels, place));
  bool all_ok = true;
  for (const auto& r : results) all_ok = all_ok && r.status.ok();
  if (all_ok) return json::object{};
  json::array out;
  for (const auto& r : results) {
    json::object o{{"channel", r.channel}};
    if (r.status.ok()) {
      o["statusCode"] = 0;
    } else {
      o["statusCode"] = 10;
      o["statusMessage"] = r.status.message();
    }
    out.push_back(std::move(o));
  }
  return json::object{{"statusCode", 7}, {"channels", std::move(out)}};
}

Reply EndContactCenterSession(Context& ctx) {
  // The HTTP session (and with it its CometD sessions, whose held connects
  // are answered with reconnect "none") ends first: the channels:[] message
  // of the contact-center end is for the user's *other* CometD sessions only
  // (auth.md §9.3). When this was the user's last HTTP session, ending it
  // already ended the contact-center session; End() is then a no-op.
  WB_RETURN_IF_ERROR(ctx.services.auth->EndSession(
      ctx.principal.http_session_id, ctx.principal.user_id));
  if (!ctx.principal.system_admin) {
    WB_RETURN_IF_ERROR(ctx.services.agent_states->End(
        ctx.principal.contact_center_id, ctx.principal.user_id));
  }
  ctx.end_session = true;
  return json::object{};
}

Reply SetAllChannels(Context& ctx, bool ready) {
  std::optional<std::string> reason;
  if (!ready) {
    WB_ASSIGN_OR_RETURN(reason, http::GetString(ctx.body, "reason"));
  }
  WB_ASSIGN_OR_RETURN(int64_t ref, ctx.services.agent_states->SetState(
                                       ctx.principal, ctx.principal.user_id, "",
                                       ready, reason));
  return json::object{{"referenceId", ref}};
}

}  // namespace

Reply GetMe(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto subs, ParseSubresources(ctx, kMeSubresources));
  if (ctx.principal.system_admin) {
    json::object user = RenderSystemAdminSelf(ctx);
    if (auto fields = ctx.request.QueryList("fields"))
      user = Project(std::move(user), *fields);
    return json::object{{"user", std::move(user)}};
  }
  WB_ASSIGN_OR_RETURN(auto dir, ctx.Directory());
  const auto* rec = dir->UserById(ctx.principal.user_id);
  if (!rec) return NotFound("No such user");
  json::object user = RenderUser(ctx, *dir, *rec);
  WB_ASSIGN_OR_RETURN(auto state, ctx.services.agent_states->Get(rec->id));
  std::optional<std::string> place_id =
      state && state->place_id ? state->place_id : rec->default_place_id;
  if (place_id)
    if (const auto* p = dir->PlaceById(*place_id)) user["place"] = p->name;
  if (auto fields = ctx.request.QueryList("fields"))
    user = Project(std::move(user), *fields);
  if (subs) {
    for (const auto& name : *subs) {
      if (name == "channels") {
        json::array a;
        if (state)
          for (const auto& c : state->channels)
            a.push_back(domain::AgentStateService::RenderChannel(c));
        user["channels"] = std::move(a);
      } else if (name == "features") {
        json::array a;
        std::vector<std::string> ids = dir->contact_center().features;
        std::sort(ids.begin(), ids.end());
        for (const auto& f : ids) a.push_back(RenderFeature(ctx, f));
        user["features"] = std::move(a);
      } else if (name == "settings") {
        user["settings"] = json::object();
      } else if (name == "workitems" || name == "emails" || name == "chats" ||
                 name == "openmedia") {
        WB_ASSIGN_OR_RETURN(user[name],
                            InteractionSubresource(ctx, *dir, name));
      } else {
        user[name] = json::array();  // devices, skills: no voice, no skills
      }
    }
  }
  return json::object{{"user", std::move(user)}};
}

Reply PostMe(Context& ctx) {
  if (ctx.operation == "StartContactCenterSession")
    return StartContactCenterSession(ctx);
  if (ctx.operation == "EndContactCenterSession")
    return EndContactCenterSession(ctx);
  if (ctx.operation == "Ready") return SetAllChannels(ctx, true);
  return SetAllChannels(ctx, false);
}

}  // namespace workbind::api
