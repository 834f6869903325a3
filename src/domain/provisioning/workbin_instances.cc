#include "domain/provisioning/workbin_instances.h"

#include <algorithm>
#include <set>

#include "domain/provisioning/provisioning_rules.h"

namespace workbind::domain {
namespace {

bool HasRole(const storage::UserRecord& u, std::string_view role) {
  return std::find(u.roles.begin(), u.roles.end(), role) != u.roles.end();
}

void AddInstance(const storage::DirectoryData& d,
                 const storage::WorkbinDefinitionRecord& def,
                 const std::string& owner_id,
                 std::vector<storage::WorkbinRecord>* out) {
  out->push_back({WorkbinInstanceId(def.id, def.type, owner_id),
                  d.contact_center.id, def.id, def.type, owner_id});
}

template <typename T>
const T* ById(const std::vector<T>& v, const std::string& id) {
  for (const auto& x : v)
    if (x.id == id) return &x;
  return nullptr;
}

}  // namespace

bool IsEligibleOwner(const storage::WorkbinDefinitionRecord& def,
                     const std::string& owner_name, bool owner_has_agent_role) {
  if (def.type == "Agent" && !owner_has_agent_role) return false;
  if (!def.owners) return true;
  return std::find(def.owners->begin(), def.owners->end(), owner_name) !=
         def.owners->end();
}

std::vector<storage::WorkbinRecord> DesiredWorkbins(
    const storage::DirectoryData& d) {
  std::vector<storage::WorkbinRecord> out;
  for (const auto& def : d.workbin_definitions) {
    if (def.type == "Agent") {
      for (const auto& u : d.users)
        if (IsEligibleOwner(def, u.user_name, HasRole(u, kRoleAgent)))
          AddInstance(d, def, u.id, &out);
    } else if (def.type == "Place") {
      for (const auto& p : d.places)
        if (IsEligibleOwner(def, p.name, true)) AddInstance(d, def, p.id, &out);
    } else if (def.type == "AgentGroup") {
      for (const auto& g : d.agent_groups)
        if (IsEligibleOwner(def, g.name, true)) AddInstance(d, def, g.id, &out);
    } else if (def.type == "PlaceGroup") {
      for (const auto& g : d.place_groups)
        if (IsEligibleOwner(def, g.name, true)) AddInstance(d, def, g.id, &out);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const storage::WorkbinRecord& a,
               const storage::WorkbinRecord& b) { return a.id < b.id; });
  return out;
}

WorkbinDiff DiffWorkbins(const std::vector<storage::WorkbinRecord>& stored,
                         const std::vector<storage::WorkbinRecord>& desired) {
  std::set<std::string> stored_ids, desired_ids;
  for (const auto& w : stored) stored_ids.insert(w.id);
  for (const auto& w : desired) desired_ids.insert(w.id);
  WorkbinDiff diff;
  for (const auto& w : desired)
    if (!stored_ids.count(w.id)) diff.create.push_back(w);
  for (const auto& w : stored)
    if (!desired_ids.count(w.id)) diff.remove.push_back(w);
  return diff;
}

std::string WorkbinOwnerName(const storage::DirectoryData& d,
                             const storage::WorkbinRecord& w) {
  if (w.owner_type == "Agent") {
    if (const auto* u = ById(d.users, w.owner_id)) return u->user_name;
  } else if (w.owner_type == "Place") {
    if (const auto* p = ById(d.places, w.owner_id)) return p->name;
  } else if (w.owner_type == "AgentGroup") {
    if (const auto* g = ById(d.agent_groups, w.owner_id)) return g->name;
  } else if (w.owner_type == "PlaceGroup") {
    if (const auto* g = ById(d.place_groups, w.owner_id)) return g->name;
  }
  return "";
}

std::string WorkbinDefinitionName(const storage::DirectoryData& d,
                                  const storage::WorkbinRecord& w) {
  const auto* def = ById(d.workbin_definitions, w.definition_id);
  return def ? def->name : "";
}

}  // namespace workbind::domain
