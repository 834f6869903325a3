// InteractionService::Operate: the agent operations (Accept ... PlaceInQueue)
// on an interaction the caller owns or has offered.
#include <boost/json.hpp>

#include "common/ids.h"
#include "domain/core/user_data.h"
#include "domain/interactions/interaction_access.h"
#include "domain/interactions/interaction_moves.h"
#include "domain/interactions/interaction_service.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

using Op = InteractionOp;

bool Has(const std::vector<Op>& ops, Op op) {
  for (Op o : ops)
    if (o == op) return true;
  return false;
}

bool NeedsQueue(const OperationRequest& r) {
  return r.op == Op::kPlaceInQueue ||
         ((r.op == Op::kComplete || r.op == Op::kTransfer) && r.queue_name);
}

// What the operation needs besides the interaction, resolved at lookup.
struct Targets {
  const storage::QueueRecord* queue = nullptr;
  const storage::UserRecord* user = nullptr;
};

Result<Targets> ResolveTargets(const Directory& dir,
                               const OperationRequest& r) {
  Targets t;
  if (NeedsQueue(r)) {
    const std::string name = r.queue_name.value_or("");
    t.queue = dir.QueueByName(name);
    if (!t.queue) return NotFound("No such queue '" + name + "'");
  }
  if (r.op == Op::kTransfer && r.target_user_id) {
    const std::string& id = *r.target_user_id;
    t.user = ids::IsHex32(id) ? dir.UserById(id) : nullptr;
    if (!t.user) return NotFound("No such user '" + id + "'");
  }
  return t;
}

Status CheckLoggedIn(storage::ReadTx& tx, const storage::UserRecord& user,
                     const std::string& channel) {
  WB_ASSIGN_OR_RETURN(auto state, tx.GetAgentState(user.id));
  if (state)
    for (const auto& c : state->channels)
      if (c.channel == channel) return Status::Ok();
  return InvalidState("User '" + user.user_name +
                      "' is not logged in on channel '" + channel + "'");
}

// The caller leaves the interaction: it goes to `queue` (Queued) or, without
// one, is Completed.
storage::InteractionRecord Leave(const storage::InteractionRecord& cur,
                                 const std::string& me,
                                 const storage::QueueRecord* queue,
                                 int64_t now) {
  storage::InteractionRecord next = cur;
  next.owner_id.reset();
  next.last_owner_id = me;
  if (queue) {
    next.state = "Queued";
    next.queue_id = queue->id;
    next.queued_ms = now;
  } else {
    next.state = "Completed";
  }
  return next;
}

// Runs one operation inside the transaction; `route_after` is set when the
// router may now have something to do.
Status Apply(TxScope& s, const storage::InteractionRecord& cur,
             const OperationRequest& req, const Targets& targets,
             const storage::UserRecord& me, const Actor& actor,
             bool* route_after) {
  storage::WriteTx& tx = s.tx;
  const std::string queue_name = targets.queue ? targets.queue->name : "";
  switch (req.op) {
    case Op::kAccept: {
      storage::InteractionRecord next = cur;
      next.state = cur.working_state;
      next.offer_expires_ms.reset();
      next.offer_reason.clear();
      next.transfer_from_id.reset();
      next.transfer_reference_id = 0;
      if (FamilyOf(cur.media_type) == MediaFamily::kChat) {
        const std::string nick = req.nickname.value_or(
            me.first_name.empty() ? me.user_name : me.first_name);
        next.participants.push_back(
            {nick, "Agent", ids::NewInteractionId(s.now_ms)});
      }
      WB_RETURN_IF_ERROR(tx.UpdateInteraction(next, cur));
      WB_RETURN_IF_ERROR(Append(s, MakeEvent(s, next, "Accepted", &actor)));
      if (req.save_lar) WB_RETURN_IF_ERROR(SaveLastAgent(s, next, me, actor));
      Notify(s, next, me.id, "StatusChange", ViewFor(next, me.id), &actor);
      s.out->back().settles_offer = OfferOutcome::kAccepted;
      return Status::Ok();
    }
    case Op::kReject:
      *route_after = true;
      return RevokeOffer(s, cur, RevokeCause::kReject, &actor);
    case Op::kComplete:
    case Op::kPlaceInQueue: {
      storage::InteractionRecord next =
          Leave(cur, me.id, targets.queue, s.now_ms);
      WB_RETURN_IF_ERROR(tx.UpdateInteraction(next, cur));
      auto e = MakeEvent(
          s, next, req.op == Op::kComplete ? "Completed" : "PlacedInQueue",
          &actor);
      e.to_queue = queue_name;
      WB_RETURN_IF_ERROR(Append(s, e));
      if (req.op == Op::kComplete && req.save_lar)
        WB_RETURN_IF_ERROR(SaveLastAgent(s, next, me, actor));
      WB_RETURN_IF_ERROR(RestartIdle(s, me.id, cur.media_type));
      Notify(s, next, me.id, "StatusChange",
             LostView(InteractionState::kCompleted), &actor);
      *route_after = true;
      return Status::Ok();
    }
    case Op::kTransfer: {
      storage::InteractionRecord next =
          Leave(cur, me.id, targets.queue, s.now_ms);
      if (targets.user) {
        next.state = "Invited";
        next.owner_id = targets.user->id;
        next.offer_expires_ms =
            s.now_ms +
            int64_t{s.dir.contact_center().offer_timeout_seconds} * 1000;
        next.offer_reason = "transfer";
        next.transfer_from_id = me.id;
        next.transfer_reference_id = actor.reference_id;
      }
      auto e = MakeEvent(s, next, "Transferred", &actor);
      if (targets.user)
        e.details =
            json::serialize(json::object{{"toUserId", targets.user->id}});
      else
        e.to_queue = queue_name;
      WB_RETURN_IF_ERROR(tx.UpdateInteraction(next, cur));
      WB_RETURN_IF_ERROR(Append(s, e));
      if (targets.user) {
        auto offered = MakeEvent(s, next, "Offered", &actor);
        offered.details = json::serialize(json::object{{"reason", "transfer"}});
        WB_RETURN_IF_ERROR(Append(s, offered));
      }
      WB_RETURN_IF_ERROR(RestartIdle(s, me.id, cur.media_type));
      Notify(s, next, me.id, "StatusChange",
             LostView(InteractionState::kCompleted), &actor);
      if (targets.user)
        Notify(s, next, targets.user->id, "StatusChange",
               ViewFor(next, targets.user->id), &actor);
      *route_after = true;
      return Status::Ok();
    }
    case Op::kAttachUserData:
    case Op::kUpdateUserData:
    case Op::kDeleteUserData: {
      WB_ASSIGN_OR_RETURN(storage::InteractionRecord next,
                          ChangeUserData(s, cur, req.op == Op::kDeleteUserData,
                                         req.keys, req.user_data, actor));
      Notify(s, next, me.id, "PropertiesUpdated", ViewFor(next, me.id), &actor);
      return Status::Ok();
    }
    case Op::kSetInFocus:
      WB_RETURN_IF_ERROR(Append(s, MakeEvent(s, cur, "FocusSet", &actor)));
      Notify(s, cur, me.id, "PropertiesUpdated", ViewFor(cur, me.id), &actor);
      return Status::Ok();
  }
  return Internal("Unknown operation");
}

}  // namespace

