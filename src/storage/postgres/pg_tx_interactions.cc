// PgTx: interactions, their history, routing cool-downs and contact
// profiles (migrations/0003_interactions.sql).
#include "storage/codec/record_codec.h"
#include "storage/codec/storage_status.h"
#include "storage/postgres/pg_tx.h"

namespace workbind::storage::postgres {
namespace {

int64_t CountOf(const pqxx::result& r) { return r.empty() ? 0 : Int(r[0], 0); }

}  // namespace

InteractionRecord ReadInteractionRow(const pqxx::row& row) {
  InteractionRecord r;
  r.id = Text(row, 0);
  r.contact_center_id = Text(row, 1);
  r.media_type = Text(row, 2);
  r.state = Text(row, 3);
  r.working_state = Text(row, 4);
  r.direction = Text(row, 5);
  r.owner_id = OptText(row, 6);
  r.queue_id = OptText(row, 7);
  r.workbin_id = OptText(row, 8);
  r.last_owner_id = OptText(row, 9);
  r.contact_id = OptText(row, 10);
  r.parent_id = OptText(row, 11);
  r.received_ms = Int(row, 12);
  r.queued_ms = Int(row, 13);
  r.workbin_entered_ms = Int(row, 14);
  if (!row[15].is_null()) r.offer_expires_ms = Int(row, 15);
  r.offer_reason = Text(row, 16);
  r.transfer_from_id = OptText(row, 17);
  r.transfer_reference_id = Int(row, 18);
  r.user_data = Text(row, 19);
  codec::DecodeMedia(Text(row, 20), &r);
  return r;
}

std::vector<InteractionRecord> ReadInteractionRows(const pqxx::result& r) {
  std::vector<InteractionRecord> out;
  out.reserve(r.size());
  for (const auto& row : r) out.push_back(ReadInteractionRow(row));
  return out;
}

Result<std::optional<InteractionRecord>> PgTx::GetInteraction(
    const std::string& id) {
  // Row-locking: the row is locked until the commit. Its absence needs no
  // lock: ids are never reused, and a missing interaction only ends the
  // callback with an error.
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  Locking(WB_INTERACTION_COLUMNS "WHERE id = $1",
                          WB_INTERACTION_COLUMNS "WHERE id = $1 FOR UPDATE"),
                  id));
  if (r.empty()) return std::optional<InteractionRecord>();
  return std::optional<InteractionRecord>(ReadInteractionRow(r[0]));
}

Result<std::vector<InteractionRecord>> PgTx::ListInteractionsOfOwner(
    const std::string& user_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageRead,
          WB_INTERACTION_COLUMNS "WHERE owner_id = $1 ORDER BY received_ms, id",
          user_id));
  return ReadInteractionRows(r);
}

Result<std::vector<InteractionRecord>> PgTx::ListAssignedInteractions(
    const std::string& cc) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageRead,
          WB_INTERACTION_COLUMNS
          "WHERE contact_center_id = $1 AND owner_id IS NOT NULL ORDER BY id",
          cc));
  return ReadInteractionRows(r);
}

Result<std::vector<InteractionRecord>> PgTx::ListQueuedInteractions(
    const std::string& cc) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r,
                      Run(Code::kStorageRead,
                          WB_INTERACTION_COLUMNS
                          "WHERE contact_center_id = $1 AND state = 'Queued' "
                          "ORDER BY queued_ms, id",
                          cc));
  return ReadInteractionRows(r);
}

Result<int64_t> PgTx::CountQueued(const std::string& queue_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT count(*) FROM interactions WHERE "
                                  "queue_id = $1 AND state = 'Queued'",
                                  queue_id));
  return CountOf(r);
}

Result<int64_t> PgTx::CountInteractionsInWorkbin(
    const std::string& workbin_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT count(*) FROM interactions WHERE workbin_id = $1",
                  workbin_id));
  return CountOf(r);
}

Result<int64_t> PgTx::CountInteractionsOwnedBy(const std::string& user_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT count(*) FROM interactions WHERE "
                                  "owner_id = $1 AND state <> 'Invited'",
                                  user_id));
  return CountOf(r);
}

Result<int64_t> PgTx::CountOpenInteractionsOfQueue(
    const std::string& queue_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT count(*) FROM interactions WHERE "
                                  "queue_id = $1 AND state <> 'Completed'",
                                  queue_id));
  return CountOf(r);
}

Result<int64_t> PgTx::CountOpenInteractions(const std::string& cc,
                                            const std::string& media_type) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT count(*) FROM interactions WHERE contact_center_id "
                  "= $1 AND state <> 'Completed' AND ($2 = '' OR media_type "
                  "= $2)",
                  cc, media_type));
  return CountOf(r);
}

