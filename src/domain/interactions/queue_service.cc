#include "domain/interactions/queue_service.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "domain/core/user_data.h"
#include "domain/interactions/interaction_moves.h"

namespace workbind::domain {
namespace json = boost::json;

QueueService::QueueService(const ServiceDeps& deps) : deps_(deps) {}

Result<CreateResult> QueueService::Submit(const Principal& who,
                                          const std::string& queue_id,
                                          const SubmitRequest& request) {
  WB_RETURN_IF_ERROR(
      CheckNewInteractionFields(request.user_data, request.contact_id));
  const int64_t now = deps_.clock->NowMillis();
  CreateResult result;
  Status st = deps_.notifier->Write(
      *deps_.store, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir,
                            deps_.directories->Get(tx, who.contact_center_id));
        if (!dir->IsMediaType(request.media_type))
          return InvalidArgument("Field 'mediaType': '" + request.media_type +
                                 "' is not a media type of the contact center");
        const auto* queue =
            ids::IsUuid(queue_id) ? dir->QueueById(queue_id) : nullptr;
        if (!queue) return NotFound("No such queue '" + queue_id + "'");
        if (request.parent_id) {
          const Status missing =
              NotFound("No such interaction '" + *request.parent_id + "'");
          if (!ids::IsInteractionIdLike(*request.parent_id)) return missing;
          WB_ASSIGN_OR_RETURN(auto parent,
                              tx.GetInteraction(*request.parent_id));
          if (!parent || parent->contact_center_id != dir->contact_center().id)
            return missing;
        }
        TxScope s{tx, *dir, *deps_.notifier, *deps_.renderer, now, out};
        NewInteraction n;
        n.media_type = request.media_type;
        n.direction = "Inbound";
        n.state = "Queued";
        n.working_state = FamilyOf(request.media_type) == MediaFamily::kChat
                              ? "Chatting"
                              : "Processing";
        n.queue_id = queue->id;
        n.contact_id = request.contact_id;
        n.parent_id = request.parent_id;
        n.user_data = request.user_data;
        n.customer_nickname = request.nickname;
        if (FamilyOf(request.media_type) == MediaFamily::kEmail)
          request.email.ApplyTo(&n);
        WB_ASSIGN_OR_RETURN(auto r, InsertNew(s, std::move(n)));
        WB_ASSIGN_OR_RETURN(result.reference_id,
                            tx.NextReferenceId(who.user_id));
        const Actor actor{who.user_id, who.user_name, result.reference_id};
        auto e = MakeEvent(s, r, "Submitted", &actor);
        e.to_queue = queue->name;
        e.details =
            json::serialize(json::object{{"mediaType", request.media_type}});
        WB_RETURN_IF_ERROR(Append(s, e));
        result.id = r.id;
        return Status::Ok();
      });
  if (!st.ok()) return st;
  if (deps_.trigger) deps_.trigger->Trigger(who.contact_center_id);
  return result;
}

}  // namespace workbind::domain