Result<int64_t> InteractionService::Operate(const Principal& who,
                                            ItemRoute route,
                                            const std::string& route_media,
                                            const std::string& id,
                                            const OperationRequest& req,
                                            const CommitStep& step) {
  // Field checks come before any lookup.
  if (req.op == Op::kAttachUserData || req.op == Op::kUpdateUserData)
    WB_RETURN_IF_ERROR(ValidateUserDataValues(req.user_data));
  if (req.op == Op::kDeleteUserData)
    WB_RETURN_IF_ERROR(ValidateUserDataDeletion(req.keys));
  if (req.op == Op::kTransfer && req.target_user_id &&
      *req.target_user_id == who.user_id)
    return InvalidArgument("Cannot transfer an interaction to oneself");

  const int64_t now = deps_.clock->NowMillis();
  int64_t reference_id = 0;
  bool route_after = false;
  Status st = deps_.notifier->Write(
      *deps_.store, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        route_after = false;
        WB_ASSIGN_OR_RETURN(auto dir,
                            deps_.directories->Get(tx, who.contact_center_id));
        WB_RETURN_IF_ERROR(CheckOpenMediaType(*dir, route_media));
        WB_ASSIGN_OR_RETURN(auto cur, Find(tx, *dir, route_media, id));
        // Access before anything that depends on the interaction or the
        // request's targets: a caller who may not read it learns nothing of
        // its state, owner or location.
        WB_ASSIGN_OR_RETURN(bool readable, MayRead(tx, *dir, who, cur));
        if (!readable)
          return route == ItemRoute::kMine ? UnknownInteraction(id)
                                           : NotVisible(id, who.user_name);
        WB_ASSIGN_OR_RETURN(Targets targets, ResolveTargets(*dir, req));
        const InteractionView view = ViewFor(cur, who.user_id);
        if (!Has(view.capabilities, req.op))
          return InvalidState("Operation '" + std::string(OpName(req.op)) +
                              "' is not valid in state '" +
                              std::string(StateName(view.state)) + "'");
        // An offer past its deadline is the router's to take back, whether or
        // not its pass has run yet.
        if (cur.state == "Invited" && cur.offer_expires_ms &&
            *cur.offer_expires_ms <= now)
          return InvalidState("Operation '" + std::string(OpName(req.op)) +
                              "' is not valid: the offer has expired");
        if (targets.user)
          WB_RETURN_IF_ERROR(CheckLoggedIn(tx, *targets.user, cur.media_type));
        const auto* me = dir->UserById(who.user_id);
        if (!me) return NotFound("No such user");
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(who.user_id));
        const Actor actor{who.user_id, who.user_name, reference_id};
        TxScope s{tx, *dir, *deps_.notifier, *deps_.renderer, now, out};
        WB_RETURN_IF_ERROR(
            Apply(s, cur, req, targets, *me, actor, &route_after));
        if (step) WB_RETURN_IF_ERROR(step(tx, ChangeOutcome{reference_id, {}}));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  if (route_after && deps_.trigger)
    deps_.trigger->Trigger(who.contact_center_id);
  return reference_id;
}

}  // namespace workbind::domain
