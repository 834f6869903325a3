#include "domain/provisioning/provisioning_draft.h"

#include <algorithm>

namespace workbind::domain {
namespace {

const std::string& NameOf(const storage::UserRecord& r) { return r.user_name; }
template <typename T>
const std::string& NameOf(const T& r) {
  return r.name;
}
void SetName(storage::UserRecord& r, const std::string& n) { r.user_name = n; }
template <typename T>
void SetName(T& r, const std::string& n) {
  r.name = n;
}

template <typename T>
T* FindById(std::vector<T>& v, const std::string& id) {
  for (auto& x : v)
    if (x.id == id) return &x;
  return nullptr;
}

template <typename T>
const T* FindByName(const std::vector<T>& v, const std::string& name) {
  for (const auto& x : v)
    if (NameOf(x) == name) return &x;
  return nullptr;
}

std::string Capitalized(std::string_view label) {
  std::string s(label);
  if (!s.empty()) s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string_view NameKey(ObjectKind kind) {
  return kind == ObjectKind::kUser ? "userName" : "name";
}

// The definition type whose owners are objects of this kind ("" for none).
std::string_view OwnerType(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kUser:
      return "Agent";
    case ObjectKind::kPlace:
      return "Place";
    case ObjectKind::kPlaceGroup:
      return "PlaceGroup";
    case ObjectKind::kAgentGroup:
      return "AgentGroup";
    default:
      return "";
  }
}

bool HasRole(const storage::UserRecord& u, std::string_view role) {
  return std::find(u.roles.begin(), u.roles.end(), role) != u.roles.end();
}

void Erase(std::vector<std::string>& v, const std::string& s) {
  v.erase(std::remove(v.begin(), v.end(), s), v.end());
}

void ReportTaken(ObjectKind kind, const std::string& name,
                 const std::string& at, ProvisioningIssues* issues) {
  std::string message =
      kind == ObjectKind::kUser
          ? "userName already taken"
          : Capitalized(KindLabel(kind)) + " name '" + name + "' already used";
  issues->AddWithMessage(
      Code::kAlreadyExists, PointerJoin(at, NameKey(kind)),
      std::string(KindLabel(kind)) + " '" + name + "' already exists",
      std::move(message));
}

void ReportUnknownName(std::string_view what, const std::string& name,
                       const std::string& ptr, std::string_view field,
                       ProvisioningIssues* issues) {
  issues->Add(Code::kNotFound, ptr, field,
              "no " + std::string(what) + " named '" + name + "'");
}

}  // namespace

ProvisioningDraft::ProvisioningDraft(storage::ReadTx* tx,
                                     ProvisioningUsage* usage, bool is_new,
                                     storage::DirectoryData data)
    : tx_(tx),
      usage_(usage),
      is_new_(is_new),
      original_(data),
      data_(std::move(data)) {}

Result<ProvisioningDraft> ProvisioningDraft::Load(storage::ReadTx* tx,
                                                  ProvisioningUsage* usage,
                                                  const std::string& cc_id) {
  WB_ASSIGN_OR_RETURN(storage::DirectoryData data, tx->LoadDirectory(cc_id));
  return ProvisioningDraft(tx, usage, false, std::move(data));
}

ProvisioningDraft ProvisioningDraft::ForNewContactCenter(
    storage::ReadTx* tx, ProvisioningUsage* usage, const std::string& id,
    const std::string& name) {
  storage::DirectoryData data;
  data.contact_center.id = id;
  data.contact_center.name = name;
  data.contact_center.display_name = name;
  data.contact_center.features = DefaultFeatures();
  ProvisioningDraft draft(tx, usage, true, storage::DirectoryData());
  draft.data_ = std::move(data);
  return draft;
}

void ProvisioningDraft::RestrictReferences(ObjectKind kind,
                                           std::set<std::string> names) {
  scope_[kind] = std::move(names);
}

void ProvisioningDraft::TolerateNames(ObjectKind kind,
                                      std::set<std::string> names) {
  tolerated_[kind] = std::move(names);
}

bool ProvisioningDraft::Tolerated(ObjectKind kind,
                                  const std::string& name) const {
  auto it = tolerated_.find(kind);
  return it != tolerated_.end() && it->second.count(name) > 0;
}

bool ProvisioningDraft::InScope(ObjectKind kind,
                                const std::string& name) const {
  auto it = scope_.find(kind);
  return it == scope_.end() || it->second.count(name) > 0;
}

const storage::UserRecord* ProvisioningDraft::RefUser(
    const std::string& name) const {
  return InScope(ObjectKind::kUser, name) ? FindByName(data_.users, name)
                                          : nullptr;
}
const storage::PlaceRecord* ProvisioningDraft::RefPlace(
    const std::string& name) const {
  return InScope(ObjectKind::kPlace, name) ? FindByName(data_.places, name)
                                           : nullptr;
}
const storage::PlaceGroupRecord* ProvisioningDraft::RefPlaceGroup(
    const std::string& name) const {
  return InScope(ObjectKind::kPlaceGroup, name)
             ? FindByName(data_.place_groups, name)
             : nullptr;
}
const storage::AgentGroupRecord* ProvisioningDraft::RefAgentGroup(
    const std::string& name) const {
  return InScope(ObjectKind::kAgentGroup, name)
             ? FindByName(data_.agent_groups, name)
             : nullptr;
}

Result<bool> ProvisioningDraft::IdTakenElsewhere(ObjectKind kind,
                                                 const std::string& id) {
  if (kind == ObjectKind::kUser) {
    WB_ASSIGN_OR_RETURN(auto user, tx_->GetUser(id));
    return user.has_value() && user->contact_center_id != contact_center_id();
  }
  // Object ids are primary keys across contact centers; the storage
  // interface has no lookup by id, so other directories are scanned once.
  if (!foreign_ids_) {
    std::map<ObjectKind, std::set<std::string>> ids;
    WB_ASSIGN_OR_RETURN(auto centers, tx_->ListContactCenters());
    for (const auto& cc : centers) {
      if (cc.id == contact_center_id()) continue;
      WB_ASSIGN_OR_RETURN(auto d, tx_->LoadDirectory(cc.id));
      for (const auto& x : d.places) ids[ObjectKind::kPlace].insert(x.id);
      for (const auto& x : d.place_groups)
        ids[ObjectKind::kPlaceGroup].insert(x.id);
      for (const auto& x : d.agent_groups)
        ids[ObjectKind::kAgentGroup].insert(x.id);
      for (const auto& x : d.queues) ids[ObjectKind::kQueue].insert(x.id);
      for (const auto& x : d.workbin_definitions)
        ids[ObjectKind::kWorkbinDefinition].insert(x.id);
    }
    foreign_ids_ = std::move(ids);
  }
  return (*foreign_ids_)[kind].count(id) > 0;
}

Status ProvisioningDraft::NewId(ObjectKind kind,
                                const std::optional<std::string>& explicit_id,
                                const std::string& name, const std::string& at,
                                ProvisioningIssues* issues, std::string* id) {
  auto taken_here = [&](const std::string& candidate) {
    switch (kind) {
      case ObjectKind::kUser:
        return FindById(data_.users, candidate) != nullptr;
      case ObjectKind::kPlace:
        return FindById(data_.places, candidate) != nullptr;
      case ObjectKind::kPlaceGroup:
        return FindById(data_.place_groups, candidate) != nullptr;
      case ObjectKind::kAgentGroup:
        return FindById(data_.agent_groups, candidate) != nullptr;
      case ObjectKind::kQueue:
        return FindById(data_.queues, candidate) != nullptr;
      case ObjectKind::kWorkbinDefinition:
        return FindById(data_.workbin_definitions, candidate) != nullptr;
    }
    return false;
  };
  if (explicit_id) {
    WB_ASSIGN_OR_RETURN(bool elsewhere, IdTakenElsewhere(kind, *explicit_id));
    if (elsewhere || taken_here(*explicit_id)) {
      issues->AddWithMessage(Code::kAlreadyExists, PointerJoin(at, "id"),
                             "id '" + *explicit_id + "' already used",
                             "Id '" + *explicit_id + "' already used");
      return Status::Ok();
    }
    *id = *explicit_id;
    return Status::Ok();
  }
  // The derived id can only be taken by an object created under an earlier
  // contact-center name; fall back to a random id then.
  std::string candidate =
      DerivedObjectId(kind, data_.contact_center.name, name);
  WB_ASSIGN_OR_RETURN(bool elsewhere, IdTakenElsewhere(kind, candidate));
  while (elsewhere || taken_here(candidate)) {
    candidate = RandomObjectId(kind);
    WB_ASSIGN_OR_RETURN(elsewhere, IdTakenElsewhere(kind, candidate));
  }
  *id = candidate;
  return Status::Ok();
}

Result<bool> ProvisioningDraft::UserNameFree(const std::string& name) const {
  if (FindByName(data_.users, name)) return false;
  WB_ASSIGN_OR_RETURN(auto user, tx_->FindUserByName(name));
  if (user && user->contact_center_id != contact_center_id()) return false;
  WB_ASSIGN_OR_RETURN(auto admin, tx_->FindSystemAdminByName(name));
  return !admin.has_value();
}

template <typename T>
Result<T*> ProvisioningDraft::Locate(
    std::vector<T>& v, ObjectKind kind, const std::optional<std::string>& pid,
    const std::optional<std::string>& pname, ApplyMode mode,
    const std::string& target_id, const std::string& at,
    ProvisioningIssues* issues, bool* created) {
  *created = false;
  const std::string label(KindLabel(kind));
  if (mode == ApplyMode::kUpdate) {
    T* rec = FindById(v, target_id);
    if (!rec) {
      issues->AddWithMessage(Code::kNotFound, at,
                             "no such " + label + " '" + target_id + "'",
                             "No such " + label);
      return static_cast<T*>(nullptr);
    }
    if (pid && *pid != rec->id) issues->ReadOnly(PointerJoin(at, "id"), "id");
    return rec;
  }
  if (mode == ApplyMode::kUpsert) {
    if (pid) {
      if (T* rec = FindById(v, *pid)) {
        if (pname && NameOf(*rec) != *pname) {
          std::string text = "id '" + *pid + "' belongs to " + label + " '" +
                             NameOf(*rec) + "'";
          issues->AddWithMessage(Code::kAlreadyExists, PointerJoin(at, "id"),
                                 text, text);
          return static_cast<T*>(nullptr);
        }
        return rec;
      }
      if (pname) {
        if (const T* other = FindByName(v, *pname)) {
          std::string text =
              label + " '" + *pname + "' already has id '" + other->id + "'";
          issues->AddWithMessage(Code::kReadOnly, PointerJoin(at, "id"), text,
                                 text);
          return static_cast<T*>(nullptr);
        }
      }
    } else if (pname) {
      for (auto& x : v)
        if (NameOf(x) == *pname) return &x;
    }
  }
  // Create.
  if (!pname)
    return static_cast<T*>(nullptr);  // reported as missing or invalid already
  bool free = FindByName(v, *pname) == nullptr;
  if (kind == ObjectKind::kUser) {
    WB_ASSIGN_OR_RETURN(free, UserNameFree(*pname));
  }
  if (!free) {
    ReportTaken(kind, *pname, at, issues);
    return static_cast<T*>(nullptr);
  }
  std::string id;
  WB_RETURN_IF_ERROR(NewId(kind, pid, *pname, at, issues, &id));
  if (id.empty()) return static_cast<T*>(nullptr);
  T rec{};
  rec.id = id;
  rec.contact_center_id = contact_center_id();
  SetName(rec, *pname);
  v.push_back(std::move(rec));
  *created = true;
  return &v.back();
}

template <typename T>
bool ProvisioningDraft::Rename(std::vector<T>& v, T* rec, ObjectKind kind,
                               const std::optional<std::string>& pname,
                               const std::string& at,
                               ProvisioningIssues* issues) {
  if (!pname || *pname == NameOf(*rec)) return true;
  if (FindByName(v, *pname)) {
    ReportTaken(kind, *pname, at, issues);
    return false;
  }
  std::string old = NameOf(*rec);
  SetName(*rec, *pname);
  if (!OwnerType(kind).empty())
    RenameOwner(std::string(OwnerType(kind)), old, *pname);
  return true;
}

void ProvisioningDraft::RenameOwner(const std::string& type,
                                    const std::string& from,
                                    const std::string& to) {
  for (auto& def : data_.workbin_definitions)
    if (def.type == type && def.owners)
      std::replace(def.owners->begin(), def.owners->end(), from, to);
}

void ProvisioningDraft::DropOwner(const std::string& type,
                                  const std::string& name) {
  for (auto& def : data_.workbin_definitions)
    if (def.type == type && def.owners) Erase(*def.owners, name);
}

Status ProvisioningDraft::ApplyContactCenter(const ContactCenterPatch& p,
                                             const std::string& at,
                                             ProvisioningIssues* issues) {
  storage::ContactCenterRecord& cc = data_.contact_center;
  if (p.name && *p.name != cc.name) {
    WB_ASSIGN_OR_RETURN(auto other, tx_->FindContactCenterByName(*p.name));
    if (other && other->id != cc.id) {
      issues->AddWithMessage(
          Code::kAlreadyExists, PointerJoin(at, "name"),
          "contact center '" + *p.name + "' already exists",
          "Contact center name '" + *p.name + "' already used");
    } else {
      cc.name = *p.name;
    }
  }
  if (p.display_name) cc.display_name = *p.display_name;
  if (p.features) cc.features = *p.features;
  if (p.media_types) cc.media_types = *p.media_types;
  if (p.offer_timeout_seconds)
    cc.offer_timeout_seconds = *p.offer_timeout_seconds;
  if (p.capacity) cc.capacity = *p.capacity;
  if (p.decline_cooldown_seconds)
    cc.decline_cooldown_seconds = *p.decline_cooldown_seconds;
  if (p.last_agent_wait_seconds)
    cc.last_agent_wait_seconds = *p.last_agent_wait_seconds;
  return Status::Ok();
}

Status ProvisioningDraft::ApplyUser(const UserPatch& p, ApplyMode mode,
                                    const std::string& target_id,
                                    const std::string& at,
                                    ProvisioningIssues* issues,
                                    std::string* id) {
  bool created = false;
  WB_ASSIGN_OR_RETURN(storage::UserRecord * u,
                      Locate(data_.users, ObjectKind::kUser, p.id, p.user_name,
                             mode, target_id, at, issues, &created));
  if (!u) return Status::Ok();
  if (!created && p.user_name && *p.user_name != u->user_name)
    issues->ReadOnly(PointerJoin(at, "userName"), "userName");
  if (p.password_hash) u->password_hash = *p.password_hash;
  if (created && u->password_hash.empty()) issues->Missing(at, "password");
  if (p.first_name) u->first_name = *p.first_name;
  if (p.last_name) u->last_name = *p.last_name;
  if (p.email_address) u->email_address = *p.email_address;
  if (p.enabled) u->enabled = *p.enabled;
  if (p.capacity) u->capacity = *p.capacity;
  if (p.roles) {
    bool was_supervisor = HasRole(*u, kRoleSupervisor);
    u->roles = *p.roles;
    // Losing ROLE_SUPERVISOR ends the supervision of every group.
    if (was_supervisor && !HasRole(*u, kRoleSupervisor))
      for (auto& g : data_.agent_groups) Erase(g.supervisor_ids, u->id);
  }
  if (p.default_place) {
    if (!*p.default_place) {
      u->default_place_id.reset();
    } else if (const auto* place = RefPlace(**p.default_place)) {
      u->default_place_id = place->id;
    } else if (!Tolerated(ObjectKind::kPlace, **p.default_place)) {
      ReportUnknownName("place", **p.default_place,
                        PointerJoin(at, "defaultPlace"), "defaultPlace",
                        issues);
    }
  }
  *id = u->id;
  return Status::Ok();
}

Status ProvisioningDraft::ApplyPlace(const PlacePatch& p, ApplyMode mode,
                                     const std::string& target_id,
                                     const std::string& at,
                                     ProvisioningIssues* issues,
                                     std::string* id) {
  bool created = false;
  WB_ASSIGN_OR_RETURN(storage::PlaceRecord * rec,
                      Locate(data_.places, ObjectKind::kPlace, p.id, p.name,
                             mode, target_id, at, issues, &created));
  if (!rec) return Status::Ok();
  Rename(data_.places, rec, ObjectKind::kPlace, p.name, at, issues);
  *id = rec->id;
  return Status::Ok();
}

Status ProvisioningDraft::ApplyPlaceGroup(
    const PlaceGroupPatch& p, ApplyMode mode, const std::string& target_id,
    const std::string& at, ProvisioningIssues* issues, std::string* id) {
  bool created = false;
  WB_ASSIGN_OR_RETURN(storage::PlaceGroupRecord * rec,
                      Locate(data_.place_groups, ObjectKind::kPlaceGroup, p.id,
                             p.name, mode, target_id, at, issues, &created));
  if (!rec) return Status::Ok();
  Rename(data_.place_groups, rec, ObjectKind::kPlaceGroup, p.name, at, issues);
  if (p.places) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < p.places->size(); ++i) {
      const std::string& name = (*p.places)[i];
      if (const auto* place = RefPlace(name))
        ids.push_back(place->id);
      else if (!Tolerated(ObjectKind::kPlace, name))
        ReportUnknownName("place", name,
                          PointerJoin(PointerJoin(at, "places"), i), "places",
                          issues);
    }
    rec->place_ids = std::move(ids);
  }
  *id = rec->id;
  return Status::Ok();
}

