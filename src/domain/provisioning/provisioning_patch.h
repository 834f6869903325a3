// Provisioning patches: the typed form of one object of the provisioning
// file or of one REST create/update body. A field is set when its key is
// present with a valid value; an optional<optional<T>> field set to nullopt
// means the key was given as null (clear the stored value). Decoding checks
// types, formats, enum values and ranges (not references: those need the
// directory) and reports every problem into ProvisioningIssues under `at`.
// Strict decoding (the provisioning file) also reports unknown keys; lenient
// decoding (REST bodies) ignores them. Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/provisioning/provisioning_issues.h"
#include "domain/provisioning/provisioning_rules.h"

namespace workbind::domain {

using CapacityMap = std::map<std::string, int>;

enum class Strictness { kStrict, kLenient };

struct ContactCenterPatch {
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::string> display_name;
  std::optional<std::vector<std::string>> features;
  std::optional<std::vector<std::string>> media_types;
  // settings.routing leaves; capacity replaces the stored map as a whole.
  std::optional<int> offer_timeout_seconds;
  std::optional<CapacityMap> capacity;
  std::optional<int> decline_cooldown_seconds;
  std::optional<int> last_agent_wait_seconds;
};

struct SystemAdminPatch {
  std::optional<std::string> user_name;
  std::optional<std::string> password;
  std::optional<std::string> password_hash;
};

struct UserPatch {
  std::optional<std::string> id;
  std::optional<std::string> user_name;
  std::optional<std::string> password;       // plain text; hashed by the caller
  std::optional<std::string> password_hash;  // Argon2id PHC string
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::optional<std::string>> email_address;
  std::optional<std::vector<std::string>> roles;  // non-empty, de-duplicated
  std::optional<bool> enabled;
  std::optional<std::optional<std::string>> default_place;  // place name
  std::optional<std::optional<CapacityMap>> capacity;
};

struct PlacePatch {
  std::optional<std::string> id;
  std::optional<std::string> name;
};

struct PlaceGroupPatch {
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> places;  // place names
};

struct AgentGroupPatch {
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> agents;       // user names
  std::optional<std::vector<std::string>> supervisors;  // user names
};

struct QueuePatch {
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> agent_group;  // agent group name
};

struct DefinitionPatch {
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<std::string> display_name;
  std::optional<std::string> type;
  std::optional<std::optional<std::vector<std::string>>> owners;  // owner names
};

// `extra_keys` are further keys accepted without being decoded (the object
// arrays a contact center holds in the provisioning file).
ContactCenterPatch DecodeContactCenter(
    const boost::json::object& o, const std::string& at, Strictness strictness,
    ProvisioningIssues* issues,
    const std::vector<std::string_view>& extra_keys = {});
SystemAdminPatch DecodeSystemAdmin(const boost::json::object& o,
                                   const std::string& at, Strictness strictness,
                                   ProvisioningIssues* issues);
UserPatch DecodeUser(const boost::json::object& o, const std::string& at,
                     Strictness strictness, ProvisioningIssues* issues);
PlacePatch DecodePlace(const boost::json::object& o, const std::string& at,
                       Strictness strictness, ProvisioningIssues* issues);
PlaceGroupPatch DecodePlaceGroup(const boost::json::object& o,
                                 const std::string& at, Strictness strictness,
                                 ProvisioningIssues* issues);
AgentGroupPatch DecodeAgentGroup(const boost::json::object& o,
                                 const std::string& at, Strictness strictness,
                                 ProvisioningIssues* issues);
QueuePatch DecodeQueue(const boost::json::object& o, const std::string& at,
                       Strictness strictness, ProvisioningIssues* issues);
DefinitionPatch DecodeDefinition(const boost::json::object& o,
                                 const std::string& at, Strictness strictness,
                                 ProvisioningIssues* issues);

// Reports each absent key of `required` as missing.
void RequireKeys(const boost::json::object& o, const std::string& at,
                 const std::vector<std::string_view>& required,
                 ProvisioningIssues* issues);
// The keys a create body (and every provisioning file object) must have.
std::vector<std::string_view> RequiredKeys(ObjectKind kind);
// Reports "password" missing unless "password" or "passwordHash" is present.
void RequirePassword(const boost::json::object& o, const std::string& at,
                     ProvisioningIssues* issues);

}  // namespace workbind::domain
