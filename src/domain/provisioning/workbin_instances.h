// Workbin instances follow from workbin definitions (provisioning.md §4): one
// instance per definition and eligible owner. These pure functions compute
// the instances a directory implies and the difference against the stored
// ones. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "storage/records.h"

namespace workbind::domain {

// Every instance the directory implies, ordered by id. Eligible owners:
// users with ROLE_AGENT (Agent), every place (Place), agent group
// (AgentGroup) or place group (PlaceGroup); a definition's `owners` list, when
// present, limits them to the listed names.
std::vector<storage::WorkbinRecord> DesiredWorkbins(
    const storage::DirectoryData& d);

// Whether the owner (of the definition's type, by name) gets an instance.
bool IsEligibleOwner(const storage::WorkbinDefinitionRecord& def,
                     const std::string& owner_name, bool owner_has_agent_role);

struct WorkbinDiff {
  std::vector<storage::WorkbinRecord> create;  // desired, not stored
  std::vector<storage::WorkbinRecord> remove;  // stored, no longer desired
};
WorkbinDiff DiffWorkbins(const std::vector<storage::WorkbinRecord>& stored,
                         const std::vector<storage::WorkbinRecord>& desired);

// The name of an instance's owner in `d` (user name, place or group name);
// empty when the owner is not in `d`.
std::string WorkbinOwnerName(const storage::DirectoryData& d,
                             const storage::WorkbinRecord& w);
// The name of an instance's definition in `d`; empty when absent.
std::string WorkbinDefinitionName(const storage::DirectoryData& d,
                                  const storage::WorkbinRecord& w);

}  // namespace workbind::domain
