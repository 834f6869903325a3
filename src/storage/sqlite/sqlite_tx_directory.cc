// SqliteTx: the directory: contact centers, users, system admins, places,
// groups, queues, workbin definitions and instances
// (migrations/0001_directory.sql).
#include "storage/codec/record_codec.h"
#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {
namespace {

#define WB_CC_COLUMNS                                                   \
  "SELECT id, name, display_name, features, media_types, routing FROM " \
  "contact_centers "

ContactCenterRecord ReadCc(const Stmt& s) {
  ContactCenterRecord r;
  r.id = s.Text(0);
  r.name = s.Text(1);
  r.display_name = s.Text(2);
  r.features = codec::DecodeList(s.Text(3));
  r.media_types = codec::DecodeList(s.Text(4));
  codec::DecodeRouting(s.Text(5), &r);
  return r;
}

UserRecord ReadUser(const Stmt& s) {
  UserRecord r;
  r.id = s.Text(0);
  r.contact_center_id = s.Text(1);
  r.user_name = s.Text(2);
  r.password_hash = s.Text(3);
  r.first_name = s.Text(4);
  r.last_name = s.Text(5);
  r.email_address = s.OptText(6);
  r.roles = codec::DecodeList(s.Text(7));
  r.enabled = s.Int(8) != 0;
  r.default_place_id = s.OptText(9);
  if (auto cap = s.OptText(10)) r.capacity = codec::DecodeIntMap(*cap);
  return r;
}

#define WB_USER_COLUMNS                                                  \
  "SELECT id, contact_center_id, user_name, password_hash, first_name, " \
  "last_name, "                                                          \
  "email_address, roles, enabled, default_place_id, capacity FROM users "

}  // namespace

