// PgTx: the directory (contact centers, users, admins, places, groups,
// queues, workbin definitions and instances), HTTP sessions, agent states
// and referenceId counters (migrations/0001 and 0002).
#include "storage/postgres/pg_tx.h"

#include "storage/postgres/pg_codec.h"
#include "storage/postgres/pg_events.h"

namespace workbind::storage::postgres {
namespace {

ContactCenterRecord ReadCc(const pqxx::row& row) {
  ContactCenterRecord r;
  r.id = Text(row, 0);
  r.name = Text(row, 1);
  r.display_name = Text(row, 2);
  r.features = DecodeList(Text(row, 3));
  r.media_types = DecodeList(Text(row, 4));
  DecodeRouting(Text(row, 5), &r);
  return r;
}

#define WB_CC_COLUMNS                                                   \
  "SELECT id, name, display_name, features, media_types, routing FROM " \
  "contact_centers "

UserRecord ReadUser(const pqxx::row& row) {
  UserRecord r;
  r.id = Text(row, 0);
  r.contact_center_id = Text(row, 1);
  r.user_name = Text(row, 2);
  r.password_hash = Text(row, 3);
  r.first_name = Text(row, 4);
  r.last_name = Text(row, 5);
  r.email_address = OptText(row, 6);
  r.roles = DecodeList(Text(row, 7));
  r.enabled = !row[8].is_null() && row[8].as<bool>();
  r.default_place_id = OptText(row, 9);
  if (auto cap = OptText(row, 10)) r.capacity = DecodeIntMap(*cap);
  return r;
}

#define WB_USER_COLUMNS                                                   \
  "SELECT id, contact_center_id, user_name, password_hash, first_name, "  \
  "last_name, email_address, roles, enabled, default_place_id, capacity " \
  "FROM users "

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
  r.channels = DecodeChannels(Text(row, 3));
  return r;
}

// Whether `s` is valid UTF-8 without NUL bytes.
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

std::string Text(const pqxx::row& row, int col) {
  const pqxx::field f = row[col];
  if (f.is_null()) return {};
  return std::string(f.c_str(), f.size());
}

std::optional<std::string> OptText(const pqxx::row& row, int col) {
  const pqxx::field f = row[col];
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str(), f.size());
}

int64_t Int(const pqxx::row& row, int col) {
  const pqxx::field f = row[col];
  if (f.is_null()) return 0;
  return f.as<int64_t>();
}

std::optional<std::string> NonEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

bool PgTx::Storable(std::string_view s) { return ValidUtf8(s); }

Result<pqxx::result> PgTx::Unstorable(Code code) const {
  if (code == Code::kStorageRead) return pqxx::result();
  return InvalidArgument("Text is not valid UTF-8");
}

Status PgTx::Failed(const std::exception& e, Code code, bool contained) {
  DriverError d = Classify(e, code);
  retry_ = retry_ || d.retry;
  broken_ = broken_ || d.broken;
  // A serialization failure or a lost connection spoils the transaction
  // even inside a savepoint.
  if ((!contained || d.retry || d.broken) && failure_.ok()) failure_ = d.status;
  return d.status;
}

Result<std::optional<AgentStateRecord>> PgTx::GetAgentState(
    const std::string& user_id) {
  auto known = agent_states_.find(user_id);
  if (known != agent_states_.end()) return known->second;
  WB_ASSIGN_OR_RETURN(auto state, LoadAgentState(user_id));
  agent_states_.emplace(user_id, state);
  return state;
}

Result<std::optional<AgentStateRecord>> PgTx::LoadAgentState(
    const std::string& user_id) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT user_id, contact_center_id, place_id, channels FROM "
                  "agent_states WHERE user_id = $1",
                  user_id));
  if (r.empty()) return std::optional<AgentStateRecord>();
  return std::optional<AgentStateRecord>(ReadAgentState(r[0]));
}

Result<std::optional<std::string>> PgTx::FindPlaceUser(
    const std::string& place_id) {
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageRead,
          "SELECT user_id FROM agent_states WHERE place_id = $1", place_id));
  if (r.empty()) return std::optional<std::string>();
  return std::optional<std::string>(Text(r[0], 0));
}

Result<std::vector<AgentStateRecord>> PgTx::ListAgentStates(
    const std::string& cc) {
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
  Status st = ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO agent_states (user_id, contact_center_id, place_id, "
      "channels) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET "
      "contact_center_id = EXCLUDED.contact_center_id, place_id = "
      "EXCLUDED.place_id, channels = EXCLUDED.channels",
      r.user_id, r.contact_center_id, r.place_id, EncodeChannels(r.channels));
  agent_states_.erase(r.user_id);
  if (st.ok()) agent_states_.emplace(r.user_id, r);
  if (st.code() == Code::kAlreadyExists) return InUse("Place already in use");
  return st;
}

