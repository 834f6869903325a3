// PgTx: HTTP sessions, contact-center sessions (agent states) and
// referenceId counters (migrations/0001_directory.sql, 0002).
#include "storage/codec/record_codec.h"
#include "storage/postgres/pg_tx.h"

namespace workbind::storage::postgres {
namespace {

SessionRecord ReadSession(const pqxx::row& row) {
  SessionRecord r;
  r.id = Text(row, 0);
  r.csrf_token = Text(row, 1);
  r.user_id = Text(row, 2);
  r.system_admin = !row[3].is_null() && row[3].as<bool>();
  r.created_ms = Int(row, 4);
  r.last_activity_ms = Int(row, 5);
  return r;
}

#define WB_SESSION_COLUMNS                                     \
  "SELECT id, csrf_token, user_id, system_admin, created_ms, " \
  "last_activity_ms FROM http_sessions "

AgentStateRecord ReadAgentState(const pqxx::row& row) {
  AgentStateRecord r;
  r.user_id = Text(row, 0);
  r.contact_center_id = Text(row, 1);
  r.place_id = OptText(row, 2);
  r.channels = codec::DecodeChannels(Text(row, 3));
  return r;
}

}  // namespace

Result<std::optional<AgentStateRecord>> PgTx::GetAgentState(
    const std::string& user_id) {
  return agent_states_.Get(user_id, [&] { return LoadAgentState(user_id); });
}

Result<std::optional<AgentStateRecord>> PgTx::LoadAgentState(
    const std::string& user_id) {
  // Row-locking: a present row is locked until the commit; an absent one
  // is held absent by the key lock, which every writer of the row takes
  // (PutAgentState, DeleteAgentState), then read again after it.
  for (int pass = 0;; ++pass) {
    WB_ASSIGN_OR_RETURN(
        auto r,
        Run(Code::kStorageRead,
            Locking("SELECT user_id, contact_center_id, place_id, channels "
                    "FROM agent_states WHERE user_id = $1",
                    "SELECT user_id, contact_center_id, place_id, channels "
                    "FROM agent_states WHERE user_id = $1 FOR UPDATE"),
            user_id));
    if (!r.empty())
      return std::optional<AgentStateRecord>(ReadAgentState(r[0]));
    if (!row_locks_ || pass > 0) return std::optional<AgentStateRecord>();
    WB_RETURN_IF_ERROR(KeyLock("agent_states\n" + user_id));
  }
}

Result<std::optional<std::string>> PgTx::FindPlaceUser(
    const std::string& place_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageRead,
          "SELECT user_id FROM agent_states WHERE place_id = $1", place_id));
  if (r.empty()) return std::optional<std::string>();
  return std::optional<std::string>(Text(r[0], 0));
}

Result<std::vector<AgentStateRecord>> PgTx::ListAgentStates(
    const std::string& cc) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT user_id, contact_center_id, place_id, channels FROM "
                  "agent_states WHERE contact_center_id = $1 ORDER BY user_id",
                  cc));
  std::vector<AgentStateRecord> out;
  for (const auto& row : r) out.push_back(ReadAgentState(row));
  return out;
}

Status PgTx::PutAgentState(const AgentStateRecord& r) {
  WB_RETURN_IF_ERROR(KeyLock("agent_states\n" + r.user_id));
  Status st = ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO agent_states (user_id, contact_center_id, place_id, "
      "channels) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET "
      "contact_center_id = EXCLUDED.contact_center_id, place_id = "
      "EXCLUDED.place_id, channels = EXCLUDED.channels",
      r.user_id, r.contact_center_id, r.place_id,
      codec::EncodeChannels(r.channels));
  agent_states_.Wrote(r, st.ok());
  if (st.code() == Code::kAlreadyExists) return InUse("Place already in use");
  return st;
}