Result<std::vector<ContactCenterRecord>> SqliteTx::ListContactCenters() {
  auto s = c_->Prepare(WB_CC_COLUMNS "ORDER BY name");
  std::vector<ContactCenterRecord> out;
  while (s.Step()) out.push_back(ReadCc(s));
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::optional<ContactCenterRecord>> SqliteTx::GetContactCenter(
    const std::string& id) {
  auto s = c_->Prepare(WB_CC_COLUMNS "WHERE id = ?");
  s.Bind(1, id);
  if (s.Step()) return std::optional<ContactCenterRecord>(ReadCc(s));
  if (!s.status().ok()) return s.status();
  return std::optional<ContactCenterRecord>();
}

Result<std::optional<ContactCenterRecord>> SqliteTx::FindContactCenterByName(
    const std::string& name) {
  auto s = c_->Prepare(WB_CC_COLUMNS "WHERE name = ?");
  s.Bind(1, name);
  if (s.Step()) return std::optional<ContactCenterRecord>(ReadCc(s));
  if (!s.status().ok()) return s.status();
  return std::optional<ContactCenterRecord>();
}
Result<DirectoryData> SqliteTx::LoadDirectory(const std::string& cc) {
  DirectoryData d;
  WB_ASSIGN_OR_RETURN(auto center, GetContactCenter(cc));
  if (!center) return NotFound("No such contact center");
  d.contact_center = std::move(*center);
  {
    auto s = c_->Prepare(WB_USER_COLUMNS
                         "WHERE contact_center_id = ? ORDER BY user_name");
    s.Bind(1, cc);
    while (s.Step()) d.users.push_back(ReadUser(s));
    if (!s.status().ok()) return s.status();
  }
  {
    auto s = c_->Prepare(
        "SELECT id, name FROM places WHERE contact_center_id = ? ORDER BY "
        "name");
    s.Bind(1, cc);
    while (s.Step()) d.places.push_back({s.Text(0), cc, s.Text(1)});
    if (!s.status().ok()) return s.status();
  }
  {
    auto s = c_->Prepare(
        "SELECT id, name, place_ids FROM place_groups WHERE contact_center_id "
        "= ? ORDER BY name");
    s.Bind(1, cc);
    while (s.Step())
      d.place_groups.push_back(
          {s.Text(0), cc, s.Text(1), codec::DecodeList(s.Text(2))});
    if (!s.status().ok()) return s.status();
  }
  {
    auto s = c_->Prepare(
        "SELECT id, name, agent_ids, supervisor_ids FROM agent_groups WHERE "
        "contact_center_id = ? "
        "ORDER BY name");
    s.Bind(1, cc);
    while (s.Step())
      d.agent_groups.push_back({s.Text(0), cc, s.Text(1),
                                codec::DecodeList(s.Text(2)),
                                codec::DecodeList(s.Text(3))});
    if (!s.status().ok()) return s.status();
  }
  {
    auto s = c_->Prepare(
        "SELECT id, name, description, agent_group_id FROM queues WHERE "
        "contact_center_id = ? "
        "ORDER BY name");
    s.Bind(1, cc);
    while (s.Step())
      d.queues.push_back({s.Text(0), cc, s.Text(1), s.Text(2), s.Text(3)});
    if (!s.status().ok()) return s.status();
  }
  {
    auto s = c_->Prepare(
        "SELECT id, name, display_name, type, owners FROM workbin_definitions "
        "WHERE contact_center_id = ? ORDER BY name");
    s.Bind(1, cc);
    while (s.Step()) {
      WorkbinDefinitionRecord r{s.Text(0), cc,        s.Text(1),
                                s.Text(2), s.Text(3), std::nullopt};
      if (auto o = s.OptText(4)) r.owners = codec::DecodeList(*o);
      d.workbin_definitions.push_back(std::move(r));
    }
    if (!s.status().ok()) return s.status();
  }
  {
    auto s = c_->Prepare(
        "SELECT id, definition_id, owner_type, owner_id FROM workbins WHERE "
        "contact_center_id = ? "
        "ORDER BY id");
    s.Bind(1, cc);
    while (s.Step())
      d.workbins.push_back({s.Text(0), cc, s.Text(1), s.Text(2), s.Text(3)});
    if (!s.status().ok()) return s.status();
  }
  return d;
}

Result<int64_t> SqliteTx::DirectoryVersion(const std::string& cc) {
  auto s =
      c_->Prepare("SELECT directory_version FROM contact_centers WHERE id = ?");
  s.Bind(1, cc);
  if (s.Step()) return s.Int(0);
  if (!s.status().ok()) return s.status();
  return NotFound("No such contact center");
}

Result<std::optional<UserRecord>> SqliteTx::GetUser(const std::string& id) {
  auto s = c_->Prepare(WB_USER_COLUMNS "WHERE id = ?");
  s.Bind(1, id);
  if (s.Step()) return std::optional<UserRecord>(ReadUser(s));
  if (!s.status().ok()) return s.status();
  return std::optional<UserRecord>();
}

Result<std::optional<UserRecord>> SqliteTx::FindUserByName(
    const std::string& user_name) {
  auto s = c_->Prepare(WB_USER_COLUMNS "WHERE user_name = ?");
  s.Bind(1, user_name);
  if (s.Step()) return std::optional<UserRecord>(ReadUser(s));
  if (!s.status().ok()) return s.status();
  return std::optional<UserRecord>();
}

Result<std::vector<SystemAdminRecord>> SqliteTx::ListSystemAdmins() {
  auto s = c_->Prepare(
      "SELECT id, user_name, password_hash FROM system_admins ORDER BY "
      "user_name");
  std::vector<SystemAdminRecord> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2)});
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::optional<SystemAdminRecord>> SqliteTx::FindSystemAdminByName(
    const std::string& user_name) {
  auto s = c_->Prepare(
      "SELECT id, user_name, password_hash FROM system_admins WHERE user_name "
      "= ?");
  s.Bind(1, user_name);
  if (s.Step())
    return std::optional<SystemAdminRecord>({s.Text(0), s.Text(1), s.Text(2)});
  if (!s.status().ok()) return s.status();
  return std::optional<SystemAdminRecord>();
}