Status PgTx::DeleteAgentState(const std::string& user_id) {
  agent_states_.erase(user_id);
  return DeleteById("DELETE FROM agent_states WHERE user_id = $1", user_id);
}

Result<std::vector<ContactCenterRecord>> PgTx::ListContactCenters() {
  WB_ASSIGN_OR_RETURN(auto r,
                      Run(Code::kStorageRead, WB_CC_COLUMNS "ORDER BY name"));
  std::vector<ContactCenterRecord> out;
  for (const auto& row : r) out.push_back(ReadCc(row));
  return out;
}

Result<std::optional<ContactCenterRecord>> PgTx::GetContactCenter(
    const std::string& id) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead, WB_CC_COLUMNS "WHERE id = $1", id));
  if (r.empty()) return std::optional<ContactCenterRecord>();
  return std::optional<ContactCenterRecord>(ReadCc(r[0]));
}

Result<std::optional<ContactCenterRecord>> PgTx::FindContactCenterByName(
    const std::string& name) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead, WB_CC_COLUMNS "WHERE name = $1", name));
  if (r.empty()) return std::optional<ContactCenterRecord>();
  return std::optional<ContactCenterRecord>(ReadCc(r[0]));
}

Result<DirectoryData> PgTx::LoadDirectory(const std::string& cc) {
  DirectoryData d;
  WB_ASSIGN_OR_RETURN(auto center, GetContactCenter(cc));
  if (!center) return NotFound("No such contact center");
  d.contact_center = std::move(*center);
  {
    WB_ASSIGN_OR_RETURN(
        auto r,
        Run(Code::kStorageRead,
            WB_USER_COLUMNS "WHERE contact_center_id = $1 ORDER BY user_name",
            cc));
    for (const auto& row : r) d.users.push_back(ReadUser(row));
  }
  {
    WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                    "SELECT id, name FROM places WHERE "
                                    "contact_center_id = $1 ORDER BY name",
                                    cc));
    for (const auto& row : r)
      d.places.push_back({Text(row, 0), cc, Text(row, 1)});
  }
  {
    WB_ASSIGN_OR_RETURN(
        auto r, Run(Code::kStorageRead,
                    "SELECT id, name, place_ids FROM place_groups WHERE "
                    "contact_center_id = $1 ORDER BY name",
                    cc));
    for (const auto& row : r)
      d.place_groups.push_back(
          {Text(row, 0), cc, Text(row, 1), DecodeList(Text(row, 2))});
  }
  {
    WB_ASSIGN_OR_RETURN(
        auto r,
        Run(Code::kStorageRead,
            "SELECT id, name, agent_ids, supervisor_ids FROM agent_groups "
            "WHERE contact_center_id = $1 ORDER BY name",
            cc));
    for (const auto& row : r)
      d.agent_groups.push_back({Text(row, 0), cc, Text(row, 1),
                                DecodeList(Text(row, 2)),
                                DecodeList(Text(row, 3))});
  }
  {
    WB_ASSIGN_OR_RETURN(
        auto r, Run(Code::kStorageRead,
                    "SELECT id, name, description, agent_group_id FROM queues "
                    "WHERE contact_center_id = $1 ORDER BY name",
                    cc));
    for (const auto& row : r)
      d.queues.push_back(
          {Text(row, 0), cc, Text(row, 1), Text(row, 2), Text(row, 3)});
  }
  {
    WB_ASSIGN_OR_RETURN(
        auto r, Run(Code::kStorageRead,
                    "SELECT id, name, display_name, type, owners FROM "
                    "workbin_definitions WHERE contact_center_id = $1 ORDER "
                    "BY name",
                    cc));
    for (const auto& row : r) {
      WorkbinDefinitionRecord w{Text(row, 0), cc,           Text(row, 1),
                                Text(row, 2), Text(row, 3), std::nullopt};
      if (auto o = OptText(row, 4)) w.owners = DecodeList(*o);
      d.workbin_definitions.push_back(std::move(w));
    }
  }
  {
    WB_ASSIGN_OR_RETURN(
        auto r, Run(Code::kStorageRead,
                    "SELECT id, definition_id, owner_type, owner_id FROM "
                    "workbins WHERE contact_center_id = $1 ORDER BY id",
                    cc));
    for (const auto& row : r)
      d.workbins.push_back(
          {Text(row, 0), cc, Text(row, 1), Text(row, 2), Text(row, 3)});
  }
  return d;
}

