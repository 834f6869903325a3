// InteractionService: construction, Create, the reads, and the user-data
// changes on any interaction. The agent operations are in
// interaction_operations.cc.
#include "domain/interactions/interaction_service.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "domain/core/user_data.h"
#include "domain/interactions/interaction_access.h"
#include "domain/interactions/interaction_moves.h"
#include "domain/interactions/workbin_announcements.h"

namespace workbind::domain {

void EmailFields::ApplyTo(NewInteraction* r) const {
  r->from = from.value_or("");
  r->subject = subject.value_or("");
  r->body = body.value_or("");
  r->mime = mime.value_or("");
  r->to = to.value_or(std::vector<std::string>{});
  r->cc = cc.value_or(std::vector<std::string>{});
  r->bcc = bcc.value_or(std::vector<std::string>{});
}
namespace json = boost::json;

InteractionService::InteractionService(const ServiceDeps& deps) : deps_(deps) {}

Status InteractionService::CheckOpenMediaType(
    const Directory& dir, const std::string& route_media) const {
  if (route_media.empty() || route_media == "openmedia") return Status::Ok();
  if (FamilyOf(route_media) == MediaFamily::kOpenMedia &&
      !dir.IsMediaType(route_media))
    return NotFound("No such media type '" + route_media + "'");
  return Status::Ok();
}

Result<storage::InteractionRecord> InteractionService::Find(
    storage::ReadTx& tx, const Directory& dir, const std::string& route_media,
    const std::string& id) const {
  const Status missing = UnknownInteraction(id);
  if (!ids::IsInteractionIdLike(id)) return missing;
  WB_ASSIGN_OR_RETURN(auto r, tx.GetInteraction(id));
  if (!r || r->contact_center_id != dir.contact_center().id) return missing;
  if (!route_media.empty() && r->media_type != route_media) return missing;
  return std::move(*r);
}

Result<CreateResult> InteractionService::Create(const Principal& who,
                                                const std::string& media_type,
                                                const CreateRequest& request,
                                                const CommitStep& step) {
  if (FamilyOf(media_type) == MediaFamily::kChat)
    return InvalidState("Create is not available for chats");
  WB_RETURN_IF_ERROR(
      CheckNewInteractionFields(request.user_data, request.contact_id));
  const int64_t now = deps_.clock->NowMillis();
  CreateResult result;
  Status st = deps_.notifier->Write(
      *deps_.store, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir,
                            deps_.directories->Get(tx, who.contact_center_id));
        WB_RETURN_IF_ERROR(CheckOpenMediaType(*dir, media_type));
        const auto* queue = ids::IsUuid(request.queue_id)
                                ? dir->QueueById(request.queue_id)
                                : nullptr;
        if (!queue) return NotFound("No such queue '" + request.queue_id + "'");
        if (request.parent_id) {
          auto parent = Find(tx, *dir, "", *request.parent_id);
          if (!parent.ok()) return parent.status();
        }
        TxScope s{tx, *dir, *deps_.notifier, *deps_.renderer, now, out};
        NewInteraction n;
        n.media_type = media_type;
        const MediaFamily family = FamilyOf(media_type);
        n.direction = family == MediaFamily::kWorkitem ? "Inbound" : "Outbound";
        n.working_state =
            family == MediaFamily::kEmail ? "Composing" : "Processing";
        n.state = n.working_state;
        n.owner_id = who.user_id;
        n.queue_id = queue->id;
        n.contact_id = request.contact_id;
        n.parent_id = request.parent_id;
        n.user_data = request.user_data;
        if (family == MediaFamily::kEmail) request.email.ApplyTo(&n);
        WB_ASSIGN_OR_RETURN(auto r, InsertNew(s, std::move(n)));
        WB_ASSIGN_OR_RETURN(result.reference_id,
                            tx.NextReferenceId(who.user_id));
        const Actor actor{who.user_id, who.user_name, result.reference_id};
        auto e = MakeEvent(s, r, "Created", &actor);
        e.details = json::serialize(json::object{{"mediaType", media_type}});
        WB_RETURN_IF_ERROR(Append(s, e));
        Notify(s, r, who.user_id, "StatusChange", ViewFor(r, who.user_id),
               &actor);
        result.id = r.id;
        if (step)
          WB_RETURN_IF_ERROR(
              step(tx, ChangeOutcome{result.reference_id, result.id}));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return result;
}

Result<int64_t> InteractionService::ChangeUserDataOfAny(
    const Principal& who, const std::string& id,
    const OperationRequest& request) {
  const InteractionOp op = request.op;
  if (op == InteractionOp::kDeleteUserData) {
    WB_RETURN_IF_ERROR(ValidateUserDataDeletion(request.keys));
  } else if (op == InteractionOp::kAttachUserData ||
             op == InteractionOp::kUpdateUserData) {
    WB_RETURN_IF_ERROR(ValidateUserDataValues(request.user_data));
  } else {
    return InvalidState("Operation '" + std::string(OpName(op)) +
                        "' is not available on this route");
  }
  const int64_t now = deps_.clock->NowMillis();
  int64_t reference_id = 0;
  Status st = deps_.notifier->Write(
      *deps_.store, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir,
                            deps_.directories->Get(tx, who.contact_center_id));
        WB_ASSIGN_OR_RETURN(auto cur, Find(tx, *dir, "", id));
        WB_ASSIGN_OR_RETURN(bool visible, MayRead(tx, *dir, who, cur));
        if (!visible || !(who.IsAdminLike() || who.HasRole("ROLE_SUPERVISOR")))
          return NotVisible(id, who.user_name);
        if (cur.state == "Completed")
          return InvalidState("Operation '" + std::string(OpName(op)) +
                              "' is not valid in state 'Completed'");
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(who.user_id));
        const Actor actor{who.user_id, who.user_name, reference_id};
        TxScope s{tx, *dir, *deps_.notifier, *deps_.renderer, now, out};
        WB_ASSIGN_OR_RETURN(
            storage::InteractionRecord next,
            ChangeUserData(s, cur, op == InteractionOp::kDeleteUserData,
                           request.keys, request.user_data, actor));
        if (next.owner_id)
          Notify(s, next, *next.owner_id, "PropertiesUpdated",
                 ViewFor(next, *next.owner_id), &actor);
        if (next.state == "InWorkbin" && next.workbin_id)
          if (const auto* w = dir->WorkbinById(*next.workbin_id))
            WB_RETURN_IF_ERROR(
                QueueWorkbinContentChanged(s, *w, next, "ItemUpdated", actor));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_id;
}

