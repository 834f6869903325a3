#include "storage/sqlite/sqlite_tx.h"

#include <boost/json.hpp>

namespace workbind::storage::sqlite {
namespace json = boost::json;
namespace {

std::string EncodeList(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::serialize(a);
}

std::vector<std::string> DecodeList(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array())
    if (e.is_string()) out.emplace_back(e.as_string());
  return out;
}

json::object EncodeIntMap(const std::map<std::string, int>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

std::map<std::string, int> DecodeIntMap(const json::value& v) {
  std::map<std::string, int> out;
  if (!v.is_object()) return out;
  for (const auto& [k, e] : v.as_object())
    if (e.is_int64()) out[std::string(k)] = static_cast<int>(e.as_int64());
  return out;
}

std::string EncodeRouting(const ContactCenterRecord& r) {
  json::object o;
  o["offerTimeoutSeconds"] = r.offer_timeout_seconds;
  o["capacity"] = EncodeIntMap(r.capacity);
  o["declineCooldownSeconds"] = r.decline_cooldown_seconds;
  o["lastAgentWaitSeconds"] = r.last_agent_wait_seconds;
  return json::serialize(o);
}

void DecodeRouting(const std::string& text, ContactCenterRecord* r) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return;
  const auto& o = v.as_object();
  if (auto* p = o.if_contains("offerTimeoutSeconds"); p && p->is_int64())
    r->offer_timeout_seconds = static_cast<int>(p->as_int64());
  if (auto* p = o.if_contains("capacity")) r->capacity = DecodeIntMap(*p);
  if (auto* p = o.if_contains("declineCooldownSeconds"); p && p->is_int64())
    r->decline_cooldown_seconds = static_cast<int>(p->as_int64());
  if (auto* p = o.if_contains("lastAgentWaitSeconds"); p && p->is_int64())
    r->last_agent_wait_seconds = static_cast<int>(p->as_int64());
}

constexpr const char* kCcColumns =
    "SELECT id, name, display_name, features, media_types, routing FROM "
    "contact_centers ";

ContactCenterRecord ReadCc(const Stmt& s) {
  ContactCenterRecord r;
  r.id = s.Text(0);
  r.name = s.Text(1);
  r.display_name = s.Text(2);
  r.features = DecodeList(s.Text(3));
  r.media_types = DecodeList(s.Text(4));
  DecodeRouting(s.Text(5), &r);
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
  r.roles = DecodeList(s.Text(7));
  r.enabled = s.Int(8) != 0;
  r.default_place_id = s.OptText(9);
  if (auto cap = s.OptText(10)) {
    boost::system::error_code ec;
    json::value v = json::parse(*cap, ec);
    if (!ec) r.capacity = DecodeIntMap(v);
  }
  return r;
}

#define WB_USER_COLUMNS                                                  \
  "SELECT id, contact_center_id, user_name, password_hash, first_name, " \
  "last_name, "                                                          \
  "email_address, roles, enabled, default_place_id, capacity FROM users "

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

std::string EncodeChannels(const std::vector<ChannelStateRecord>& channels) {
  json::array a;
  for (const auto& c : channels) {
    json::object o;
    o["channel"] = c.channel;
    o["ready"] = c.ready;
    if (c.reason) o["reason"] = *c.reason;
    o["idleSince"] = c.idle_since_ms;
    a.push_back(std::move(o));
  }
  return json::serialize(a);
}

std::vector<ChannelStateRecord> DecodeChannels(const std::string& text) {
  std::vector<ChannelStateRecord> out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    ChannelStateRecord c;
    if (auto* p = o.if_contains("channel"); p && p->is_string())
      c.channel = p->as_string();
    if (auto* p = o.if_contains("ready"); p && p->is_bool())
      c.ready = p->as_bool();
    if (auto* p = o.if_contains("reason"); p && p->is_string())
      c.reason = std::string(p->as_string());
    if (auto* p = o.if_contains("idleSince"); p && p->is_int64())
      c.idle_since_ms = p->as_int64();
    out.push_back(std::move(c));
  }
  return out;
}

