// SqliteTx: HTTP sessions, contact-center sessions (agent states) and
// referenceId counters (migrations/0001_directory.sql, 0002).
#include "storage/codec/record_codec.h"
#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {
namespace {

SessionRecord ReadSession(const Stmt& s) {
  SessionRecord r;
  r.id = s.Text(0);
  r.csrf_token = s.Text(1);
  r.user_id = s.Text(2);
  r.system_admin = s.Int(3) != 0;
  r.created_ms = s.Int(4);
  r.last_activity_ms = s.Int(5);
  return r;
}

#define WB_SESSION_COLUMNS                                     \
  "SELECT id, csrf_token, user_id, system_admin, created_ms, " \
  "last_activity_ms FROM http_sessions "

AgentStateRecord ReadAgentState(const Stmt& s) {
  AgentStateRecord r;
  r.user_id = s.Text(0);
  r.contact_center_id = s.Text(1);
  r.place_id = s.OptText(2);
  r.channels = codec::DecodeChannels(s.Text(3));
  return r;
}

}  // namespace

Result<std::optional<AgentStateRecord>> SqliteTx::GetAgentState(
    const std::string& user_id) {
  return agent_states_.Get(user_id, [&] { return LoadAgentState(user_id); });
}

Result<std::optional<AgentStateRecord>> SqliteTx::LoadAgentState(
    const std::string& user_id) {
  auto s = c_->Prepare(
      "SELECT user_id, contact_center_id, place_id, channels FROM agent_states "
      "WHERE user_id = ?");
  s.Bind(1, user_id);
  if (s.Step()) return std::optional<AgentStateRecord>(ReadAgentState(s));
  if (!s.status().ok()) return s.status();
  return std::optional<AgentStateRecord>();
}

Result<std::optional<std::string>> SqliteTx::FindPlaceUser(
    const std::string& place_id) {
  auto s = c_->Prepare("SELECT user_id FROM agent_states WHERE place_id = ?");
  s.Bind(1, place_id);
  if (s.Step()) return std::optional<std::string>(s.Text(0));
  if (!s.status().ok()) return s.status();
  return std::optional<std::string>();
}

Result<std::vector<AgentStateRecord>> SqliteTx::ListAgentStates(
    const std::string& cc) {
  auto s = c_->Prepare(
      "SELECT user_id, contact_center_id, place_id, channels FROM agent_states "
      "WHERE contact_center_id = ? ORDER BY user_id");
  s.Bind(1, cc);
  std::vector<AgentStateRecord> out;
  while (s.Step()) out.push_back(ReadAgentState(s));
  if (!s.status().ok()) return s.status();
  return out;
}

Status SqliteTx::PutAgentState(const AgentStateRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO agent_states (user_id, contact_center_id, place_id, "
      "channels) "
      "VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
      "contact_center_id = excluded.contact_center_id, place_id = "
      "excluded.place_id, "
      "channels = excluded.channels");
  s.Bind(1, r.user_id).Bind(2, r.contact_center_id).Bind(3, r.place_id);
  s.Bind(4, codec::EncodeChannels(r.channels));
  Status st = s.Exec(Code::kStorageUpdate);
  agent_states_.Wrote(r, st.ok());
  if (st.code() == Code::kAlreadyExists) return InUse("Place already in use");
  return st;
}

Status SqliteTx::DeleteAgentState(const std::string& user_id) {
  agent_states_.Forget(user_id);
  return DeleteById("DELETE FROM agent_states WHERE user_id = ?", user_id);
}

Result<std::optional<SessionRecord>> SqliteTx::GetSession(
    const std::string& id) {
  auto s = c_->Prepare(WB_SESSION_COLUMNS "WHERE id = ?");
  s.Bind(1, id);
  if (s.Step()) return std::optional<SessionRecord>(ReadSession(s));
  if (!s.status().ok()) return s.status();
  return std::optional<SessionRecord>();
}

Result<std::vector<SessionRecord>> SqliteTx::ListSessionsOfUser(
    const std::string& user_id) {
  auto s = c_->Prepare(WB_SESSION_COLUMNS
                       "WHERE user_id = ? ORDER BY last_activity_ms, id");
  s.Bind(1, user_id);
  std::vector<SessionRecord> out;
  while (s.Step()) out.push_back(ReadSession(s));
  if (!s.status().ok()) return s.status();
  return out;
}

Status SqliteTx::PutSession(const SessionRecord& r) {
  auto s = c_->Prepare(
      "INSERT OR REPLACE INTO http_sessions (id, csrf_token, user_id, "
      "system_admin, created_ms, "
      "last_activity_ms) VALUES (?, ?, ?, ?, ?, ?)");
  s.Bind(1, r.id)
      .Bind(2, r.csrf_token)
      .Bind(3, r.user_id)
      .Bind(4, r.system_admin);
  s.Bind(5, r.created_ms).Bind(6, r.last_activity_ms);
  return s.Exec(Code::kStorageCreate);
}

Status SqliteTx::TouchSession(const std::string& id, int64_t last_activity_ms) {
  auto s = c_->Prepare(
      "UPDATE http_sessions SET last_activity_ms = max(last_activity_ms, ?) "
      "WHERE id = ?");
  s.Bind(1, last_activity_ms).Bind(2, id);
  return s.Exec(Code::kStorageUpdate);
}

Status SqliteTx::DeleteSession(const std::string& id) {
  return DeleteById("DELETE FROM http_sessions WHERE id = ?", id);
}

Result<std::vector<std::string>> SqliteTx::DeleteSessionsOfUser(
    const std::string& user_id) {
  std::vector<std::string> ids;
  {
    auto s = c_->Prepare("SELECT id FROM http_sessions WHERE user_id = ?");
    s.Bind(1, user_id);
    while (s.Step()) ids.push_back(s.Text(0));
    if (!s.status().ok()) return s.status();
  }
  WB_RETURN_IF_ERROR(
      DeleteById("DELETE FROM http_sessions WHERE user_id = ?", user_id));
  return ids;
}

Result<std::vector<SessionRecord>> SqliteTx::DeleteSessionsIdleSince(
    int64_t cutoff_ms) {
  std::vector<SessionRecord> ids;
  {
    auto s = c_->Prepare(WB_SESSION_COLUMNS "WHERE last_activity_ms < ?");
    s.Bind(1, cutoff_ms);
    while (s.Step()) ids.push_back(ReadSession(s));
    if (!s.status().ok()) return s.status();
  }
  auto s = c_->Prepare("DELETE FROM http_sessions WHERE last_activity_ms < ?");
  s.Bind(1, cutoff_ms);
  WB_RETURN_IF_ERROR(s.Exec(Code::kStorageDelete));
  return ids;
}

Result<int64_t> SqliteTx::NextReferenceId(const std::string& user_id) {
  auto s = c_->Prepare(
      "UPDATE users SET next_reference_id = next_reference_id + 1 WHERE id = ? "
      "RETURNING next_reference_id - 1");
  s.Bind(1, user_id);
  if (s.Step()) {
    int64_t v = s.Int(0);
    while (s.Step()) {
    }
    return v;
  }
  if (!s.status().ok()) return s.status();
  return NotFound("No such user");
}

}  // namespace workbind::storage::sqlite