Result<std::vector<json::object>> InteractionService::ListMine(
    const Principal& who, const std::string& media) {
  std::vector<json::object> out;
  Status st = deps_.store->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(auto dir,
                        deps_.directories->Get(tx, who.contact_center_id));
    WB_RETURN_IF_ERROR(CheckOpenMediaType(*dir, media));
    WB_ASSIGN_OR_RETURN(auto mine, tx.ListInteractionsOfOwner(who.user_id));
    for (const auto& r : mine) {
      const bool match = media == "openmedia"
                             ? FamilyOf(r.media_type) == MediaFamily::kOpenMedia
                             : r.media_type == media;
      if (match)
        out.push_back(deps_.renderer->Resource(r, ViewFor(r, who.user_id)));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<json::object> InteractionService::GetMine(const Principal& who,
                                                 const std::string& route_media,
                                                 const std::string& id) {
  json::object out;
  Status st = deps_.store->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(auto dir,
                        deps_.directories->Get(tx, who.contact_center_id));
    WB_RETURN_IF_ERROR(CheckOpenMediaType(*dir, route_media));
    WB_ASSIGN_OR_RETURN(auto r, Find(tx, *dir, route_media, id));
    if (!r.owner_id || *r.owner_id != who.user_id)
      return UnknownInteraction(id);
    out = deps_.renderer->Resource(r, ViewFor(r, who.user_id));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<json::object> InteractionService::GetVisible(
    const Principal& who, const std::string& route_media, const std::string& id,
    bool extended) {
  json::object out;
  Status st = deps_.store->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(auto dir,
                        deps_.directories->Get(tx, who.contact_center_id));
    WB_RETURN_IF_ERROR(CheckOpenMediaType(*dir, route_media));
    WB_ASSIGN_OR_RETURN(auto r, Find(tx, *dir, route_media, id));
    WB_ASSIGN_OR_RETURN(bool visible, MayRead(tx, *dir, who, r));
    if (!visible) return NotVisible(id, who.user_name);
    const InteractionView view = ViewFor(r, who.user_id);
    out = extended ? deps_.renderer->ExtendedResource(*dir, r, view)
                   : deps_.renderer->Resource(r, view);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace workbind::domain