Result<std::vector<HistoryEventRecord>> PgTx::ListInteractionHistory(
    const std::string& interaction_id) {
  // Row-locking: no lock of its own. Events are appended only by a
  // transaction that holds the interaction's row (it changed or inserted
  // it), and write callbacks read the history only of an interaction they
  // read with GetInteraction, which locked it.
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT seq, at_ms, event, user_id, user_name, reference_id, "
                  "state, owner_id, from_queue, to_queue, from_workbin_id, "
                  "to_workbin_id, details FROM interaction_history WHERE "
                  "interaction_id = $1 ORDER BY seq",
                  interaction_id));
  std::vector<HistoryEventRecord> out;
  for (const auto& row : r) {
    HistoryEventRecord e;
    e.interaction_id = interaction_id;
    e.seq = Int(row, 0);
    e.at_ms = Int(row, 1);
    e.event = Text(row, 2);
    e.user_id = Text(row, 3);
    e.user_name = Text(row, 4);
    e.reference_id = Int(row, 5);
    e.state = Text(row, 6);
    e.owner_id = Text(row, 7);
    e.from_queue = Text(row, 8);
    e.to_queue = Text(row, 9);
    e.from_workbin_id = Text(row, 10);
    e.to_workbin_id = Text(row, 11);
    e.details = Text(row, 12);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<CooldownRecord>> PgTx::ListCooldowns(const std::string& cc,
                                                        int64_t now_ms) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r,
                      Run(Code::kStorageRead,
                          "SELECT interaction_id, user_id, until_ms FROM "
                          "routing_cooldowns WHERE contact_center_id = $1 AND "
                          "until_ms > $2 ORDER BY interaction_id, user_id",
                          cc, now_ms));
  std::vector<CooldownRecord> out;
  for (const auto& row : r)
    out.push_back({cc, Text(row, 0), Text(row, 1), Int(row, 2)});
  return out;
}

Result<std::optional<ContactRecord>> PgTx::GetContact(const std::string& cc,
                                                      const std::string& id) {
  // Row-locking: the key lock holds the row's presence or absence (and the
  // row, which PutContact writes only under it) until the commit.
  WB_RETURN_IF_ERROR(KeyLock("contacts\n" + cc + "\n" + id));
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT last_agent_id, last_agent_user_name, "
                  "last_agent_at_ms, last_media_type FROM contacts WHERE "
                  "contact_center_id = $1 AND id = $2",
                  cc, id));
  if (r.empty()) return std::optional<ContactRecord>();
  ContactRecord c{cc,
                  id,
                  OptText(r[0], 0),
                  OptText(r[0], 1),
                  Int(r[0], 2),
                  OptText(r[0], 3)};
  return std::optional<ContactRecord>(std::move(c));
}

Status PgTx::InsertInteraction(const InteractionRecord& r) {
  // ON CONFLICT DO NOTHING rather than a unique violation: callers retry
  // with another id inside the same transaction.
  WB_ASSIGN_OR_RETURN(
      auto res,
      RunGuarded(
          Code::kStorageCreate,
          "INSERT INTO interactions (id, contact_center_id, media_type, "
          "state, working_state, direction, owner_id, queue_id, workbin_id, "
          "last_owner_id, contact_id, parent_id, received_ms, queued_ms, "
          "workbin_entered_ms, offer_expires_ms, offer_reason, "
          "transfer_from_id, transfer_reference_id, user_data, media) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
          "$14, $15, $16, $17, $18, $19, $20, $21) "
          "ON CONFLICT (id) DO NOTHING RETURNING id",
          r.id, r.contact_center_id, r.media_type, r.state, r.working_state,
          r.direction, r.owner_id, r.queue_id, r.workbin_id, r.last_owner_id,
          r.contact_id, r.parent_id, r.received_ms, r.queued_ms,
          r.workbin_entered_ms, r.offer_expires_ms, r.offer_reason,
          r.transfer_from_id, r.transfer_reference_id, r.user_data,
          codec::EncodeMedia(r, codec::MediaFields::kAll)));
  if (res.empty()) return AlreadyExists("Resource already exists");
  return Status::Ok();
}