AgentStateRecord ReadAgentState(const Stmt& s) {
  AgentStateRecord r;
  r.user_id = s.Text(0);
  r.contact_center_id = s.Text(1);
  r.place_id = s.OptText(2);
  r.channels = DecodeChannels(s.Text(3));
  return r;
}

}  // namespace

Result<std::optional<AgentStateRecord>> SqliteTx::GetAgentState(
    const std::string& user_id) {
  auto known = agent_states_.find(user_id);
  if (known != agent_states_.end()) return known->second;
  WB_ASSIGN_OR_RETURN(auto state, LoadAgentState(user_id));
  agent_states_.emplace(user_id, state);
  return state;
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
  s.Bind(4, EncodeChannels(r.channels));
  Status st = s.Exec(Code::kStorageUpdate);
  agent_states_.erase(r.user_id);
  if (st.ok()) agent_states_.emplace(r.user_id, r);
  if (st.code() == Code::kAlreadyExists) return InUse("Place already in use");
  return st;
}

Status SqliteTx::DeleteAgentState(const std::string& user_id) {
  agent_states_.erase(user_id);
  return DeleteById("DELETE FROM agent_states WHERE user_id = ?", user_id);
}

Result<std::vector<ContactCenterRecord>> SqliteTx::ListContactCenters() {
  auto s = c_->Prepare(
      "SELECT id, name, display_name, features, media_types, routing FROM "
      "contact_centers "
      "ORDER BY name");
  std::vector<ContactCenterRecord> out;
  while (s.Step()) out.push_back(ReadCc(s));
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::optional<ContactCenterRecord>> SqliteTx::GetContactCenter(
    const std::string& id) {
  auto s = c_->Prepare(
      "SELECT id, name, display_name, features, media_types, routing FROM "
      "contact_centers "
      "WHERE id = ?");
  s.Bind(1, id);
  if (s.Step()) return std::optional<ContactCenterRecord>(ReadCc(s));
  if (!s.status().ok()) return s.status();
  return std::optional<ContactCenterRecord>();
}

Result<std::optional<ContactCenterRecord>> SqliteTx::FindContactCenterByName(
    const std::string& name) {
  auto s = c_->Prepare(
      "SELECT id, name, display_name, features, media_types, routing FROM "
      "contact_centers "
      "WHERE name = ?");
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
          {s.Text(0), cc, s.Text(1), DecodeList(s.Text(2))});
    if (!s.status().ok()) return s.status();
  }
  {
    auto s = c_->Prepare(
        "SELECT id, name, agent_ids, supervisor_ids FROM agent_groups WHERE "
        "contact_center_id = ? "
        "ORDER BY name");
    s.Bind(1, cc);
    while (s.Step())
      d.agent_groups.push_back({s.Text(0), cc, s.Text(1), DecodeList(s.Text(2)),
                                DecodeList(s.Text(3))});
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
      if (auto o = s.OptText(4)) r.owners = DecodeList(*o);
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
      .Bind(4, EncodeList(r.features));
  s.Bind(5, EncodeList(r.media_types)).Bind(6, EncodeRouting(r));
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
  s.Bind(8, EncodeList(r.roles))
      .Bind(9, r.enabled)
      .Bind(10, r.default_place_id);
  if (r.capacity)
    s.Bind(11, json::serialize(EncodeIntMap(*r.capacity)));
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
      .Bind(4, EncodeList(r.place_ids));
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
  s.Bind(4, EncodeList(r.agent_ids)).Bind(5, EncodeList(r.supervisor_ids));
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
    s.Bind(6, EncodeList(*r.owners));
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

Status SqliteTx::DeleteById(const char* sql, const std::string& id) {
  auto s = c_->Prepare(sql);
  s.Bind(1, id);
  return s.Exec(Code::kStorageDelete);
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
