// Workbins: listings, content, Add/Pull and subscriptions on one workbin.
// Thin handlers over domain::WorkbinService; this file decodes the query
// (fields, subresources, workbinIds, a media segment) and the bodies, and
// shapes the replies.
#include <algorithm>

#include "api/v2/content_query_params.h"
#include "api/v2/handlers.h"
#include "api/v2/interaction_requests.h"
#include "api/v2/resources.h"
#include "domain/workbins/workbin_operations.h"
#include "domain/workbins/workbin_service.h"
#include "http/json_util.h"

namespace workbind::api {
namespace json = boost::json;
namespace {

constexpr size_t kMaxWorkbinIds = 100;

// Content subresource names, in the order arrays are emitted, with their
// collection keys.
struct ContentKind {
  const char* name;
  const char* collection;
};
constexpr ContentKind kKinds[] = {
    {"email", "emails"},       {"chat", "chats"},
    {"workitem", "workitems"}, {"tweet", "tweets"},
    {"facebook", "facebooks"}, {"facebooksession", "facebooksessions"},
    {"openmedia", "openmedia"}};

// The subresource an interaction of `media_type` is listed under.
std::string KindOf(const std::string& media_type) {
  for (const auto& k : kKinds)
    if (media_type == k.name && media_type != "openmedia") return k.name;
  return "openmedia";
}

const ContentKind* KindByNameOrCollection(const std::string& s) {
  for (const auto& k : kKinds)
    if (s == k.name || s == k.collection) return &k;
  return nullptr;
}

// The parsed `subresources`: nullopt when absent; `all` for "*" (only
// non-empty arrays are emitted), else the listed kinds (always emitted).
struct ContentSelection {
  bool all = false;
  std::vector<std::string> kinds;
};

Result<std::optional<ContentSelection>> Selection(const Context& ctx) {
  std::vector<std::string> accepted;
  std::vector<std::pair<std::string, std::string>> aliases;
  for (const auto& k : kKinds) {
    accepted.emplace_back(k.name);
    if (std::string(k.name) != k.collection)
      aliases.emplace_back(k.collection, k.name);
  }
  WB_ASSIGN_OR_RETURN(auto parsed, ParseSubresources(ctx, accepted, aliases));
  if (!parsed) return std::optional<ContentSelection>();
  ContentSelection sel;
  auto raw = ctx.request.QueryList("subresources");
  sel.all = raw && std::find(raw->begin(), raw->end(), "*") != raw->end();
  sel.kinds = std::move(*parsed);
  return std::optional<ContentSelection>(std::move(sel));
}

// The workbin resource projected on `fields`, with the selected content.
json::object Render(const Context& ctx, domain::WorkbinContent c,
                    const std::optional<ContentSelection>& sel) {
  json::object o = std::move(c.workbin);
  if (auto fields = ctx.request.QueryList("fields"))
    o = Project(std::move(o), *fields);
  if (!sel) return o;
  for (const auto& k : kKinds) {
    const bool listed = std::find(sel->kinds.begin(), sel->kinds.end(),
                                  k.name) != sel->kinds.end();
    if (!listed) continue;
    json::array items;
    for (auto& i : c.items)
      if (KindOf(i.media_type) == k.name) items.push_back(i.resource);
    if (sel->all && items.empty()) continue;
    o[k.collection] = std::move(items);
  }
  return o;
}

// The {userId} of a by-user route and the agentGroup=/placeGroup= check.
Result<domain::WorkbinAddress> AddressOf(const Context& ctx, bool by_user) {
  domain::WorkbinAddress at;
  if (by_user) at.for_user_id = ctx.request.Param("userId");
  auto agent_group = ctx.request.Query("agentGroup");
  auto place_group = ctx.request.Query("placeGroup");
  if (agent_group && place_group)
    return InvalidArgument(
        "Parameters 'agentGroup' and 'placeGroup' cannot be used together");
  if (agent_group) {
    at.group_type = "AgentGroup";
    at.group_name = *agent_group;
  } else if (place_group) {
    at.group_type = "PlaceGroup";
    at.group_name = *place_group;
  }
  return at;
}

// workbinIds: at most 100, duplicates dropped, order kept.
Result<std::vector<std::string>> WorkbinIds(const Context& ctx) {
  std::vector<std::string> out;
  for (const auto& id :
       ctx.request.QueryList("workbinIds").value_or(std::vector<std::string>{}))
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  if (out.size() > kMaxWorkbinIds)
    return InvalidArgument("At most " + std::to_string(kMaxWorkbinIds) +
                           " workbinIds");
  return out;
}

Reply List(Context& ctx, bool own_only, bool by_user) {
  WB_ASSIGN_OR_RETURN(auto at, AddressOf(ctx, by_user));
  WB_ASSIGN_OR_RETURN(auto sel, Selection(ctx));
  domain::WorkbinService& service = *ctx.services.workbins;
  std::vector<domain::WorkbinContent> found;
  if (ctx.request.Query("workbinIds")) {
    WB_ASSIGN_OR_RETURN(auto paging, ParseContentQuery(ctx));
    if (paging)
      return InvalidArgument(
          "Paging, sorting, filtering and counting apply to one workbin; not "
          "with 'workbinIds'");
    WB_ASSIGN_OR_RETURN(auto ids, WorkbinIds(ctx));
    for (const auto& id : ids) {
      WB_ASSIGN_OR_RETURN(auto c,
                          service.Get(ctx.principal, id, sel.has_value(), at));
      found.push_back(std::move(c));
    }
  } else {
    WB_ASSIGN_OR_RETURN(found, service.List(ctx.principal, own_only,
                                            sel.has_value(), at.for_user_id));
  }
  const bool projected =
      ctx.request.QueryList("fields") || sel || ctx.request.Query("workbinIds");
  if (!projected) {
    json::array uris;
    for (const auto& c : found) uris.push_back(c.workbin.at("uri"));
    return json::object{{"uris", std::move(uris)}};
  }
  json::array out;
  for (auto& c : found) out.push_back(Render(ctx, std::move(c), sel));
  return json::object{{"workbins", std::move(out)}};
}

// The collection key of a media type's counts (count=true).
std::string CollectionOf(const std::string& media_type) {
  const ContentKind* k = KindByNameOrCollection(KindOf(media_type));
  return k ? k->collection : "openmedia";
}

// totalCount, nextCursor and (count=true) counts of a paged read.
void AddPageKeys(const domain::WorkbinContent& c, bool with_counts,
                 json::object* reply) {
  (*reply)["totalCount"] = c.total;
  if (!c.next_cursor.empty()) (*reply)["nextCursor"] = c.next_cursor;
  if (!with_counts) return;
  json::object counts;
  for (const auto& [media, n] : c.counts) {
    const std::string key = CollectionOf(media);
    counts[key] = (counts.contains(key) ? counts[key].as_int64() : 0) + n;
  }
  (*reply)["counts"] = std::move(counts);
}

Reply GetOne(Context& ctx, bool by_user) {
  WB_ASSIGN_OR_RETURN(auto at, AddressOf(ctx, by_user));
  WB_ASSIGN_OR_RETURN(auto sel, Selection(ctx));
  WB_ASSIGN_OR_RETURN(auto query, ParseContentQuery(ctx));
  const std::string& id = ctx.request.Param("id");
  if (!query) {
    WB_ASSIGN_OR_RETURN(auto c, ctx.services.workbins->Get(
                                    ctx.principal, id, sel.has_value(), at));
    return json::object{{"workbin", Render(ctx, std::move(c), sel)}};
  }
  // Paging parameters act as subresources=* when none are given.
  if (!sel) sel = ContentSelection{true, {}};
  if (sel->kinds.empty())
    for (const auto& k : kKinds) sel->kinds.emplace_back(k.name);
  WB_ASSIGN_OR_RETURN(
      auto c, ctx.services.workbins->Get(ctx.principal, id, true, at, &*query,
                                         "workbin:" + id));
  domain::WorkbinContent page_keys{{},      {}, true, c.total, c.next_cursor,
                                   c.counts};
  json::object reply;
  if (query->count_only) {
    json::object o = std::move(c.workbin);
    if (auto fields = ctx.request.QueryList("fields"))
      o = Project(std::move(o), *fields);
    reply["workbin"] = std::move(o);
  } else {
    reply["workbin"] = Render(ctx, std::move(c), sel);
  }
  AddPageKeys(page_keys, query->count_only, &reply);
  return reply;
}

Reply GetByMedia(Context& ctx, bool by_user) {
  WB_ASSIGN_OR_RETURN(auto at, AddressOf(ctx, by_user));
  const ContentKind* kind =
      KindByNameOrCollection(ctx.request.Param("mediaType"));
  WB_ASSIGN_OR_RETURN(auto sel, Selection(ctx));
  WB_ASSIGN_OR_RETURN(auto query, ParseContentQuery(ctx));
  const std::string& id = ctx.request.Param("id");
  if (query && kind) {
    // The media segment narrows the mediaType filter. A selection that
    // leaves no media type must match nothing: "" is no interaction's type.
    std::vector<std::string> of_kind;
    if (std::string(kind->name) == "openmedia") {
      WB_ASSIGN_OR_RETURN(auto dir, ctx.Directory());
      of_kind = dir->contact_center().media_types;
    } else {
      of_kind = {kind->name};
    }
    std::vector<std::string> media;
    for (const auto& m : of_kind)
      if (query->media_types.empty() ||
          std::find(query->media_types.begin(), query->media_types.end(), m) !=
              query->media_types.end())
        media.push_back(m);
    if (media.empty()) media.emplace_back();
    query->media_types = std::move(media);
  }
  WB_ASSIGN_OR_RETURN(auto c,
                      ctx.services.workbins->Get(
                          ctx.principal, id, /*with_content=*/true, at,
                          query ? &*query : nullptr,
                          "workbin:" + id + "/" + (kind ? kind->name : "")));
  if (!kind)
    return NotFound("No such media type '" + ctx.request.Param("mediaType") +
                    "'");
  if (query && query->count_only) return json::object{{"totalCount", c.total}};
  const domain::WorkbinContent page_keys{
      {}, {}, c.paged, c.total, c.next_cursor, {}};
  std::vector<json::object> items;
  for (auto& i : c.items)
    if (KindOf(i.media_type) == kind->name)
      items.push_back(std::move(i.resource));
  if (sel) {
    json::object o = std::move(c.workbin);
    if (auto fields = ctx.request.QueryList("fields"))
      o = Project(std::move(o), *fields);
    json::array arr;
    for (auto& i : items) arr.push_back(std::move(i));
    o[kind->collection] = std::move(arr);
    json::object reply{{"workbin", std::move(o)}};
    if (page_keys.paged) AddPageKeys(page_keys, false, &reply);
    return reply;
  }
  json::object reply =
      CollectionReply(ctx, kind->collection, std::move(items), false);
  if (page_keys.paged) AddPageKeys(page_keys, false, &reply);
  return reply;
}

Result<domain::WorkbinItemRequest> DecodeItem(
    const Context& ctx, const domain::WorkbinItemOperation& op) {
  domain::WorkbinItemRequest r;
  r.operation = ctx.operation;
  r.media = op.media;
  WB_ASSIGN_OR_RETURN(auto id, http::GetString(ctx.body, "id"));
  WB_ASSIGN_OR_RETURN(auto uri, http::GetString(ctx.body, "uri"));
  if (!id && !uri)
    return MissingParameter("Missing required field 'id' or 'uri'");
  if (id && uri && *id != LastSegment(*uri))
    return InvalidArgument("Fields 'id' and 'uri' name different interactions");
  r.interaction_id = id ? *id : LastSegment(*uri);
  WB_ASSIGN_OR_RETURN(auto save_lar, http::GetBool(ctx.body, "saveLAR"));
  r.save_lar = save_lar.value_or(false);
  WB_ASSIGN_OR_RETURN(r.nickname, http::GetString(ctx.body, "nickname"));
  return r;
}

// The reply of an item operation, {"referenceId": N}, stored with the
// request's Idempotency-Key in the operation's transaction.
domain::CommitStep ReferenceReply(Context& ctx) {
  return ctx.ReplyStep([](const domain::ChangeOutcome& o) {
    return json::object{{"referenceId", o.reference_id}};
  });
}

Reply PostOne(Context& ctx, bool by_user) {
  WB_ASSIGN_OR_RETURN(auto at, AddressOf(ctx, by_user));
  domain::WorkbinService& service = *ctx.services.workbins;
  const std::string& id = ctx.request.Param("id");
  const std::string& op = ctx.operation;
  int64_t ref = 0;
  if (op == "MoveInteraction") {
    WB_ASSIGN_OR_RETURN(auto request,
                        DecodeItem(ctx, domain::WorkbinItemOperation{}));
    WB_ASSIGN_OR_RETURN(auto to, http::GetString(ctx.body, "toWorkbinId"));
    if (!to) return MissingParameter("Missing required field 'toWorkbinId'");
    request.to_workbin_id = *to;
    WB_ASSIGN_OR_RETURN(
        ref, service.Move(ctx.principal, id, request, at, ReferenceReply(ctx)));
  } else if (op == "RequestStats") {
    WB_ASSIGN_OR_RETURN(ref, service.RequestStats(ctx.principal, id, at));
  } else if (op == "Subscribe" || op == "Unsubscribe" || op == "Unubscribe") {
    WB_ASSIGN_OR_RETURN(auto refs, service.Subscribe(ctx.principal, {id},
                                                     op == "Subscribe", at));
    ref = refs.at(0);
  } else {
    auto parsed = domain::ParseWorkbinItemOperation(op);
    if (!parsed) return InvalidState("Unknown operationName '" + op + "'");
    WB_ASSIGN_OR_RETURN(auto request, DecodeItem(ctx, *parsed));
    if (parsed->add) {
      WB_ASSIGN_OR_RETURN(ref, service.Add(ctx.principal, id, request, at,
                                           ReferenceReply(ctx)));
    } else {
      WB_ASSIGN_OR_RETURN(ref, service.Pull(ctx.principal, id, request, at,
                                            ReferenceReply(ctx)));
    }
  }
  return json::object{{"referenceId", ref}};
}

// On a collection route: RequestAgentStats, or Subscribe/Unsubscribe on
// every workbin of workbinIds, all or nothing.
Reply PostMany(Context& ctx, bool by_user) {
  WB_ASSIGN_OR_RETURN(auto at, AddressOf(ctx, by_user));
  if (ctx.operation == "RequestAgentStats") {
    WB_ASSIGN_OR_RETURN(auto type, http::GetString(ctx.body, "workbinType"));
    WB_ASSIGN_OR_RETURN(auto owner, http::GetString(ctx.body, "workbinOwner"));
    WB_ASSIGN_OR_RETURN(int64_t ref, ctx.services.workbins->RequestAgentStats(
                                         ctx.principal, at.for_user_id,
                                         type.value_or("Agent"), owner));
    return json::object{{"referenceId", ref}};
  }
  if (!ctx.request.Query("workbinIds"))
    return MissingParameter("Missing required parameter 'workbinIds'");
  WB_ASSIGN_OR_RETURN(auto ids, WorkbinIds(ctx));
  WB_ASSIGN_OR_RETURN(
      auto refs, ctx.services.workbins->Subscribe(
                     ctx.principal, ids, ctx.operation == "Subscribe", at));
  json::object by_id;
  for (size_t i = 0; i < ids.size(); ++i) by_id[ids[i]] = refs[i];
  return json::object{{"referenceIds", std::move(by_id)}};
}

}  // namespace

Reply GetWorkbins(Context& ctx) { return List(ctx, false, false); }
Reply GetMyWorkbins(Context& ctx) { return List(ctx, true, false); }
Reply GetUserWorkbins(Context& ctx) { return List(ctx, true, true); }
Reply PostWorkbins(Context& ctx) { return PostMany(ctx, false); }
Reply PostUserWorkbins(Context& ctx) { return PostMany(ctx, true); }
Reply GetWorkbin(Context& ctx) { return GetOne(ctx, false); }
Reply GetUserWorkbin(Context& ctx) { return GetOne(ctx, true); }
Reply GetWorkbinMedia(Context& ctx) { return GetByMedia(ctx, false); }
Reply GetUserWorkbinMedia(Context& ctx) { return GetByMedia(ctx, true); }
Reply PostWorkbin(Context& ctx) { return PostOne(ctx, false); }
Reply PostUserWorkbin(Context& ctx) { return PostOne(ctx, true); }

}  // namespace workbind::api