Status ProvisioningDraft::ApplyAgentGroup(
    const AgentGroupPatch& p, ApplyMode mode, const std::string& target_id,
    const std::string& at, ProvisioningIssues* issues, std::string* id) {
  bool created = false;
  WB_ASSIGN_OR_RETURN(storage::AgentGroupRecord * rec,
                      Locate(data_.agent_groups, ObjectKind::kAgentGroup, p.id,
                             p.name, mode, target_id, at, issues, &created));
  if (!rec) return Status::Ok();
  Rename(data_.agent_groups, rec, ObjectKind::kAgentGroup, p.name, at, issues);
  if (p.agents) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < p.agents->size(); ++i) {
      const std::string& name = (*p.agents)[i];
      if (const auto* u = RefUser(name))
        ids.push_back(u->id);
      else if (!Tolerated(ObjectKind::kUser, name))
        ReportUnknownName("user", name,
                          PointerJoin(PointerJoin(at, "agents"), i), "agents",
                          issues);
    }
    rec->agent_ids = std::move(ids);
  }
  if (p.supervisors) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < p.supervisors->size(); ++i) {
      const std::string& name = (*p.supervisors)[i];
      std::string ptr = PointerJoin(PointerJoin(at, "supervisors"), i);
      const auto* u = RefUser(name);
      if (Tolerated(ObjectKind::kUser, name)) {
        if (u) ids.push_back(u->id);
      } else if (!u) {
        ReportUnknownName("user", name, ptr, "supervisors", issues);
      } else if (!HasRole(*u, kRoleSupervisor)) {
        issues->Add(Code::kInvalidArgument, ptr, "supervisors",
                    "user '" + name + "' lacks ROLE_SUPERVISOR");
      } else {
        ids.push_back(u->id);
      }
    }
    rec->supervisor_ids = std::move(ids);
  }
  *id = rec->id;
  return Status::Ok();
}