Result<int64_t> PgTx::DirectoryVersion(const std::string& cc) {
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageRead,
          "SELECT directory_version FROM contact_centers WHERE id = $1", cc));
  if (r.empty()) return NotFound("No such contact center");
  return Int(r[0], 0);
}

Result<std::optional<UserRecord>> PgTx::GetUser(const std::string& id) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead, WB_USER_COLUMNS "WHERE id = $1", id));
  if (r.empty()) return std::optional<UserRecord>();
  return std::optional<UserRecord>(ReadUser(r[0]));
}

Result<std::optional<UserRecord>> PgTx::FindUserByName(
    const std::string& user_name) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead, WB_USER_COLUMNS "WHERE user_name = $1",
                  user_name));
  if (r.empty()) return std::optional<UserRecord>();
  return std::optional<UserRecord>(ReadUser(r[0]));
}

Result<std::vector<SystemAdminRecord>> PgTx::ListSystemAdmins() {
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT id, user_name, password_hash FROM "
                                  "system_admins ORDER BY user_name"));
  std::vector<SystemAdminRecord> out;
  for (const auto& row : r)
    out.push_back({Text(row, 0), Text(row, 1), Text(row, 2)});
  return out;
}

Result<std::optional<SystemAdminRecord>> PgTx::FindSystemAdminByName(
    const std::string& user_name) {
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT id, user_name, password_hash FROM "
                                  "system_admins WHERE user_name = $1",
                                  user_name));
  if (r.empty()) return std::optional<SystemAdminRecord>();
  return std::optional<SystemAdminRecord>(
      {Text(r[0], 0), Text(r[0], 1), Text(r[0], 2)});
}

Result<std::optional<SessionRecord>> PgTx::GetSession(const std::string& id) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead, WB_SESSION_COLUMNS "WHERE id = $1", id));
  if (r.empty()) return std::optional<SessionRecord>();
  return std::optional<SessionRecord>(ReadSession(r[0]));
}

Result<std::vector<SessionRecord>> PgTx::ListSessionsOfUser(
    const std::string& user_id) {
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageRead,
          WB_SESSION_COLUMNS "WHERE user_id = $1 ORDER BY last_activity_ms, id",
          user_id));
  std::vector<SessionRecord> out;
  for (const auto& row : r) out.push_back(ReadSession(row));
  return out;
}

Status PgTx::PutContactCenter(const ContactCenterRecord& r) {
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO contact_centers (id, name, display_name, features, "
      "media_types, routing) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
      "display_name = EXCLUDED.display_name, features = EXCLUDED.features, "
      "media_types = EXCLUDED.media_types, routing = EXCLUDED.routing, "
      "directory_version = contact_centers.directory_version + 1",
      r.id, r.name, r.display_name, EncodeList(r.features),
      EncodeList(r.media_types), EncodeRouting(r));
}

Status PgTx::PutUser(const UserRecord& r) {
  {
    WB_ASSIGN_OR_RETURN(
        auto taken,
        Run(Code::kStorageRead,
            "SELECT 1 FROM system_admins WHERE user_name = $1", r.user_name));
    if (!taken.empty()) return AlreadyExists("userName already taken");
  }
  std::optional<std::string> capacity;
  if (r.capacity) capacity = EncodeIntMap(*r.capacity);
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO users (id, contact_center_id, user_name, password_hash, "
      "first_name, last_name, email_address, roles, enabled, "
      "default_place_id, capacity) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
      "ON CONFLICT (id) DO UPDATE SET "
      "contact_center_id = EXCLUDED.contact_center_id, "
      "user_name = EXCLUDED.user_name, "
      "password_hash = EXCLUDED.password_hash, "
      "first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, "
      "email_address = EXCLUDED.email_address, roles = EXCLUDED.roles, "
      "enabled = EXCLUDED.enabled, "
      "default_place_id = EXCLUDED.default_place_id, "
      "capacity = EXCLUDED.capacity",
      r.id, r.contact_center_id, r.user_name, r.password_hash, r.first_name,
      r.last_name, r.email_address, EncodeList(r.roles), r.enabled,
      r.default_place_id, capacity);
}

Status PgTx::PutSystemAdmin(const SystemAdminRecord& r) {
  {
    WB_ASSIGN_OR_RETURN(
        auto taken,
        Run(Code::kStorageRead, "SELECT 1 FROM users WHERE user_name = $1",
            r.user_name));
    if (!taken.empty()) return AlreadyExists("userName already taken");
  }
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO system_admins (id, user_name, password_hash) VALUES ($1, "
      "$2, $3) ON CONFLICT (id) DO UPDATE SET user_name = EXCLUDED.user_name, "
      "password_hash = EXCLUDED.password_hash",
      r.id, r.user_name, r.password_hash);
}

