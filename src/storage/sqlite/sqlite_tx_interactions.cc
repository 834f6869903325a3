// SqliteTx: interactions, their history, routing cool-downs and contact
// profiles (migrations/0003_interactions.sql).
#include "storage/codec/record_codec.h"
#include "storage/codec/storage_status.h"
#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {
namespace {

// Binds every column but the id, from parameter `first` on, in the order of
// the INSERT and UPDATE statements below.
void BindInteraction(Stmt& s, int first, const InteractionRecord& r) {
  const int i = first;
  s.Bind(i, r.contact_center_id).Bind(i + 1, r.media_type).Bind(i + 2, r.state);
  s.Bind(i + 3, r.working_state)
      .Bind(i + 4, r.direction)
      .Bind(i + 5, r.owner_id);
  s.Bind(i + 6, r.queue_id)
      .Bind(i + 7, r.workbin_id)
      .Bind(i + 8, r.last_owner_id);
  s.Bind(i + 9, r.contact_id)
      .Bind(i + 10, r.parent_id)
      .Bind(i + 11, r.received_ms);
  s.Bind(i + 12, r.queued_ms).Bind(i + 13, r.workbin_entered_ms);
  if (r.offer_expires_ms)
    s.Bind(i + 14, *r.offer_expires_ms);
  else
    s.BindNull(i + 14);
  s.Bind(i + 15, r.offer_reason).Bind(i + 16, r.transfer_from_id);
  s.Bind(i + 17, r.transfer_reference_id).Bind(i + 18, r.user_data);
  s.Bind(i + 19, codec::EncodeMedia(r, codec::MediaFields::kOnlySet));
}

}  // namespace

InteractionRecord ReadInteractionRow(const Stmt& s) {
  InteractionRecord r;
  r.id = s.Text(0);
  r.contact_center_id = s.Text(1);
  r.media_type = s.Text(2);
  r.state = s.Text(3);
  r.working_state = s.Text(4);
  r.direction = s.Text(5);
  r.owner_id = s.OptText(6);
  r.queue_id = s.OptText(7);
  r.workbin_id = s.OptText(8);
  r.last_owner_id = s.OptText(9);
  r.contact_id = s.OptText(10);
  r.parent_id = s.OptText(11);
  r.received_ms = s.Int(12);
  r.queued_ms = s.Int(13);
  r.workbin_entered_ms = s.Int(14);
  if (!s.IsNull(15)) r.offer_expires_ms = s.Int(15);
  r.offer_reason = s.Text(16);
  r.transfer_from_id = s.OptText(17);
  r.transfer_reference_id = s.Int(18);
  r.user_data = s.Text(19);
  codec::DecodeMedia(s.Text(20), &r);
  return r;
}