Status ProvisioningDraft::ApplyQueue(const QueuePatch& p, ApplyMode mode,
                                     const std::string& target_id,
                                     const std::string& at,
                                     ProvisioningIssues* issues,
                                     std::string* id) {
  bool created = false;
  WB_ASSIGN_OR_RETURN(storage::QueueRecord * rec,
                      Locate(data_.queues, ObjectKind::kQueue, p.id, p.name,
                             mode, target_id, at, issues, &created));
  if (!rec) return Status::Ok();
  Rename(data_.queues, rec, ObjectKind::kQueue, p.name, at, issues);
  if (p.description) rec->description = *p.description;
  if (p.agent_group) {
    if (const auto* g = RefAgentGroup(*p.agent_group))
      rec->agent_group_id = g->id;
    else if (!Tolerated(ObjectKind::kAgentGroup, *p.agent_group))
      ReportUnknownName("agent group", *p.agent_group,
                        PointerJoin(at, "agentGroup"), "agentGroup", issues);
  } else if (created) {
    issues->Missing(at, "agentGroup");
  }
  *id = rec->id;
  return Status::Ok();
}

Status ProvisioningDraft::ApplyDefinition(
    const DefinitionPatch& p, ApplyMode mode, const std::string& target_id,
    const std::string& at, ProvisioningIssues* issues, std::string* id) {
  if (mode != ApplyMode::kUpdate && !p.type) {
    // Without a valid type the owners cannot be checked; the type problem
    // has been reported (missing or invalid). Report conflicts on the name.
    return Status::Ok();
  }
  bool created = false;
  WB_ASSIGN_OR_RETURN(
      storage::WorkbinDefinitionRecord * rec,
      Locate(data_.workbin_definitions, ObjectKind::kWorkbinDefinition, p.id,
             p.name, mode, target_id, at, issues, &created));
  if (!rec) return Status::Ok();
  if (created) {
    rec->type = *p.type;
    rec->display_name = rec->name;
  } else if (p.type && *p.type != rec->type) {
    issues->ReadOnly(PointerJoin(at, "type"), "type");
    return Status::Ok();
  }
  Rename(data_.workbin_definitions, rec, ObjectKind::kWorkbinDefinition, p.name,
         at, issues);
  if (p.display_name) rec->display_name = *p.display_name;
  if (p.owners) {
    if (!*p.owners) {
      rec->owners.reset();
    } else {
      std::vector<std::string> owners;
      for (size_t i = 0; i < (*p.owners)->size(); ++i) {
        const std::string& name = (**p.owners)[i];
        bool found = false;
        ObjectKind kind = ObjectKind::kUser;
        if (rec->type == "Agent") {
          found = RefUser(name) != nullptr;
        } else if (rec->type == "Place") {
          found = RefPlace(name) != nullptr;
          kind = ObjectKind::kPlace;
        } else if (rec->type == "AgentGroup") {
          found = RefAgentGroup(name) != nullptr;
          kind = ObjectKind::kAgentGroup;
        } else {
          found = RefPlaceGroup(name) != nullptr;
          kind = ObjectKind::kPlaceGroup;
        }
        if (found || Tolerated(kind, name))
          owners.push_back(name);
        else
          ReportUnknownName(KindLabel(kind), name,
                            PointerJoin(PointerJoin(at, "owners"), i), "owners",
                            issues);
      }
      rec->owners = std::move(owners);
    }
  }
  *id = rec->id;
  return Status::Ok();
}

}  // namespace workbind::domain
