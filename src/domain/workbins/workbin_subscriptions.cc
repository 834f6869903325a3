#include "domain/workbins/workbin_subscriptions.h"

#include <memory>
#include <set>

#include "domain/interactions/interaction_access.h"

namespace workbind::domain {
namespace json = boost::json;

json::object SubscriptionStateMessage(const Directory& dir,
                                      const storage::WorkbinRecord& w,
                                      bool subscribed,
                                      const std::string& for_user_id) {
  json::object data;
  data["messageType"] = "WorkbinSubscriptionStateChangeMessage";
  data["stateResource"] = subscribed ? "Subscribed" : "Unsubscribed";
  data["id"] = w.id;
  if (!for_user_id.empty()) data["workbinUserId"] = for_user_id;
  if (w.owner_type == "AgentGroup") {
    if (const auto* g = dir.AgentGroupById(w.owner_id))
      data["agentGroup"] = g->name;
  } else if (w.owner_type == "PlaceGroup") {
    if (const auto* g = dir.PlaceGroupById(w.owner_id))
      data["placeGroup"] = g->name;
  }
  return data;
}

Status EndLostSubscriptions(
    storage::WriteTx& tx, const Directory& before, const Directory& after,
    const std::vector<storage::WorkbinSubscriptionRecord>& subs,
    std::vector<EndedSubscription>* ended) {
  for (const auto& s : subs) {
    const storage::UserRecord* user = after.UserById(s.user_id);
    if (user == nullptr) continue;
    const storage::WorkbinRecord* now = after.WorkbinById(s.workbin_id);
    if (now == nullptr) {
      const storage::WorkbinRecord* was = before.WorkbinById(s.workbin_id);
      storage::WorkbinRecord gone = was ? *was : storage::WorkbinRecord{};
      gone.id = s.workbin_id;
      ended->push_back({s.contact_center_id, s.user_id, s.workbin_id,
                        SubscriptionStateMessage(before, gone, false, "")});
      continue;
    }
    WB_ASSIGN_OR_RETURN(bool visible, WorkbinVisible(tx, after, *user, *now));
    if (visible) continue;
    WB_RETURN_IF_ERROR(tx.DeleteWorkbinSubscription(s.user_id, s.workbin_id));
    ended->push_back({s.contact_center_id, s.user_id, s.workbin_id,
                      SubscriptionStateMessage(after, *now, false, "")});
  }
  return Status::Ok();
}

Status NotifyEndedSubscriptions(storage::WriteTx& tx, const Notifier& notifier,
                                std::vector<EndedSubscription> ended,
                                NotificationList* out) {
  std::unique_ptr<Directory> dir;
  for (auto& e : ended) {
    if (!dir || dir->contact_center().id != e.contact_center_id) {
      WB_ASSIGN_OR_RETURN(auto data, tx.LoadDirectory(e.contact_center_id));
      dir = std::make_unique<Directory>(std::move(data), 0);
    }
    out->push_back(
        notifier.Make(*dir, e.user_id, "workbins", std::move(e.data)));
  }
  return Status::Ok();
}

Status EndSubscriptionsLostByPlaceChange(storage::WriteTx& tx,
                                         const Directory& dir,
                                         const Notifier& notifier,
                                         const std::string& user_id,
                                         NotificationList* out) {
  std::set<std::string> users{user_id};
  for (const auto* g : dir.GroupsOfAgent(user_id))
    users.insert(g->supervisor_ids.begin(), g->supervisor_ids.end());
  std::vector<storage::WorkbinSubscriptionRecord> subs;
  for (const auto& u : users) {
    WB_ASSIGN_OR_RETURN(auto ids, tx.ListWorkbinSubscriptionsOfUser(u));
    for (auto& id : ids) {
      const auto* w = dir.WorkbinById(id);
      if (w && (w->owner_type == "Place" || w->owner_type == "PlaceGroup"))
        subs.push_back({u, std::move(id), dir.contact_center().id, 0});
    }
  }
  std::vector<EndedSubscription> ended;
  WB_RETURN_IF_ERROR(EndLostSubscriptions(tx, dir, dir, subs, &ended));
  for (auto& e : ended)
    out->push_back(
        notifier.Make(dir, e.user_id, "workbins", std::move(e.data)));
  return Status::Ok();
}

}  // namespace workbind::domain