Status PgTx::DeleteAgentState(const std::string& user_id) {
  WB_RETURN_IF_ERROR(KeyLock("agent_states\n" + user_id));
  agent_states_.Forget(user_id);
  return DeleteById("DELETE FROM agent_states WHERE user_id = $1", user_id);
}

Result<std::optional<SessionRecord>> PgTx::GetSession(const std::string& id) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  Locking(WB_SESSION_COLUMNS "WHERE id = $1",
                          WB_SESSION_COLUMNS "WHERE id = $1 FOR UPDATE"),
                  id));
  if (r.empty()) return std::optional<SessionRecord>();
  return std::optional<SessionRecord>(ReadSession(r[0]));
}

Result<std::vector<SessionRecord>> PgTx::ListSessionsOfUser(
    const std::string& user_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageRead,
          WB_SESSION_COLUMNS "WHERE user_id = $1 ORDER BY last_activity_ms, id",
          user_id));
  std::vector<SessionRecord> out;
  for (const auto& row : r) out.push_back(ReadSession(row));
  return out;
}

Status PgTx::PutSession(const SessionRecord& r) {
  return ExecGuarded(
      Code::kStorageCreate,
      "INSERT INTO http_sessions (id, csrf_token, user_id, system_admin, "
      "created_ms, last_activity_ms) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (id) DO UPDATE SET csrf_token = EXCLUDED.csrf_token, "
      "user_id = EXCLUDED.user_id, system_admin = EXCLUDED.system_admin, "
      "created_ms = EXCLUDED.created_ms, "
      "last_activity_ms = EXCLUDED.last_activity_ms",
      r.id, r.csrf_token, r.user_id, r.system_admin, r.created_ms,
      r.last_activity_ms);
}

Status PgTx::TouchSession(const std::string& id, int64_t last_activity_ms) {
  return Exec(Code::kStorageUpdate,
              "UPDATE http_sessions SET last_activity_ms = "
              "GREATEST(last_activity_ms, $1) WHERE id = $2",
              last_activity_ms, id);
}

Status PgTx::AnnounceSessionEnded(const std::string& id) {
  ended_sessions_.push_back(id);  // sent by Announce, before the commit
  return Status::Ok();
}

Status PgTx::DeleteSession(const std::string& id) {
  WB_RETURN_IF_ERROR(DeleteById("DELETE FROM http_sessions WHERE id = $1", id));
  return AnnounceSessionEnded(id);
}

Result<std::vector<std::string>> PgTx::DeleteSessionsOfUser(
    const std::string& user_id) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageDelete,
                  "DELETE FROM http_sessions WHERE user_id = $1 RETURNING id",
                  user_id));
  std::vector<std::string> ids;
  for (const auto& row : r) {
    ids.push_back(Text(row, 0));
    WB_RETURN_IF_ERROR(AnnounceSessionEnded(ids.back()));
  }
  return ids;
}

Result<std::vector<SessionRecord>> PgTx::DeleteSessionsIdleSince(
    int64_t cutoff_ms) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageDelete,
                  "DELETE FROM http_sessions WHERE last_activity_ms < $1 "
                  "RETURNING id, csrf_token, user_id, system_admin, "
                  "created_ms, last_activity_ms",
                  cutoff_ms));
  std::vector<SessionRecord> out;
  for (const auto& row : r) {
    out.push_back(ReadSession(row));
    WB_RETURN_IF_ERROR(AnnounceSessionEnded(out.back().id));
  }
  return out;
}

Result<int64_t> PgTx::NextReferenceId(const std::string& user_id) {
  // The row lock this UPDATE takes orders concurrent callers, on any node:
  // each gets its own value and none is reused.
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageUpdate,
                  "UPDATE users SET next_reference_id = next_reference_id + 1 "
                  "WHERE id = $1 RETURNING next_reference_id - 1",
                  user_id));
  if (r.empty()) return NotFound("No such user");
  return Int(r[0], 0);
}

}  // namespace workbind::storage::postgres