Status SqliteTx::PutContactCenter(const ContactCenterRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO contact_centers (id, name, display_name, features, "
      "media_types, routing) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = "
      "excluded.name, "
      "display_name = excluded.display_name, features = excluded.features, "
      "media_types = excluded.media_types, routing = excluded.routing, "
      "directory_version = directory_version + 1");
  s.Bind(1, r.id)
      .Bind(2, r.name)
      .Bind(3, r.display_name)
      .Bind(4, codec::EncodeList(r.features));
  s.Bind(5, codec::EncodeList(r.media_types)).Bind(6, codec::EncodeRouting(r));
  return s.Exec(Code::kStorageUpdate);
}

Status SqliteTx::PutUser(const UserRecord& r) {
  {
    auto s = c_->Prepare("SELECT 1 FROM system_admins WHERE user_name = ?");
    s.Bind(1, r.user_name);
    if (s.Step()) return AlreadyExists("userName already taken");
    if (!s.status().ok()) return s.status();
  }
  auto s = c_->Prepare(
      "INSERT INTO users (id, contact_center_id, user_name, password_hash, "
      "first_name, last_name, "
      "email_address, roles, enabled, default_place_id, capacity) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
      "contact_center_id = excluded.contact_center_id, user_name = "
      "excluded.user_name, "
      "password_hash = excluded.password_hash, first_name = "
      "excluded.first_name, "
      "last_name = excluded.last_name, email_address = excluded.email_address, "
      "roles = excluded.roles, enabled = excluded.enabled, "
      "default_place_id = excluded.default_place_id, capacity = "
      "excluded.capacity");
  s.Bind(1, r.id)
      .Bind(2, r.contact_center_id)
      .Bind(3, r.user_name)
      .Bind(4, r.password_hash);
  s.Bind(5, r.first_name).Bind(6, r.last_name).Bind(7, r.email_address);
  s.Bind(8, codec::EncodeList(r.roles))
      .Bind(9, r.enabled)
      .Bind(10, r.default_place_id);
  if (r.capacity)
    s.Bind(11, codec::EncodeIntMap(*r.capacity));
  else
    s.BindNull(11);
  return s.Exec(Code::kStorageUpdate);
}

Status SqliteTx::PutSystemAdmin(const SystemAdminRecord& r) {
  {
    auto s = c_->Prepare("SELECT 1 FROM users WHERE user_name = ?");
    s.Bind(1, r.user_name);
    if (s.Step()) return AlreadyExists("userName already taken");
    if (!s.status().ok()) return s.status();
  }
  auto s = c_->Prepare(
      "INSERT INTO system_admins (id, user_name, password_hash) VALUES (?, ?, "
      "?) "
      "ON CONFLICT(id) DO UPDATE SET user_name = excluded.user_name, "
      "password_hash = excluded.password_hash");
  s.Bind(1, r.id).Bind(2, r.user_name).Bind(3, r.password_hash);
  return s.Exec(Code::kStorageUpdate);
}

Status SqliteTx::PutPlace(const PlaceRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO places (id, contact_center_id, name) VALUES (?, ?, ?) "
      "ON CONFLICT(id) DO UPDATE SET name = excluded.name");
  s.Bind(1, r.id).Bind(2, r.contact_center_id).Bind(3, r.name);
  return s.Exec(Code::kStorageUpdate);
}

Status SqliteTx::PutPlaceGroup(const PlaceGroupRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO place_groups (id, contact_center_id, name, place_ids) "
      "VALUES (?, ?, ?, ?) "
      "ON CONFLICT(id) DO UPDATE SET name = excluded.name, place_ids = "
      "excluded.place_ids");
  s.Bind(1, r.id)
      .Bind(2, r.contact_center_id)
      .Bind(3, r.name)
      .Bind(4, codec::EncodeList(r.place_ids));
  return s.Exec(Code::kStorageAssign);
}

