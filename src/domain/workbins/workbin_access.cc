#include "domain/workbins/workbin_access.h"

#include <algorithm>

#include "common/ids.h"
#include "domain/interactions/interaction_access.h"
#include "domain/workbins/workbin_operations.h"

namespace workbind::domain {

bool HasRole(const storage::UserRecord& u, std::string_view role) {
  return std::find(u.roles.begin(), u.roles.end(), role) != u.roles.end();
}

bool IsOwnPlaceOrAgent(const storage::WorkbinRecord& w,
                       const std::string& user_id,
                       const std::string& place_id) {
  if (w.owner_type == "Agent") return w.owner_id == user_id;
  if (w.owner_type == "Place")
    return !place_id.empty() && w.owner_id == place_id;
  return false;
}

Result<const storage::UserRecord*> Caller(const Directory& dir,
                                          const Principal& who) {
  const auto* me = dir.UserById(who.user_id);
  if (!me) return NotFound("No such user");
  return me;
}

Result<const storage::UserRecord*> TargetUser(const Directory& dir,
                                              const storage::UserRecord& me,
                                              const std::string& user_id) {
  const auto* target = ids::IsHex32(user_id) ? dir.UserById(user_id) : nullptr;
  if (!target) return NotFound("No such user '" + user_id + "'");
  if (!dir.MayActFor(me, target->id))
    return PermissionDenied("User '" + me.user_name +
                            "' may not act for user '" + target->user_name +
                            "'");
  return target;
}

Result<const storage::WorkbinRecord*> FindAddressed(
    storage::ReadTx& tx, const Directory& dir, const storage::UserRecord& me,
    const std::string& id, const WorkbinAddress& at) {
  const auto* w = dir.WorkbinById(id);
  if (!w) return NotFound("No such workbin '" + id + "'");
  if (!at.for_user_id.empty()) {
    WB_ASSIGN_OR_RETURN(const storage::UserRecord* target,
                        TargetUser(dir, me, at.for_user_id));
    WB_ASSIGN_OR_RETURN(bool of_user, WorkbinOfUser(tx, dir, target->id, *w));
    if (!of_user)
      return NotFound("Workbin " + id + " is not a workbin of user '" +
                      target->user_name + "'");
  }
  WB_ASSIGN_OR_RETURN(bool visible, WorkbinVisible(tx, dir, me, *w));
  if (!visible)
    return PermissionDenied("Workbin " + id + " is not visible to user '" +
                            me.user_name + "'");
  if (!at.group_type.empty()) {
    const bool agent_group = at.group_type == "AgentGroup";
    const char* what = agent_group ? "agent group" : "place group";
    std::string group_id;
    if (agent_group) {
      if (const auto* g = dir.AgentGroupByName(at.group_name)) group_id = g->id;
    } else if (const auto* g = dir.PlaceGroupByName(at.group_name)) {
      group_id = g->id;
    }
    if (group_id.empty())
      return NotFound("No such " + std::string(what) + " '" + at.group_name +
                      "'");
    if (w->owner_type != at.group_type || w->owner_id != group_id)
      return NotFound("Workbin " + id + " does not belong to " + what + " '" +
                      at.group_name + "'");
  }
  return w;
}

Result<storage::InteractionRecord> FindInteraction(storage::ReadTx& tx,
                                                   const Directory& dir,
                                                   const std::string& id) {
  const Status missing = UnknownInteraction(id);
  if (!ids::IsInteractionIdLike(id)) return missing;
  WB_ASSIGN_OR_RETURN(auto r, tx.GetInteraction(id));
  if (!r || r->contact_center_id != dir.contact_center().id) return missing;
  return std::move(*r);
}

Status CheckTakeable(storage::ReadTx& tx, const Directory& dir,
                     const Principal& who, const storage::InteractionRecord& r,
                     const storage::WorkbinRecord& w) {
  if (r.state == "InWorkbin" && r.workbin_id == w.id) return Status::Ok();
  WB_ASSIGN_OR_RETURN(bool readable, MayRead(tx, dir, who, r));
  if (readable) return Status::Ok();
  WB_ASSIGN_OR_RETURN(bool was_here, EverInWorkbin(tx, r.id, w.id));
  if (was_here) return Status::Ok();
  return NotVisible(r.id, who.user_name);
}

Status CheckMedia(const WorkbinItemRequest& req,
                  const storage::InteractionRecord& r) {
  if (WorkbinOperationMatches(req.media, r.media_type)) return Status::Ok();
  return InvalidState("Operation '" + req.operation +
                      "' does not match media type '" + r.media_type + "'");
}

}  // namespace workbind::domain
