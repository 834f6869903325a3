// PgTx: the directory: contact centers, users, system admins, places,
// groups, queues, workbin definitions and instances
// (migrations/0001_directory.sql).
#include "storage/codec/record_codec.h"
#include "storage/postgres/pg_tx.h"

namespace workbind::storage::postgres {
namespace {

ContactCenterRecord ReadCc(const pqxx::row& row) {
  ContactCenterRecord r;
  r.id = Text(row, 0);
  r.name = Text(row, 1);
  r.display_name = Text(row, 2);
  r.features = codec::DecodeList(Text(row, 3));
  r.media_types = codec::DecodeList(Text(row, 4));
  codec::DecodeRouting(Text(row, 5), &r);
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
  r.roles = codec::DecodeList(Text(row, 7));
  r.enabled = !row[8].is_null() && row[8].as<bool>();
  r.default_place_id = OptText(row, 9);
  if (auto cap = OptText(row, 10))
    r.capacity =
        codec::DecodeIntMap(*cap).value_or(std::map<std::string, int>());
  return r;
}

#define WB_USER_COLUMNS                                                   \
  "SELECT id, contact_center_id, user_name, password_hash, first_name, "  \
  "last_name, email_address, roles, enabled, default_place_id, capacity " \
  "FROM users "

}  // namespace

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
          {Text(row, 0), cc, Text(row, 1), codec::DecodeList(Text(row, 2))});
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
                                codec::DecodeList(Text(row, 2)),
                                codec::DecodeList(Text(row, 3))});
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
      if (auto o = OptText(row, 4)) w.owners = codec::DecodeList(*o);
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

Status PgTx::PutContactCenter(const ContactCenterRecord& r) {
  WB_RETURN_IF_ERROR(Escalate());
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO contact_centers (id, name, display_name, features, "
      "media_types, routing) VALUES ($1, $2, $3, $4, $5, $6) "
      "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
      "display_name = EXCLUDED.display_name, features = EXCLUDED.features, "
      "media_types = EXCLUDED.media_types, routing = EXCLUDED.routing, "
      "directory_version = contact_centers.directory_version + 1",
      r.id, r.name, r.display_name, codec::EncodeList(r.features),
      codec::EncodeList(r.media_types), codec::EncodeRouting(r));
}

Status PgTx::PutUser(const UserRecord& r) {
  WB_RETURN_IF_ERROR(Escalate());
  {
    WB_ASSIGN_OR_RETURN(
        auto taken,
        Run(Code::kStorageRead,
            "SELECT 1 FROM system_admins WHERE user_name = $1", r.user_name));
    if (!taken.empty()) return AlreadyExists("userName already taken");
  }
  std::optional<std::string> capacity;
  if (r.capacity) capacity = codec::EncodeIntMap(*r.capacity);
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
      r.last_name, r.email_address, codec::EncodeList(r.roles), r.enabled,
      r.default_place_id, capacity);
}

Status PgTx::PutSystemAdmin(const SystemAdminRecord& r) {
  WB_RETURN_IF_ERROR(Escalate());
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
  WB_RETURN_IF_ERROR(Escalate());
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO places (id, contact_center_id, name) VALUES ($1, $2, $3) "
      "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name",
      r.id, r.contact_center_id, r.name);
}

Status PgTx::PutPlaceGroup(const PlaceGroupRecord& r) {
  WB_RETURN_IF_ERROR(Escalate());
  return ExecGuarded(
      Code::kStorageAssign,
      "INSERT INTO place_groups (id, contact_center_id, name, place_ids) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = "
      "EXCLUDED.name, place_ids = EXCLUDED.place_ids",
      r.id, r.contact_center_id, r.name, codec::EncodeList(r.place_ids));
}

Status PgTx::PutAgentGroup(const AgentGroupRecord& r) {
  WB_RETURN_IF_ERROR(Escalate());
  return ExecGuarded(
      Code::kStorageAssign,
      "INSERT INTO agent_groups (id, contact_center_id, name, agent_ids, "
      "supervisor_ids) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO "
      "UPDATE SET name = EXCLUDED.name, agent_ids = EXCLUDED.agent_ids, "
      "supervisor_ids = EXCLUDED.supervisor_ids",
      r.id, r.contact_center_id, r.name, codec::EncodeList(r.agent_ids),
      codec::EncodeList(r.supervisor_ids));
}

Status PgTx::PutQueue(const QueueRecord& r) {
  WB_RETURN_IF_ERROR(Escalate());
  return ExecGuarded(
      Code::kStorageUpdate,
      "INSERT INTO queues (id, contact_center_id, name, description, "
      "agent_group_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO "
      "UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, "
      "agent_group_id = EXCLUDED.agent_group_id",
      r.id, r.contact_center_id, r.name, r.description, r.agent_group_id);
}

Status PgTx::PutWorkbinDefinition(const WorkbinDefinitionRecord& r) {
  WB_RETURN_IF_ERROR(Escalate());
  std::optional<std::string> owners;
  if (r.owners) owners = codec::EncodeList(*r.owners);
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
  WB_RETURN_IF_ERROR(Escalate());
  return ExecGuarded(
      Code::kStorageCreate,
      "INSERT INTO workbins (id, contact_center_id, definition_id, "
      "owner_type, owner_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO "
      "UPDATE SET definition_id = EXCLUDED.definition_id, "
      "owner_type = EXCLUDED.owner_type, owner_id = EXCLUDED.owner_id",
      r.id, r.contact_center_id, r.definition_id, r.owner_type, r.owner_id);
}

Status PgTx::DeleteContactCenter(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  // Sessions are not tied to the contact center by a foreign key.
  WB_RETURN_IF_ERROR(
      DeleteById("DELETE FROM http_sessions WHERE user_id IN "
                 "(SELECT id FROM users WHERE contact_center_id = $1)",
                 id));
  return DeleteById("DELETE FROM contact_centers WHERE id = $1", id);
}
Status PgTx::DeleteUser(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  return DeleteById("DELETE FROM users WHERE id = $1", id);
}
Status PgTx::DeleteSystemAdmin(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  return DeleteById("DELETE FROM system_admins WHERE id = $1", id);
}
Status PgTx::DeletePlace(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  return DeleteById("DELETE FROM places WHERE id = $1", id);
}
Status PgTx::DeletePlaceGroup(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  return DeleteById("DELETE FROM place_groups WHERE id = $1", id);
}
Status PgTx::DeleteAgentGroup(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  return DeleteById("DELETE FROM agent_groups WHERE id = $1", id);
}
Status PgTx::DeleteQueue(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  return DeleteById("DELETE FROM queues WHERE id = $1", id);
}
Status PgTx::DeleteWorkbinDefinition(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  return DeleteById("DELETE FROM workbin_definitions WHERE id = $1", id);
}
Status PgTx::DeleteWorkbin(const std::string& id) {
  WB_RETURN_IF_ERROR(Escalate());
  return DeleteById("DELETE FROM workbins WHERE id = $1", id);
}

Status PgTx::BumpDirectoryVersion(const std::string& cc) {
  WB_RETURN_IF_ERROR(Escalate());
  return Exec(Code::kStorageUpdate,
              "UPDATE contact_centers SET directory_version = "
              "directory_version + 1 WHERE id = $1",
              cc);
}

}  // namespace workbind::storage::postgres