Status SqliteTx::PutAgentGroup(const AgentGroupRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO agent_groups (id, contact_center_id, name, agent_ids, "
      "supervisor_ids) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = "
      "excluded.name, "
      "agent_ids = excluded.agent_ids, supervisor_ids = "
      "excluded.supervisor_ids");
  s.Bind(1, r.id).Bind(2, r.contact_center_id).Bind(3, r.name);
  s.Bind(4, codec::EncodeList(r.agent_ids))
      .Bind(5, codec::EncodeList(r.supervisor_ids));
  return s.Exec(Code::kStorageAssign);
}

Status SqliteTx::PutQueue(const QueueRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO queues (id, contact_center_id, name, description, "
      "agent_group_id) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = "
      "excluded.name, "
      "description = excluded.description, agent_group_id = "
      "excluded.agent_group_id");
  s.Bind(1, r.id)
      .Bind(2, r.contact_center_id)
      .Bind(3, r.name)
      .Bind(4, r.description);
  s.Bind(5, r.agent_group_id);
  return s.Exec(Code::kStorageUpdate);
}

Status SqliteTx::PutWorkbinDefinition(const WorkbinDefinitionRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO workbin_definitions (id, contact_center_id, name, "
      "display_name, type, owners) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = "
      "excluded.name, "
      "display_name = excluded.display_name, type = excluded.type, owners = "
      "excluded.owners");
  s.Bind(1, r.id)
      .Bind(2, r.contact_center_id)
      .Bind(3, r.name)
      .Bind(4, r.display_name);
  s.Bind(5, r.type);
  if (r.owners)
    s.Bind(6, codec::EncodeList(*r.owners));
  else
    s.BindNull(6);
  return s.Exec(Code::kStorageUpdate);
}

Status SqliteTx::PutWorkbin(const WorkbinRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO workbins (id, contact_center_id, definition_id, owner_type, "
      "owner_id) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET definition_id = "
      "excluded.definition_id, "
      "owner_type = excluded.owner_type, owner_id = excluded.owner_id");
  s.Bind(1, r.id)
      .Bind(2, r.contact_center_id)
      .Bind(3, r.definition_id)
      .Bind(4, r.owner_type);
  s.Bind(5, r.owner_id);
  return s.Exec(Code::kStorageCreate);
}

Status SqliteTx::DeleteContactCenter(const std::string& id) {
  // Sessions are not tied to the contact center by a foreign key.
  WB_RETURN_IF_ERROR(
      DeleteById("DELETE FROM http_sessions WHERE user_id IN "
                 "(SELECT id FROM users WHERE contact_center_id = ?)",
                 id));
  return DeleteById("DELETE FROM contact_centers WHERE id = ?", id);
}
Status SqliteTx::DeleteUser(const std::string& id) {
  return DeleteById("DELETE FROM users WHERE id = ?", id);
}
Status SqliteTx::DeleteSystemAdmin(const std::string& id) {
  return DeleteById("DELETE FROM system_admins WHERE id = ?", id);
}
Status SqliteTx::DeletePlace(const std::string& id) {
  return DeleteById("DELETE FROM places WHERE id = ?", id);
}
Status SqliteTx::DeletePlaceGroup(const std::string& id) {
  return DeleteById("DELETE FROM place_groups WHERE id = ?", id);
}
Status SqliteTx::DeleteAgentGroup(const std::string& id) {
  return DeleteById("DELETE FROM agent_groups WHERE id = ?", id);
}
Status SqliteTx::DeleteQueue(const std::string& id) {
  return DeleteById("DELETE FROM queues WHERE id = ?", id);
}
Status SqliteTx::DeleteWorkbinDefinition(const std::string& id) {
  return DeleteById("DELETE FROM workbin_definitions WHERE id = ?", id);
}
Status SqliteTx::DeleteWorkbin(const std::string& id) {
  return DeleteById("DELETE FROM workbins WHERE id = ?", id);
}

Status SqliteTx::BumpDirectoryVersion(const std::string& cc) {
  auto s = c_->Prepare(
      "UPDATE contact_centers SET directory_version = directory_version + 1 "
      "WHERE id = ?");
  s.Bind(1, cc);
  return s.Exec(Code::kStorageUpdate);
}

}  // namespace workbind::storage::sqlite
