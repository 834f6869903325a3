#include "domain/interactions/workbin_announcements.h"

#include <algorithm>
#include <boost/json.hpp>

namespace workbind::domain {
namespace json = boost::json;
namespace {

// Users who hear of a change to `w` caused by `actor_id`: its subscribers,
// the owner of an Agent workbin, and the actor; each once.
Result<std::vector<std::string>> Audience(storage::ReadTx& tx,
                                          const storage::WorkbinRecord& w,
                                          const std::string& actor_id) {
  WB_ASSIGN_OR_RETURN(auto users, tx.ListWorkbinSubscribers(w.id));
  auto add = [&users](const std::string& u) {
    if (std::find(users.begin(), users.end(), u) == users.end())
      users.push_back(u);
  };
  if (w.owner_type == "Agent") add(w.owner_id);
  add(actor_id);
  return users;
}

}  // namespace

std::string WorkbinOwnerName(const Directory& dir,
                             const storage::WorkbinRecord& w) {
  if (w.owner_type == "Agent") {
    const auto* u = dir.UserById(w.owner_id);
    return u ? u->user_name : std::string();
  }
  if (w.owner_type == "Place") {
    const auto* p = dir.PlaceById(w.owner_id);
    return p ? p->name : std::string();
  }
  if (w.owner_type == "AgentGroup") {
    const auto* g = dir.AgentGroupById(w.owner_id);
    return g ? g->name : std::string();
  }
  const auto* g = dir.PlaceGroupById(w.owner_id);
  return g ? g->name : std::string();
}

void AddWorkbinOwnerKey(const Directory& dir, const storage::WorkbinRecord& w,
                        std::string_view agent_key, json::object* o) {
  if (w.owner_type == "Agent")
    (*o)[agent_key] = w.owner_id;
  else if (w.owner_type == "Place")
    (*o)["place"] = WorkbinOwnerName(dir, w);
  else if (w.owner_type == "AgentGroup")
    (*o)["agentGroup"] = WorkbinOwnerName(dir, w);
  else
    (*o)["placeGroup"] = WorkbinOwnerName(dir, w);
}

Status QueueWorkbinContentChanged(TxScope& s, const storage::WorkbinRecord& w,
                                  const storage::InteractionRecord& r,
                                  std::string_view action, const Actor& actor) {
  WB_ASSIGN_OR_RETURN(auto users, Audience(s.tx, w, actor.user_id));
  const json::object item = s.renderer.Resource(r, ViewFor(r, ""));
  const MediaNames& names = NamesOf(FamilyOf(r.media_type));
  json::object data;
  data["messageType"] = "WorkbinContentChanged";
  data["action"] = action;
  data["id"] = w.id;
  data["workbinType"] = w.owner_type;
  AddWorkbinOwnerKey(s.dir, w, "workbinUserId", &data);
  data["interaction"] = item;
  data[std::string(names.singular) + "StateResourceV2"] = item;
  for (const auto& u : users)
    s.out->push_back(s.notifier.Make(s.dir, u, "workbins", data, actor.user_id,
                                     actor.reference_id));
  return Status::Ok();
}

}  // namespace workbind::domain
