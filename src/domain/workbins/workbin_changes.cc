// Add, Pull and Move: the workbin operations that change an interaction.
#include <boost/json.hpp>

#include "common/ids.h"
#include "domain/interactions/interaction_access.h"
#include "domain/interactions/interaction_moves.h"
#include "domain/interactions/workbin_announcements.h"
#include "domain/workbins/workbin_access.h"
#include "domain/workbins/workbin_render.h"
#include "domain/workbins/workbin_service.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

// The details of AddedToWorkbin / PulledFromWorkbin history events
// (extensions.md §4), with the canonical operationName.
std::string OperationDetails(const std::string& operation) {
  const std::string name = operation == "AddInteractionToWorkbin"
                               ? std::string("AddInteraction")
                               : operation;
  return json::serialize(json::object{{"operationName", name}});
}

// kInUse: `r` is not (or no longer) in workbin `w`.
Status NoLongerIn(const Directory& dir, const storage::InteractionRecord& r,
                  const storage::WorkbinRecord& w) {
  return InUse("Interaction " + r.id + " is no longer in workbin '" +
               DefinitionName(dir, w) + "'");
}

}  // namespace

Result<int64_t> WorkbinService::ChangeItem(const Principal& who,
                                           const std::string& workbin_id,
                                           const WorkbinAddress& at,
                                           const CommitStep& step,
                                           const ChangeFn& change) const {
  int64_t reference_id = 0;
  Status st = InScope(
      who, TxKind::kWrite, &workbin_id, at, [&](WorkbinScope& ws) -> Status {
        WB_ASSIGN_OR_RETURN(reference_id, change(ws));
        if (step)
          WB_RETURN_IF_ERROR(
              step(ws.change->tx, ChangeOutcome{reference_id, {}}));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_id;
}

Result<int64_t> WorkbinService::Add(const Principal& who,
                                    const std::string& workbin_id,
                                    const WorkbinItemRequest& req,
                                    const WorkbinAddress& at,
                                    const CommitStep& step) {
  bool route_after = false;
  auto done = ChangeItem(
      who, workbin_id, at, step, [&](WorkbinScope& ws) -> Result<int64_t> {
        route_after = false;
        TxScope& s = *ws.change;
        const storage::WorkbinRecord* w = ws.workbin;
        WB_ASSIGN_OR_RETURN(auto cur,
                            FindInteraction(s.tx, s.dir, req.interaction_id));
        // Access first: a caller who may not read the interaction learns
        // nothing of its media, state or workbin.
        WB_ASSIGN_OR_RETURN(bool readable, MayRead(s.tx, s.dir, who, cur));
        if (!readable) return NotVisible(cur.id, ws.me.user_name);
        WB_RETURN_IF_ERROR(CheckMedia(req, cur));
        if (cur.state == "InWorkbin") {
          const auto* holder =
              cur.workbin_id ? s.dir.WorkbinById(*cur.workbin_id) : nullptr;
          return InUse(
              "Interaction " + cur.id + " is already in workbin '" +
              (holder ? DefinitionName(s.dir, *holder) : std::string()) + "'");
        }
        const bool mine = cur.owner_id && *cur.owner_id == ws.me.id;
        if (mine) {
          if (cur.state == "Invited")
            return InvalidState("Interaction " + cur.id +
                                " cannot be added in state 'Invited'");
        } else {
          const bool admin_like =
              HasRole(ws.me, "ROLE_ADMIN") || HasRole(ws.me, "ROLE_APIUSER");
          if (!admin_like && !HasRole(ws.me, "ROLE_SUPERVISOR"))
            return PermissionDenied("Interaction " + cur.id + " is not yours");
          // A supervisor may read it: checked above, before the media.
          if (cur.state == "Completed")
            return InvalidState("Interaction " + cur.id +
                                " cannot be added in state 'Completed'");
        }
        WB_ASSIGN_OR_RETURN(const int64_t reference_id,
                            s.tx.NextReferenceId(ws.me.id));
        const Actor actor{ws.me.id, ws.me.user_name, reference_id};

        storage::InteractionRecord next = cur;
        const std::optional<std::string> previous = cur.owner_id;
        next.state = "InWorkbin";
        next.owner_id.reset();
        next.workbin_id = w->id;
        next.workbin_entered_ms = ws.now_ms;
        if (previous && cur.state != "Invited") next.last_owner_id = previous;
        next.offer_expires_ms.reset();
        next.offer_reason.clear();
        next.transfer_from_id.reset();
        next.transfer_reference_id = 0;
        next.user_data = WithWorkbinKeys(s.dir, *w, cur.user_data);
        WB_RETURN_IF_ERROR(s.tx.UpdateInteraction(next, cur));
        if (cur.state == "Invited")
          WB_RETURN_IF_ERROR(
              Append(s, MakeEvent(s, next, "OfferRevoked", &actor)));
        auto added = MakeEvent(s, next, "AddedToWorkbin", &actor);
        added.to_workbin_id = w->id;
        added.details = OperationDetails(req.operation);
        WB_RETURN_IF_ERROR(Append(s, added));
        if (req.save_lar) {
          // By user, the last agent is {userId}; FindAddressed checked it.
          const storage::UserRecord* agent =
              at.for_user_id.empty() ? &ws.me : s.dir.UserById(at.for_user_id);
          WB_RETURN_IF_ERROR(SaveLastAgent(s, next, *agent, actor));
        }
        if (previous)
          WB_RETURN_IF_ERROR(RestartIdle(s, *previous, cur.media_type));
        WB_RETURN_IF_ERROR(
            QueueWorkbinContentChanged(s, *w, next, "ItemAdded", actor));
        if (previous) {
          Notify(s, next, *previous, "StatusChange", ViewFor(next, *previous),
                 &actor);
          if (cur.state == "Invited")
            s.out->back().settles_offer = OfferOutcome::kRevoked;
        }
        // A freed offer or owner slot may let the router deliver more work.
        route_after = previous.has_value();
        return reference_id;
      });
  if (done.ok() && route_after && deps_.trigger)
    deps_.trigger->Trigger(who.contact_center_id);
  return done;
}

Result<int64_t> WorkbinService::Pull(const Principal& who,
                                     const std::string& workbin_id,
                                     const WorkbinItemRequest& req,
                                     const WorkbinAddress& at,
                                     const CommitStep& step) {
  return ChangeItem(
      who, workbin_id, at, step, [&](WorkbinScope& ws) -> Result<int64_t> {
        TxScope& s = *ws.change;
        const storage::WorkbinRecord* w = ws.workbin;
        WB_ASSIGN_OR_RETURN(auto cur,
                            FindInteraction(s.tx, s.dir, req.interaction_id));
        WB_RETURN_IF_ERROR(CheckTakeable(s.tx, s.dir, who, cur, *w));
        WB_RETURN_IF_ERROR(CheckMedia(req, cur));
        if (cur.state != "InWorkbin" || cur.workbin_id != w->id)
          return NoLongerIn(s.dir, cur, *w);
        WB_ASSIGN_OR_RETURN(const int64_t reference_id,
                            s.tx.NextReferenceId(ws.me.id));
        const Actor actor{ws.me.id, ws.me.user_name, reference_id};

        storage::InteractionRecord next = cur;
        next.state = cur.working_state;
        next.owner_id = ws.me.id;
        next.last_owner_id = ws.me.id;
        next.workbin_id.reset();
        if (FamilyOf(cur.media_type) == MediaFamily::kChat) {
          const std::string nick = req.nickname.value_or(
              ws.me.first_name.empty() ? ws.me.user_name : ws.me.first_name);
          next.participants.push_back(
              {nick, "Agent", ids::NewInteractionId(ws.now_ms)});
        }
        // Conditional: a concurrent Pull or Move that already took it makes
        // this one fail with kInUse, which is the loser's statusCode 19.
        WB_RETURN_IF_ERROR(s.tx.UpdateInteraction(next, cur));
        auto pulled = MakeEvent(s, next, "PulledFromWorkbin", &actor);
        pulled.from_workbin_id = w->id;
        pulled.details = OperationDetails(req.operation);
        WB_RETURN_IF_ERROR(Append(s, pulled));
        WB_RETURN_IF_ERROR(
            QueueWorkbinContentChanged(s, *w, cur, "ItemRemoved", actor));
        Notify(s, next, ws.me.id, "StatusChange", ViewFor(next, ws.me.id),
               &actor);
        return reference_id;
      });
}

Result<int64_t> WorkbinService::Move(const Principal& who,
                                     const std::string& workbin_id,
                                     const WorkbinItemRequest& req,
                                     const WorkbinAddress& at,
                                     const CommitStep& step) {
  return ChangeItem(
      who, workbin_id, at, step, [&](WorkbinScope& ws) -> Result<int64_t> {
        TxScope& s = *ws.change;
        const storage::WorkbinRecord* from = ws.workbin;
        if (req.to_workbin_id == from->id)
          return InvalidArgument(
              "Cannot move an interaction to the workbin it is in");
        // Group parameters address the source only.
        const WorkbinAddress to_at{at.for_user_id, "", ""};
        WB_ASSIGN_OR_RETURN(
            const storage::WorkbinRecord* to,
            FindAddressed(s.tx, s.dir, ws.me, req.to_workbin_id, to_at));
        WB_ASSIGN_OR_RETURN(auto cur,
                            FindInteraction(s.tx, s.dir, req.interaction_id));
        WB_RETURN_IF_ERROR(CheckTakeable(s.tx, s.dir, who, cur, *from));
        if (cur.state != "InWorkbin" || cur.workbin_id != from->id)
          return NoLongerIn(s.dir, cur, *from);
        WB_ASSIGN_OR_RETURN(const int64_t reference_id,
                            s.tx.NextReferenceId(ws.me.id));
        const Actor actor{ws.me.id, ws.me.user_name, reference_id};

        storage::InteractionRecord next = cur;
        next.workbin_id = to->id;
        next.workbin_entered_ms = ws.now_ms;
        next.user_data = WithWorkbinKeys(s.dir, *to, cur.user_data);
        // Conditional, like Pull: a concurrent Pull or Move wins or loses here.
        WB_RETURN_IF_ERROR(s.tx.UpdateInteraction(next, cur));
        auto moved = MakeEvent(s, next, "MovedToWorkbin", &actor);
        moved.from_workbin_id = from->id;
        moved.to_workbin_id = to->id;
        WB_RETURN_IF_ERROR(Append(s, moved));
        if (req.save_lar) {
          const storage::UserRecord* agent =
              at.for_user_id.empty() ? &ws.me : s.dir.UserById(at.for_user_id);
          WB_RETURN_IF_ERROR(SaveLastAgent(s, next, *agent, actor));
        }
        WB_RETURN_IF_ERROR(
            QueueWorkbinContentChanged(s, *from, cur, "ItemRemoved", actor));
        WB_RETURN_IF_ERROR(
            QueueWorkbinContentChanged(s, *to, next, "ItemAdded", actor));
        return reference_id;
      });
}

}  // namespace workbind::domain