Status PgTx::PutPlace(const PlaceRecord& r) {
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO places (id, contact_center_id, name) VALUES ($1, $2, $3) "
      "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name",
      r.id, r.contact_center_id, r.name);
}

Status PgTx::PutPlaceGroup(const PlaceGroupRecord& r) {
  return ExecGuarded(
      Code::kStorageAssign,
      "INSERT INTO place_groups (id, contact_center_id, name, place_ids) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = "
      "EXCLUDED.name, place_ids = EXCLUDED.place_ids",
      r.id, r.contact_center_id, r.name, EncodeList(r.place_ids));
}

Status PgTx::PutAgentGroup(const AgentGroupRecord& r) {
  return ExecGuarded(
      Code::kStorageAssign,
      "INSERT INTO agent_groups (id, contact_center_id, name, agent_ids, "
      "supervisor_ids) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO "
      "UPDATE SET name = EXCLUDED.name, agent_ids = EXCLUDED.agent_ids, "
      "supervisor_ids = EXCLUDED.supervisor_ids",
      r.id, r.contact_center_id, r.name, EncodeList(r.agent_ids),
      EncodeList(r.supervisor_ids));
}

Status PgTx::PutQueue(const QueueRecord& r) {
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO queues (id, contact_center_id, name, description, "
      "agent_group_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO "
      "UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, "
      "agent_group_id = EXCLUDED.agent_group_id",
      r.id, r.contact_center_id, r.name, r.description, r.agent_group_id);
}

Status PgTx::PutWorkbinDefinition(const WorkbinDefinitionRecord& r) {
  std::optional<std::string> owners;
  if (r.owners) owners = EncodeList(*r.owners);
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO workbin_definitions (id, contact_center_id, name, "
      "display_name, type, owners) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
      "display_name = EXCLUDED.display_name, type = EXCLUDED.type, "
      "owners = EXCLUDED.owners",
      r.id, r.contact_center_id, r.name, r.display_name, r.type, owners);
}

Status PgTx::PutWorkbin(const WorkbinRecord& r) {
  return ExecGuarded(
      Code::kStorageCreate,
      "INSERT INTO workbins (id, contact_center_id, definition_id, "
      "owner_type, owner_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO "
      "UPDATE SET definition_id = EXCLUDED.definition_id, "
      "owner_type = EXCLUDED.owner_type, owner_id = EXCLUDED.owner_id",
      r.id, r.contact_center_id, r.definition_id, r.owner_type, r.owner_id);
}

Status PgTx::DeleteById(const char* sql, const std::string& id) {
  return Exec(Code::kStorageDelete, sql, id);
}

Status PgTx::DeleteContactCenter(const std::string& id) {
  // Sessions are not tied to the contact center by a foreign key.
  WB_RETURN_IF_ERROR(
      DeleteById("DELETE FROM http_sessions WHERE user_id IN "
                 "(SELECT id FROM users WHERE contact_center_id = $1)",
                 id));
  return DeleteById("DELETE FROM contact_centers WHERE id = $1", id);
}
Status PgTx::DeleteUser(const std::string& id) {
  return DeleteById("DELETE FROM users WHERE id = $1", id);
}
Status PgTx::DeleteSystemAdmin(const std::string& id) {
  return DeleteById("DELETE FROM system_admins WHERE id = $1", id);
}
Status PgTx::DeletePlace(const std::string& id) {
  return DeleteById("DELETE FROM places WHERE id = $1", id);
}
Status PgTx::DeletePlaceGroup(const std::string& id) {
  return DeleteById("DELETE FROM place_groups WHERE id = $1", id);
}
Status PgTx::DeleteAgentGroup(const std::string& id) {
  return DeleteById("DELETE FROM agent_groups WHERE id = $1", id);
}
Status PgTx::DeleteQueue(const std::string& id) {
  return DeleteById("DELETE FROM queues WHERE id = $1", id);
}
Status PgTx::DeleteWorkbinDefinition(const std::string& id) {
  return DeleteById("DELETE FROM workbin_definitions WHERE id = $1", id);
}
Status PgTx::DeleteWorkbin(const std::string& id) {
  return DeleteById("DELETE FROM workbins WHERE id = $1", id);
}

Status PgTx::BumpDirectoryVersion(const std::string& cc) {
  return Exec(Code::kStorageUpdate,
              "UPDATE contact_centers SET directory_version = "
              "directory_version + 1 WHERE id = $1",
              cc);
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
  return Exec(Code::kStorageDelete, "SELECT pg_notify($1, $2)",
              std::string(kEventChannel), SessionEndedEventPayload(id));
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
