// Interactions: the caller's collections and
// items per media family, the alias item routes, and the /interactions/{id}
// extension. Thin handlers over domain::InteractionService; the media of a
// route is fixed by its handler (or the {mediaType} path parameter).
#include "api/v2/handlers.h"
#include "api/v2/interaction_requests.h"
#include "api/v2/resources.h"
#include "domain/interactions/interaction_service.h"

namespace workbind::api {
namespace json = boost::json;
namespace {

// The {mediaType} of an open-media route: only open-media names qualify
// (workitem, email and chat have their own routes); the contact center's
// list of types is checked by the service.
Result<std::string> OpenMediaType(const Context& ctx) {
  const std::string& m = ctx.request.Param("mediaType");
  if (m == "openmedia" ||
      domain::FamilyOf(m) != domain::MediaFamily::kOpenMedia)
    return NotFound("No such media type '" + m + "'");
  return m;
}

json::object Fielded(const Context& ctx, json::object o) {
  if (auto fields = ctx.request.QueryList("fields"))
    return Project(std::move(o), *fields);
  return o;
}

Reply List(Context& ctx, const Result<std::string>& media, const char* plural) {
  if (!media.ok()) return media.status();
  WB_ASSIGN_OR_RETURN(
      auto items, ctx.services.interactions->ListMine(ctx.principal, *media));
  return CollectionReply(ctx, plural, std::move(items), false);
}

Reply Create(Context& ctx, const Result<std::string>& media) {
  // Chats refuse Create whatever the body.
  domain::CreateRequest request;
  if (!media.ok() || *media != "chat") {
    WB_ASSIGN_OR_RETURN(request, DecodeCreate(ctx.body));
  }
  if (!media.ok()) return media.status();
  // The reply, also stored with an Idempotency-Key in the transaction.
  auto reply = [](const domain::ChangeOutcome& o) {
    return json::object{{"referenceId", o.reference_id}, {"id", o.id}};
  };
  WB_ASSIGN_OR_RETURN(
      auto created, ctx.services.interactions->Create(
                        ctx.principal, *media, request, ctx.ReplyStep(reply)));
  return reply({created.reference_id, created.id});
}

Reply GetMine(Context& ctx, const Result<std::string>& media,
              const char* singular) {
  if (!media.ok()) return media.status();
  WB_ASSIGN_OR_RETURN(
      auto o, ctx.services.interactions->GetMine(ctx.principal, *media,
                                                 ctx.request.Param("id")));
  return json::object{{singular, Fielded(ctx, std::move(o))}};
}

Reply GetAny(Context& ctx, const Result<std::string>& media,
             const char* singular) {
  if (!media.ok()) return media.status();
  WB_ASSIGN_OR_RETURN(
      auto o, ctx.services.interactions->GetVisible(ctx.principal, *media,
                                                    ctx.request.Param("id"),
                                                    /*extended=*/false));
  return json::object{{singular, Fielded(ctx, std::move(o))}};
}

Reply Operate(Context& ctx, domain::ItemRoute route,
              const Result<std::string>& media) {
  WB_ASSIGN_OR_RETURN(auto request, DecodeOperation(ctx.operation, ctx.body));
  if (!media.ok()) return media.status();
  auto reply = [](const domain::ChangeOutcome& o) {
    return json::object{{"referenceId", o.reference_id}};
  };
  WB_ASSIGN_OR_RETURN(int64_t ref,
                      ctx.services.interactions->Operate(
                          ctx.principal, route, *media, ctx.request.Param("id"),
                          request, ctx.ReplyStep(reply)));
  return reply({ref, {}});
}

Result<std::string> Fixed(const char* media) { return std::string(media); }

}  // namespace

Reply GetMyWorkitems(Context& ctx) {
  return List(ctx, Fixed("workitem"), "workitems");
}
Reply GetMyEmails(Context& ctx) { return List(ctx, Fixed("email"), "emails"); }
Reply GetMyChats(Context& ctx) { return List(ctx, Fixed("chat"), "chats"); }
Reply GetMyOpenmedia(Context& ctx) {
  return List(ctx, OpenMediaType(ctx), "openmedia");
}

Reply PostMyWorkitems(Context& ctx) { return Create(ctx, Fixed("workitem")); }
Reply PostMyEmails(Context& ctx) { return Create(ctx, Fixed("email")); }
Reply PostMyChats(Context& ctx) { return Create(ctx, Fixed("chat")); }
Reply PostMyOpenmedia(Context& ctx) { return Create(ctx, OpenMediaType(ctx)); }

Reply GetMyWorkitem(Context& ctx) {
  return GetMine(ctx, Fixed("workitem"), "workitem");
}
Reply GetMyEmail(Context& ctx) { return GetMine(ctx, Fixed("email"), "email"); }
Reply GetMyChat(Context& ctx) { return GetMine(ctx, Fixed("chat"), "chat"); }
Reply GetMyOpenmediaItem(Context& ctx) {
  return GetMine(ctx, OpenMediaType(ctx), "openmedia");
}

Reply GetWorkitem(Context& ctx) {
  return GetAny(ctx, Fixed("workitem"), "workitem");
}
Reply GetEmail(Context& ctx) { return GetAny(ctx, Fixed("email"), "email"); }
Reply GetChat(Context& ctx) { return GetAny(ctx, Fixed("chat"), "chat"); }
Reply GetOpenmediaItem(Context& ctx) {
  return GetAny(ctx, OpenMediaType(ctx), "openmedia");
}

constexpr auto kMine = domain::ItemRoute::kMine;
constexpr auto kAlias = domain::ItemRoute::kAlias;
Reply PostMyWorkitem(Context& ctx) {
  return Operate(ctx, kMine, Fixed("workitem"));
}
Reply PostMyEmail(Context& ctx) { return Operate(ctx, kMine, Fixed("email")); }
Reply PostMyChat(Context& ctx) { return Operate(ctx, kMine, Fixed("chat")); }
Reply PostMyOpenmediaItem(Context& ctx) {
  return Operate(ctx, kMine, OpenMediaType(ctx));
}
Reply PostWorkitem(Context& ctx) {
  return Operate(ctx, kAlias, Fixed("workitem"));
}
Reply PostEmail(Context& ctx) { return Operate(ctx, kAlias, Fixed("email")); }
Reply PostChat(Context& ctx) { return Operate(ctx, kAlias, Fixed("chat")); }
Reply PostOpenmediaItem(Context& ctx) {
  return Operate(ctx, kAlias, OpenMediaType(ctx));
}

Reply GetInteraction(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto o, ctx.services.interactions->GetVisible(
                                  ctx.principal, "", ctx.request.Param("id"),
                                  /*extended=*/true));
  return json::object{{"interaction", Fielded(ctx, std::move(o))}};
}

Reply GetInteractionHistory(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto history,
                      ctx.services.interactions->History(
                          ctx.principal, ctx.request.Param("id")));
  return json::object{{"history", std::move(history)}};
}

Reply PostInteraction(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto request, DecodeOperation(ctx.operation, ctx.body));
  WB_ASSIGN_OR_RETURN(int64_t ref,
                      ctx.services.interactions->ChangeUserDataOfAny(
                          ctx.principal, ctx.request.Param("id"), request));
  return json::object{{"referenceId", ref}};
}

Result<json::array> MyInteractions(Context& ctx, const std::string& media) {
  WB_ASSIGN_OR_RETURN(
      auto items, ctx.services.interactions->ListMine(ctx.principal, media));
  json::array out;
  for (auto& o : items) out.push_back(std::move(o));
  return out;
}

}  // namespace workbind::api
