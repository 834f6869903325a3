// RequestStats and RequestAgentStats: WorkbinStatsMessage on demand.
#include <algorithm>
#include <boost/json.hpp>

#include "domain/interactions/interaction_access.h"
#include "domain/workbins/workbin_access.h"
#include "domain/workbins/workbin_render.h"
#include "domain/workbins/workbin_service.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

// The ids of the owners whose `type` workbins RequestAgentStats reports:
// the one named `owner_name` (kNotFound when unknown), else the subject's
// own: itself, its current place, the groups of that place, or its agent
// groups (member, then supervisor).
Result<std::vector<std::string>> StatsOwnerIds(
    storage::ReadTx& tx, const Directory& dir, const std::string& type,
    const std::optional<std::string>& owner_name,
    const storage::UserRecord& subject) {
  std::vector<std::string> owners;
  const Status unknown =
      NotFound("No such workbin owner '" + owner_name.value_or("") + "'");
  if (type == "Agent") {
    if (owner_name) {
      const auto* u = dir.UserByName(*owner_name);
      if (!u) u = dir.UserById(*owner_name);
      if (!u) return unknown;
      owners.push_back(u->id);
    } else {
      owners.push_back(subject.id);
    }
  } else if (type == "Place" || type == "PlaceGroup") {
    if (owner_name) {
      if (type == "Place") {
        const auto* p = dir.PlaceByName(*owner_name);
        if (!p) return unknown;
        owners.push_back(p->id);
      } else {
        const auto* g = dir.PlaceGroupByName(*owner_name);
        if (!g) return unknown;
        owners.push_back(g->id);
      }
    } else {
      WB_ASSIGN_OR_RETURN(std::string place, CurrentPlace(tx, dir, subject.id));
      if (!place.empty()) {
        if (type == "Place") {
          owners.push_back(place);
        } else {
          for (const auto* g : dir.GroupsOfPlace(place))
            owners.push_back(g->id);
        }
      }
    }
  } else if (owner_name) {
    const auto* g = dir.AgentGroupByName(*owner_name);
    if (!g) return unknown;
    owners.push_back(g->id);
  } else {
    for (const auto* g : dir.GroupsOfAgent(subject.id)) owners.push_back(g->id);
    for (const auto* g : dir.GroupsSupervisedBy(subject.id))
      if (std::find(owners.begin(), owners.end(), g->id) == owners.end())
        owners.push_back(g->id);
  }
  return owners;
}

}  // namespace

Result<int64_t> WorkbinService::RequestStats(const Principal& who,
                                             const std::string& workbin_id,
                                             const WorkbinAddress& at) {
  int64_t reference_id = 0;
  Status st = InScope(
      who, TxKind::kWrite, &workbin_id, at, [&](WorkbinScope& s) -> Status {
        storage::WriteTx& tx = s.change->tx;
        WB_ASSIGN_OR_RETURN(auto items,
                            tx.ListInteractionsInWorkbin(s.workbin->id));
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(s.me.id));
        s.change->out->push_back(
            deps_.notifier->Make(s.dir, s.me.id, "workbins",
                                 WorkbinStatsMessage(s.dir, *s.workbin, items),
                                 s.me.id, reference_id));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_id;
}

Result<int64_t> WorkbinService::RequestAgentStats(
    const Principal& who, const std::string& for_user_id,
    const std::string& type, const std::optional<std::string>& owner_name) {
  if (type != "Agent" && type != "Place" && type != "AgentGroup" &&
      type != "PlaceGroup")
    return InvalidArgument("Unknown workbinType '" + type +
                           "'; accepted: Agent, Place, AgentGroup, PlaceGroup");
  int64_t reference_id = 0;
  Status st =
      InScope(who, TxKind::kWrite, nullptr, {}, [&](WorkbinScope& s) -> Status {
        storage::WriteTx& tx = s.change->tx;
        const storage::UserRecord* subject = &s.me;
        if (!for_user_id.empty()) {
          WB_ASSIGN_OR_RETURN(subject, TargetUser(s.dir, s.me, for_user_id));
        }
        WB_ASSIGN_OR_RETURN(
            std::vector<std::string> owners,
            StatsOwnerIds(tx, s.dir, type, owner_name, *subject));
        json::object stats;
        for (const auto& w : s.dir.data().workbins) {
          if (w.owner_type != type || std::find(owners.begin(), owners.end(),
                                                w.owner_id) == owners.end())
            continue;
          const WorkbinAddress at{for_user_id, "", ""};
          WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* found,
                              FindAddressed(tx, s.dir, s.me, w.id, at));
          WB_ASSIGN_OR_RETURN(int64_t count,
                              tx.CountInteractionsInWorkbin(found->id));
          stats[w.id] = WorkbinCountStats(s.dir, w, count);
        }
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(s.me.id));
        json::object data;
        data["workbinStats"] = std::move(stats);
        data["messageType"] = "WorkbinStatsMessage";
        s.change->out->push_back(
            deps_.notifier->Make(s.dir, s.me.id, "workbins", std::move(data),
                                 s.me.id, reference_id));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_id;
}

}  // namespace workbind::domain
