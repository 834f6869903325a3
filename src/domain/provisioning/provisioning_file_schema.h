// The first pass over a provisioning file: JSON syntax and the structure of
// provisioning.md §5.2 (unknown keys, types, required keys, formats, enum
// values, duplicate names and ids). It needs no storage; references are
// checked by the second pass (provisioning_file.cc). Pure; thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/provisioning/provisioning_issues.h"
#include "domain/provisioning/provisioning_patch.h"

namespace workbind::domain {

// One decoded object of the file and where it is.
template <typename Patch>
struct FileEntry {
  Patch patch;
  std::string at;             // JSON pointer of the object
  bool broken = false;        // decoding reported a problem
  bool has_password = false;  // "password" or "passwordHash" present
};

struct FileContactCenter {
  ContactCenterPatch patch;
  std::string at;
  std::vector<FileEntry<PlacePatch>> places;
  std::vector<FileEntry<PlaceGroupPatch>> place_groups;
  std::vector<FileEntry<UserPatch>> users;
  std::vector<FileEntry<AgentGroupPatch>> agent_groups;
  std::vector<FileEntry<QueuePatch>> queues;
  std::vector<FileEntry<DefinitionPatch>> workbins;
  // Names the file gives per kind, and those of objects that had problems.
  std::map<ObjectKind, std::set<std::string>> names;
  std::map<ObjectKind, std::set<std::string>> broken_names;
};

struct ProvisioningFileModel {
  bool parsed = false;  // the text is a JSON object
  std::vector<FileEntry<SystemAdminPatch>> system_admins;
  std::vector<FileContactCenter> contact_centers;
};

// Parses and checks `text`; every problem goes to `issues`.
ProvisioningFileModel ParseProvisioningFile(const std::string& text,
                                            ProvisioningIssues* issues);

}  // namespace workbind::domain