Status PgTx::UpdateInteraction(const InteractionRecord& next,
                               const InteractionRecord& expected) {
  // The WHERE clause is the race settler: the UPDATE locks the row, so of
  // two transactions (on any node) that expect the same location only the
  // first changes it; the other matches no row (or, SERIALIZABLE, fails
  // with a serialization failure and is run again, then matches no row).
  auto res = Run(
      Code::kStorageUpdate,
      "UPDATE interactions SET contact_center_id = $1, media_type = $2, "
      "state = $3, working_state = $4, direction = $5, owner_id = $6, "
      "queue_id = $7, workbin_id = $8, last_owner_id = $9, contact_id = $10, "
      "parent_id = $11, received_ms = $12, queued_ms = $13, "
      "workbin_entered_ms = $14, offer_expires_ms = $15, offer_reason = $16, "
      "transfer_from_id = $17, transfer_reference_id = $18, user_data = $19, "
      "media = $20 WHERE id = $21 AND state = $22 AND owner_id IS NOT "
      "DISTINCT FROM $23 AND queue_id IS NOT DISTINCT FROM $24 AND "
      "workbin_id IS NOT DISTINCT FROM $25 RETURNING id",
      next.contact_center_id, next.media_type, next.state, next.working_state,
      next.direction, next.owner_id, next.queue_id, next.workbin_id,
      next.last_owner_id, next.contact_id, next.parent_id, next.received_ms,
      next.queued_ms, next.workbin_entered_ms, next.offer_expires_ms,
      next.offer_reason, next.transfer_from_id, next.transfer_reference_id,
      next.user_data, codec::EncodeMedia(next, codec::MediaFields::kAll),
      next.id, expected.state, expected.owner_id, expected.queue_id,
      expected.workbin_id);
  if (!res.ok()) {
    if (res.status().code() == Code::kInvalidArgument) return res.status();
    return codec::StorageError(Code::kStorageUpdate,
                               res.status().unavailable());
  }
  if (!res->empty()) return Status::Ok();
  WB_ASSIGN_OR_RETURN(auto current, GetInteraction(next.id));
  if (!current) return NotFound("Interaction " + next.id + " does not exist");
  return InUse("Interaction " + next.id + " was changed by another request");
}

Result<int64_t> PgTx::AppendInteractionHistory(const HistoryEventRecord& r) {
  auto res = Run(
      Code::kStorageCreate,
      "INSERT INTO interaction_history (interaction_id, seq, at_ms, event, "
      "user_id, user_name, reference_id, state, owner_id, from_queue, "
      "to_queue, from_workbin_id, to_workbin_id, details) VALUES ($1, "
      "(SELECT coalesce(max(seq), 0) + 1 FROM interaction_history WHERE "
      "interaction_id = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
      "$13) RETURNING seq",
      r.interaction_id, r.at_ms, r.event, codec::NonEmpty(r.user_id),
      codec::NonEmpty(r.user_name), r.reference_id, r.state,
      codec::NonEmpty(r.owner_id), codec::NonEmpty(r.from_queue),
      codec::NonEmpty(r.to_queue), codec::NonEmpty(r.from_workbin_id),
      codec::NonEmpty(r.to_workbin_id), codec::NonEmpty(r.details));
  if (!res.ok()) {
    if (res.status().code() == Code::kInvalidArgument) return res.status();
    return codec::StorageError(Code::kStorageCreate,
                               res.status().unavailable());
  }
  if (res->empty()) return codec::StorageError(Code::kStorageCreate, false);
  return Int((*res)[0], 0);
}

Status PgTx::PutCooldown(const CooldownRecord& r) {
  return Exec(Code::kStorageUpdate,
              "INSERT INTO routing_cooldowns (contact_center_id, "
              "interaction_id, user_id, until_ms) VALUES ($1, $2, $3, $4) "
              "ON CONFLICT (interaction_id, user_id) DO UPDATE SET until_ms = "
              "EXCLUDED.until_ms",
              r.contact_center_id, r.interaction_id, r.user_id, r.until_ms);
}

Status PgTx::DeleteEndedCooldowns(const std::string& cc, int64_t now_ms) {
  return Exec(Code::kStorageDelete,
              "DELETE FROM routing_cooldowns WHERE contact_center_id = $1 AND "
              "until_ms <= $2",
              cc, now_ms);
}

Status PgTx::PutContact(const ContactRecord& r) {
  WB_RETURN_IF_ERROR(KeyLock("contacts\n" + r.contact_center_id + "\n" + r.id));
  return Exec(Code::kStorageUpdate,
              "INSERT INTO contacts (contact_center_id, id, last_agent_id, "
              "last_agent_user_name, last_agent_at_ms, last_media_type) "
              "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (contact_center_id, "
              "id) DO UPDATE SET last_agent_id = EXCLUDED.last_agent_id, "
              "last_agent_user_name = EXCLUDED.last_agent_user_name, "
              "last_agent_at_ms = EXCLUDED.last_agent_at_ms, "
              "last_media_type = EXCLUDED.last_media_type",
              r.contact_center_id, r.id, r.last_agent_id,
              r.last_agent_user_name, r.last_agent_at_ms, r.last_media_type);
}

}  // namespace workbind::storage::postgres
