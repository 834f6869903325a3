#include "domain/interactions/interaction_access.h"

#include <algorithm>

namespace workbind::domain {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Whether `w` is in own(user) ∪ groups(user).
bool OwnOrGroup(const Directory& dir, const std::string& user_id,
                const std::string& place_id, const storage::WorkbinRecord& w) {
  if (w.owner_type == "Agent") return w.owner_id == user_id;
  if (w.owner_type == "Place")
    return !place_id.empty() && w.owner_id == place_id;
  if (w.owner_type == "AgentGroup") {
    const auto* g = dir.AgentGroupById(w.owner_id);
    return g && (Contains(g->agent_ids, user_id) ||
                 Contains(g->supervisor_ids, user_id));
  }
  if (w.owner_type == "PlaceGroup") {
    const auto* g = dir.PlaceGroupById(w.owner_id);
    return g && !place_id.empty() && Contains(g->place_ids, place_id);
  }
  return false;
}

}  // namespace

bool Supervises(const Directory& dir, const std::string& supervisor_id,
                const std::string& user_id) {
  const auto* s = dir.UserById(supervisor_id);
  if (!s || !Contains(s->roles, "ROLE_SUPERVISOR")) return false;
  for (const auto* g : dir.GroupsSupervisedBy(supervisor_id))
    if (Contains(g->agent_ids, user_id)) return true;
  return false;
}

Result<std::string> CurrentPlace(storage::ReadTx& tx, const Directory& dir,
                                 const std::string& user_id) {
  WB_ASSIGN_OR_RETURN(auto state, tx.GetAgentState(user_id));
  if (state && state->place_id) return *state->place_id;
  const auto* u = dir.UserById(user_id);
  if (u && u->default_place_id && dir.PlaceById(*u->default_place_id))
    return *u->default_place_id;
  return std::string();
}

Result<bool> WorkbinVisible(storage::ReadTx& tx, const Directory& dir,
                            const storage::UserRecord& user,
                            const storage::WorkbinRecord& w) {
  if (Contains(user.roles, "ROLE_ADMIN") ||
      Contains(user.roles, "ROLE_APIUSER"))
    return true;
  WB_ASSIGN_OR_RETURN(std::string place, CurrentPlace(tx, dir, user.id));
  if (OwnOrGroup(dir, user.id, place, w)) return true;
  if (!Contains(user.roles, "ROLE_SUPERVISOR")) return false;
  for (const auto* g : dir.GroupsSupervisedBy(user.id)) {
    for (const auto& agent : g->agent_ids) {
      WB_ASSIGN_OR_RETURN(std::string agent_place,
                          CurrentPlace(tx, dir, agent));
      if (OwnOrGroup(dir, agent, agent_place, w)) return true;
    }
  }
  return false;
}

Result<bool> WorkbinOfUser(storage::ReadTx& tx, const Directory& dir,
                           const std::string& user_id,
                           const storage::WorkbinRecord& w) {
  WB_ASSIGN_OR_RETURN(std::string place, CurrentPlace(tx, dir, user_id));
  return OwnOrGroup(dir, user_id, place, w);
}

Result<bool> MayRead(storage::ReadTx& tx, const Directory& dir,
                     const Principal& who,
                     const storage::InteractionRecord& r) {
  if (r.owner_id && *r.owner_id == who.user_id) return true;
  if (who.IsAdminLike()) return true;
  if (r.state == "InWorkbin" && r.workbin_id) {
    const auto* user = dir.UserById(who.user_id);
    const auto* w = dir.WorkbinById(*r.workbin_id);
    if (user && w) {
      WB_ASSIGN_OR_RETURN(bool visible, WorkbinVisible(tx, dir, *user, *w));
      if (visible) return true;
    }
  }
  if (!who.HasRole("ROLE_SUPERVISOR")) return false;
  if (r.owner_id && Supervises(dir, who.user_id, *r.owner_id)) return true;
  if (r.last_owner_id && Supervises(dir, who.user_id, *r.last_owner_id))
    return true;
  if (r.state == "Queued" && r.queue_id) {
    const auto* q = dir.QueueById(*r.queue_id);
    const auto* g = q ? dir.AgentGroupById(q->agent_group_id) : nullptr;
    if (g && Contains(g->supervisor_ids, who.user_id)) return true;
  }
  return false;
}

Status UnknownInteraction(const std::string& id) {
  return NotFound("No such interaction '" + id + "'");
}

Status NotVisible(const std::string& id, const std::string& user_name) {
  return PermissionDenied("Interaction " + id + " is not visible to user '" +
                          user_name + "'");
}

Result<bool> EverInWorkbin(storage::ReadTx& tx,
                           const std::string& interaction_id,
                           const std::string& workbin_id) {
  WB_ASSIGN_OR_RETURN(auto history, tx.ListInteractionHistory(interaction_id));
  for (const auto& e : history)
    if (e.to_workbin_id == workbin_id) return true;
  return false;
}

}  // namespace workbind::domain