Result<std::vector<InteractionRecord>> ReadInteractionRows(Stmt& s) {
  std::vector<InteractionRecord> out;
  while (s.Step()) out.push_back(ReadInteractionRow(s));
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::optional<InteractionRecord>> SqliteTx::GetInteraction(
    const std::string& id) {
  auto s = c_->Prepare(WB_INTERACTION_COLUMNS "WHERE id = ?");
  s.Bind(1, id);
  if (s.Step()) return std::optional<InteractionRecord>(ReadInteractionRow(s));
  if (!s.status().ok()) return s.status();
  return std::optional<InteractionRecord>();
}

Result<std::vector<InteractionRecord>> SqliteTx::ListInteractionsOfOwner(
    const std::string& user_id) {
  auto s = c_->Prepare(WB_INTERACTION_COLUMNS
                       "WHERE owner_id = ? ORDER BY received_ms, id");
  s.Bind(1, user_id);
  return ReadInteractionRows(s);
}

Result<std::vector<InteractionRecord>> SqliteTx::ListAssignedInteractions(
    const std::string& cc) {
  auto s = c_->Prepare(
      WB_INTERACTION_COLUMNS
      "WHERE contact_center_id = ? AND owner_id IS NOT NULL ORDER BY id");
  s.Bind(1, cc);
  return ReadInteractionRows(s);
}

Result<std::vector<InteractionRecord>> SqliteTx::ListQueuedInteractions(
    const std::string& cc) {
  auto s = c_->Prepare(WB_INTERACTION_COLUMNS
                       "WHERE contact_center_id = ? AND state = 'Queued' "
                       "ORDER BY queued_ms, id");
  s.Bind(1, cc);
  return ReadInteractionRows(s);
}

Result<int64_t> SqliteTx::CountQueued(const std::string& queue_id) {
  auto s = c_->Prepare(
      "SELECT count(*) FROM interactions WHERE queue_id = ? AND state = "
      "'Queued'");
  s.Bind(1, queue_id);
  return ReadCount(s);
}

Result<int64_t> SqliteTx::CountInteractionsInWorkbin(
    const std::string& workbin_id) {
  auto s =
      c_->Prepare("SELECT count(*) FROM interactions WHERE workbin_id = ?");
  s.Bind(1, workbin_id);
  return ReadCount(s);
}

Result<int64_t> SqliteTx::CountInteractionsOwnedBy(const std::string& user_id) {
  auto s = c_->Prepare(
      "SELECT count(*) FROM interactions WHERE owner_id = ? AND state <> "
      "'Invited'");
  s.Bind(1, user_id);
  return ReadCount(s);
}

Result<int64_t> SqliteTx::CountOpenInteractionsOfQueue(
    const std::string& queue_id) {
  auto s = c_->Prepare(
      "SELECT count(*) FROM interactions WHERE queue_id = ? AND state <> "
      "'Completed'");
  s.Bind(1, queue_id);
  return ReadCount(s);
}

Result<int64_t> SqliteTx::CountOpenInteractions(const std::string& cc,
                                                const std::string& media_type) {
  auto s = c_->Prepare(
      "SELECT count(*) FROM interactions WHERE contact_center_id = ? AND state "
      "<> 'Completed' "
      "AND (? = '' OR media_type = ?)");
  s.Bind(1, cc).Bind(2, media_type).Bind(3, media_type);
  return ReadCount(s);
}

Result<std::vector<HistoryEventRecord>> SqliteTx::ListInteractionHistory(
    const std::string& interaction_id) {
  auto s = c_->Prepare(
      "SELECT seq, at_ms, event, user_id, user_name, reference_id, state, "
      "owner_id, "
      "from_queue, to_queue, from_workbin_id, to_workbin_id, details "
      "FROM interaction_history WHERE interaction_id = ? ORDER BY seq");
  s.Bind(1, interaction_id);
  std::vector<HistoryEventRecord> out;
  while (s.Step()) {
    HistoryEventRecord r;
    r.interaction_id = interaction_id;
    r.seq = s.Int(0);
    r.at_ms = s.Int(1);
    r.event = s.Text(2);
    r.user_id = s.Text(3);
    r.user_name = s.Text(4);
    r.reference_id = s.Int(5);
    r.state = s.Text(6);
    r.owner_id = s.Text(7);
    r.from_queue = s.Text(8);
    r.to_queue = s.Text(9);
    r.from_workbin_id = s.Text(10);
    r.to_workbin_id = s.Text(11);
    r.details = s.Text(12);
    out.push_back(std::move(r));
  }
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::vector<CooldownRecord>> SqliteTx::ListCooldowns(
    const std::string& cc, int64_t now_ms) {
  auto s = c_->Prepare(
      "SELECT interaction_id, user_id, until_ms FROM routing_cooldowns "
      "WHERE contact_center_id = ? AND until_ms > ? ORDER BY interaction_id, "
      "user_id");
  s.Bind(1, cc).Bind(2, now_ms);
  std::vector<CooldownRecord> out;
  while (s.Step()) out.push_back({cc, s.Text(0), s.Text(1), s.Int(2)});
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::optional<ContactRecord>> SqliteTx::GetContact(
    const std::string& cc, const std::string& id) {
  auto s = c_->Prepare(
      "SELECT last_agent_id, last_agent_user_name, last_agent_at_ms, "
      "last_media_type "
      "FROM contacts WHERE contact_center_id = ? AND id = ?");
  s.Bind(1, cc).Bind(2, id);
  if (s.Step()) {
    ContactRecord r{cc, id, s.OptText(0), s.OptText(1), s.Int(2), s.OptText(3)};
    return std::optional<ContactRecord>(std::move(r));
  }
  if (!s.status().ok()) return s.status();
  return std::optional<ContactRecord>();
}

Status SqliteTx::InsertInteraction(const InteractionRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO interactions (id, contact_center_id, media_type, state, "
      "working_state, "
      "direction, owner_id, queue_id, workbin_id, last_owner_id, contact_id, "
      "parent_id, "
      "received_ms, queued_ms, workbin_entered_ms, offer_expires_ms, "
      "offer_reason, "
      "transfer_from_id, transfer_reference_id, user_data, media) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  s.Bind(1, r.id);
  BindInteraction(s, 2, r);
  return s.Exec(Code::kStorageCreate);
}

Status SqliteTx::UpdateInteraction(const InteractionRecord& next,
                                   const InteractionRecord& expected) {
  bool updated = false;
  {
    auto s = c_->Prepare(
        "UPDATE interactions SET contact_center_id = ?, media_type = ?, state "
        "= ?, "
        "working_state = ?, direction = ?, owner_id = ?, queue_id = ?, "
        "workbin_id = ?, "
        "last_owner_id = ?, contact_id = ?, parent_id = ?, received_ms = ?, "
        "queued_ms = ?, "
        "workbin_entered_ms = ?, offer_expires_ms = ?, offer_reason = ?, "
        "transfer_from_id = ?, "
        "transfer_reference_id = ?, user_data = ?, media = ? "
        "WHERE id = ? AND state = ? AND owner_id IS ? AND queue_id IS ? AND "
        "workbin_id IS ? "
        "RETURNING id");
    BindInteraction(s, 1, next);
    s.Bind(21, next.id).Bind(22, expected.state).Bind(23, expected.owner_id);
    s.Bind(24, expected.queue_id).Bind(25, expected.workbin_id);
    if (s.Step()) {
      updated = true;
      while (s.Step()) {
      }
    }
    if (!s.status().ok()) {
      const Status& st = s.status();
      return codec::StorageError(Code::kStorageUpdate, st.unavailable());
    }
  }
  if (updated) return Status::Ok();
  WB_ASSIGN_OR_RETURN(auto current, GetInteraction(next.id));
  if (!current) return NotFound("Interaction " + next.id + " does not exist");
  return InUse("Interaction " + next.id + " was changed by another request");
}

Result<int64_t> SqliteTx::AppendInteractionHistory(
    const HistoryEventRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO interaction_history (interaction_id, seq, at_ms, event, "
      "user_id, user_name, "
      "reference_id, state, owner_id, from_queue, to_queue, from_workbin_id, "
      "to_workbin_id, "
      "details) VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM "
      "interaction_history "
      "WHERE interaction_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
      "?12, ?13) "
      "RETURNING seq");
  s.Bind(1, r.interaction_id)
      .Bind(2, r.at_ms)
      .Bind(3, r.event)
      .Bind(4, codec::NonEmpty(r.user_id));
  s.Bind(5, codec::NonEmpty(r.user_name))
      .Bind(6, r.reference_id)
      .Bind(7, r.state);
  s.Bind(8, codec::NonEmpty(r.owner_id))
      .Bind(9, codec::NonEmpty(r.from_queue))
      .Bind(10, codec::NonEmpty(r.to_queue));
  s.Bind(11, codec::NonEmpty(r.from_workbin_id))
      .Bind(12, codec::NonEmpty(r.to_workbin_id));
  s.Bind(13, codec::NonEmpty(r.details));
  if (s.Step()) {
    int64_t seq = s.Int(0);
    while (s.Step()) {
    }
    return seq;
  }
  const Status& st = s.status();
  return codec::StorageError(Code::kStorageCreate, st.unavailable());
}

Status SqliteTx::PutCooldown(const CooldownRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO routing_cooldowns (contact_center_id, interaction_id, "
      "user_id, until_ms) "
      "VALUES (?, ?, ?, ?) ON CONFLICT(interaction_id, user_id) DO UPDATE SET "
      "until_ms = excluded.until_ms");
  s.Bind(1, r.contact_center_id).Bind(2, r.interaction_id).Bind(3, r.user_id);
  s.Bind(4, r.until_ms);
  return s.Exec(Code::kStorageUpdate);
}

Status SqliteTx::DeleteEndedCooldowns(const std::string& cc, int64_t now_ms) {
  auto s = c_->Prepare(
      "DELETE FROM routing_cooldowns WHERE contact_center_id = ? AND until_ms "
      "<= ?");
  s.Bind(1, cc).Bind(2, now_ms);
  return s.Exec(Code::kStorageDelete);
}

Status SqliteTx::PutContact(const ContactRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO contacts (contact_center_id, id, last_agent_id, "
      "last_agent_user_name, "
      "last_agent_at_ms, last_media_type) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT(contact_center_id, id) DO UPDATE SET last_agent_id = "
      "excluded.last_agent_id, "
      "last_agent_user_name = excluded.last_agent_user_name, "
      "last_agent_at_ms = excluded.last_agent_at_ms, last_media_type = "
      "excluded.last_media_type");
  s.Bind(1, r.contact_center_id).Bind(2, r.id).Bind(3, r.last_agent_id);
  s.Bind(4, r.last_agent_user_name)
      .Bind(5, r.last_agent_at_ms)
      .Bind(6, r.last_media_type);
  return s.Exec(Code::kStorageUpdate);
}

}  // namespace workbind::storage::sqlite
