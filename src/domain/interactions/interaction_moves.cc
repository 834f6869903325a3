#include "domain/interactions/interaction_moves.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "domain/core/user_data.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

// Interaction ids carry 30 random bits after the time: a collision within
// one millisecond is rare, several in a row are practically impossible.
constexpr int kIdAttempts = 8;

Notification Make(const TxScope& s, const std::string& user_id,
                  const storage::InteractionRecord& r, json::object data,
                  const Actor* actor) {
  const MediaNames& names = NamesOf(FamilyOf(r.media_type));
  return s.notifier.Make(s.dir, user_id, std::string(names.topic),
                         std::move(data), actor ? actor->user_id : "",
                         actor ? actor->reference_id : 0);
}

std::string UserName(const Directory& dir, const std::string& id) {
  const auto* u = dir.UserById(id);
  return u ? u->user_name : id;
}

}  // namespace

std::string QueueName(const Directory& dir,
                      const std::optional<std::string>& queue_id) {
  if (!queue_id) return {};
  const auto* q = dir.QueueById(*queue_id);
  return q ? q->name : std::string();
}

storage::HistoryEventRecord MakeEvent(const TxScope& s,
                                      const storage::InteractionRecord& after,
                                      std::string_view event,
                                      const Actor* actor) {
  storage::HistoryEventRecord e;
  e.interaction_id = after.id;
  e.at_ms = s.now_ms;
  e.event = std::string(event);
  if (actor) {
    e.user_id = actor->user_id;
    e.user_name = actor->user_name;
    e.reference_id = actor->reference_id;
  }
  e.state = after.state;
  if (after.owner_id) e.owner_id = *after.owner_id;
  return e;
}

Status Append(TxScope& s, const storage::HistoryEventRecord& event) {
  auto seq = s.tx.AppendInteractionHistory(event);
  return seq.ok() ? Status::Ok() : seq.status();
}

void Notify(TxScope& s, const storage::InteractionRecord& r,
            const std::string& user_id, std::string_view notification_type,
            const InteractionView& view, const Actor* actor) {
  s.out->push_back(Make(s, user_id, r,
                        s.renderer.StateMessage(r, view, notification_type),
                        actor));
}

Status RestartIdle(TxScope& s, const std::string& user_id,
                   const std::string& media_type) {
  WB_ASSIGN_OR_RETURN(auto state, s.tx.GetAgentState(user_id));
  if (!state) return Status::Ok();
  bool changed = false;
  for (auto& c : state->channels) {
    if (c.channel != media_type || c.idle_since_ms >= s.now_ms) continue;
    c.idle_since_ms = s.now_ms;
    changed = true;
  }
  return changed ? s.tx.PutAgentState(*state) : Status::Ok();
}

Status EnsureContact(TxScope& s, const std::string& contact_id) {
  const std::string& cc = s.dir.contact_center().id;
  WB_ASSIGN_OR_RETURN(auto existing, s.tx.GetContact(cc, contact_id));
  if (existing) return Status::Ok();
  storage::ContactRecord c;
  c.contact_center_id = cc;
  c.id = contact_id;
  return s.tx.PutContact(c);
}

Status SaveLastAgent(TxScope& s, const storage::InteractionRecord& r,
                     const storage::UserRecord& agent, const Actor& actor) {
  if (!r.contact_id) return Status::Ok();
  storage::ContactRecord c;
  c.contact_center_id = r.contact_center_id;
  c.id = *r.contact_id;
  c.last_agent_id = agent.id;
  c.last_agent_user_name = agent.user_name;
  c.last_agent_at_ms = s.now_ms;
  c.last_media_type = r.media_type;
  WB_RETURN_IF_ERROR(s.tx.PutContact(c));
  auto e = MakeEvent(s, r, "LastAgentSaved", &actor);
  e.details = json::serialize(
      json::object{{"contactId", *r.contact_id}, {"lastAgentId", agent.id}});
  return Append(s, e);
}

Result<storage::InteractionRecord> InsertNew(TxScope& s, NewInteraction n) {
  storage::InteractionRecord r;
  r.contact_center_id = s.dir.contact_center().id;
  r.media_type = std::move(n.media_type);
  r.state = std::move(n.state);
  r.working_state = std::move(n.working_state);
  r.direction = std::move(n.direction);
  r.owner_id = std::move(n.owner_id);
  r.queue_id = std::move(n.queue_id);
  r.contact_id = std::move(n.contact_id);
  r.parent_id = std::move(n.parent_id);
  r.received_ms = s.now_ms;
  r.queued_ms = s.now_ms;
  r.from = std::move(n.from);
  r.subject = std::move(n.subject);
  r.body = std::move(n.body);
  r.mime = n.mime.empty() ? "text/plain" : std::move(n.mime);
  r.to = std::move(n.to);
  r.cc = std::move(n.cc);
  r.bcc = std::move(n.bcc);
  if (FamilyOf(r.media_type) == MediaFamily::kChat) {
    r.participants.push_back({n.customer_nickname.value_or("Customer"),
                              "Customer", ids::NewInteractionId(s.now_ms)});
  }
  Status inserted = Status::Ok();
  for (int attempt = 0; attempt < kIdAttempts; ++attempt) {
    r.id = ids::NewInteractionId(s.now_ms);
    json::object data;
    data["InteractionId"] = r.id;
    if (r.contact_id) data["ContactId"] = *r.contact_id;
    WB_ASSIGN_OR_RETURN(data, MergeUserData(std::move(data), n.user_data));
    r.user_data = SerializeUserData(data);
    inserted = s.tx.InsertInteraction(r);
    if (inserted.code() != Code::kAlreadyExists) break;
  }
  if (inserted.code() == Code::kAlreadyExists)
    return Status(Code::kStorageCreate, "Unable to create resource");
  WB_RETURN_IF_ERROR(inserted);
  if (r.contact_id) WB_RETURN_IF_ERROR(EnsureContact(s, *r.contact_id));
  return r;
}

Status OfferFromQueue(TxScope& s, const storage::InteractionRecord& r,
                      const std::string& user_id, const std::string& reason) {
  storage::InteractionRecord next = r;
  next.state = "Invited";
  next.owner_id = user_id;
  next.offer_expires_ms =
      s.now_ms + int64_t{s.dir.contact_center().offer_timeout_seconds} * 1000;
  next.offer_reason = reason;
  next.transfer_from_id.reset();
  next.transfer_reference_id = 0;
  WB_RETURN_IF_ERROR(s.tx.UpdateInteraction(next, r));
  auto e = MakeEvent(s, next, "Offered", nullptr);
  e.from_queue = QueueName(s.dir, r.queue_id);
  e.details = json::serialize(json::object{{"reason", reason}});
  WB_RETURN_IF_ERROR(Append(s, e));
  Notify(s, next, user_id, "StatusChange", ViewFor(next, user_id), nullptr);
  return Status::Ok();
}

Status RevokeOffer(TxScope& s, const storage::InteractionRecord& r,
                   RevokeCause cause, const Actor* actor) {
  if (r.state != "Invited" || !r.owner_id)
    return InvalidState("Interaction " + r.id + " has no open offer");
  const std::string offeree = *r.owner_id;
  const bool transfer = r.offer_reason == "transfer";
  storage::InteractionRecord next = r;
  next.state = "Queued";
  next.owner_id.reset();
  next.offer_expires_ms.reset();
  next.offer_reason.clear();
  next.transfer_from_id.reset();
  next.transfer_reference_id = 0;
  // A declined transfer was owned, not waiting: it has no earlier place.
  if (transfer) next.queued_ms = s.now_ms;
  WB_RETURN_IF_ERROR(s.tx.UpdateInteraction(next, r));

  const char* event = cause == RevokeCause::kReject    ? "Rejected"
                      : cause == RevokeCause::kTimeout ? "OfferTimedOut"
                                                       : "OfferRevoked";
  const std::string queue = QueueName(s.dir, next.queue_id);
  auto e = MakeEvent(s, next, event, actor);
  e.to_queue = queue;
  WB_RETURN_IF_ERROR(Append(s, e));
  if (transfer) {
    auto d = MakeEvent(s, next, "TransferDeclined", nullptr);
    d.to_queue = queue;
    d.details = json::serialize(json::object{{"toUserId", offeree}});
    WB_RETURN_IF_ERROR(Append(s, d));
  }
  if (cause != RevokeCause::kLogout || transfer) {
    storage::CooldownRecord c;
    c.contact_center_id = r.contact_center_id;
    c.interaction_id = r.id;
    c.user_id = offeree;
    c.until_ms =
        s.now_ms +
        int64_t{s.dir.contact_center().decline_cooldown_seconds} * 1000;
    WB_RETURN_IF_ERROR(s.tx.PutCooldown(c));
  }
  if (cause != RevokeCause::kLogout)
    WB_RETURN_IF_ERROR(RestartIdle(s, offeree, r.media_type));

  Notify(s, next, offeree, "StatusChange", LostView(InteractionState::kRevoked),
         cause == RevokeCause::kReject ? actor : nullptr);
  s.out->back().settles_offer =
      cause == RevokeCause::kReject    ? OfferOutcome::kRejected
      : cause == RevokeCause::kTimeout ? OfferOutcome::kTimedOut
                                       : OfferOutcome::kRevoked;
  if (transfer && r.transfer_from_id) {
    const Actor from{*r.transfer_from_id, "", r.transfer_reference_id};
    const std::string message = "Transfer to '" + UserName(s.dir, offeree) +
                                "' was not accepted; interaction placed in "
                                "queue '" +
                                queue + "'";
    s.out->push_back(
        Make(s, from.user_id, next,
             s.renderer.ErrorMessage(
                 next, LostView(InteractionState::kCompleted), 16, message),
             &from));
  }
  return Status::Ok();
}

Result<storage::InteractionRecord> ChangeUserData(
    TxScope& s, const storage::InteractionRecord& cur, bool remove,
    const std::vector<std::string>& keys, const boost::json::object& data,
    const Actor& actor) {
  storage::InteractionRecord next = cur;
  json::array set, deleted;
  if (remove) {
    std::vector<std::string> removed;
    next.user_data = SerializeUserData(
        RemoveUserData(ParseUserData(cur.user_data), keys, &removed));
    for (auto& k : removed) deleted.emplace_back(k);
  } else {
    WB_ASSIGN_OR_RETURN(auto merged,
                        MergeUserData(ParseUserData(cur.user_data), data));
    next.user_data = SerializeUserData(merged);
    for (const auto& [k, v] : data) set.emplace_back(k);
  }
  WB_RETURN_IF_ERROR(s.tx.UpdateInteraction(next, cur));
  auto e = MakeEvent(s, next, "UserDataChanged", &actor);
  e.details = json::serialize(
      json::object{{"set", std::move(set)}, {"deleted", std::move(deleted)}});
  WB_RETURN_IF_ERROR(Append(s, e));
  return next;
}

Status CheckNewInteractionFields(const boost::json::object& user_data,
                                 const std::optional<std::string>& contact_id) {
  WB_RETURN_IF_ERROR(ValidateUserDataValues(user_data));
  if (contact_id && !ids::IsContactId(*contact_id))
    return InvalidArgument(
        "Field 'contactId' must have 1-64 characters of [A-Za-z0-9_-]");
  return Status::Ok();
}

}  // namespace workbind::domain
