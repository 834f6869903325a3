// Provisioning rules shared by the provisioning file and the admin REST API:
// the kinds of provisioned objects, the name and value formats they accept,
// and how their ids are derived from names. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace workbind::domain {

// The kinds of objects a contact center holds (contact centers themselves and
// system admins are handled separately).
enum class ObjectKind {
  kUser,
  kPlace,
  kPlaceGroup,
  kAgentGroup,
  kQueue,
  kWorkbinDefinition
};

inline constexpr std::string_view kRoleAgent = "ROLE_AGENT";
inline constexpr std::string_view kRoleSupervisor = "ROLE_SUPERVISOR";
inline constexpr std::string_view kRoleAdmin = "ROLE_ADMIN";
inline constexpr std::string_view kRoleApiUser = "ROLE_APIUSER";

// Human label used in messages: "user", "place", "place group", "agent group",
// "queue", "workbin definition".
std::string_view KindLabel(ObjectKind kind);
// Canonical path of an object relative to /api/v2, e.g. "/places/<id>".
std::string KindPath(ObjectKind kind, std::string_view id);

// 1-64 characters from [A-Za-z0-9._-] (places, groups, queues, definitions).
bool IsObjectName(std::string_view s);
// As IsObjectName without '.'.
bool IsContactCenterName(std::string_view s);
// 1-64 characters from [A-Za-z0-9._@-] (users and system admins).
bool IsUserName(std::string_view s);
// 1-128 Unicode characters (the text is valid UTF-8).
bool IsDisplayName(std::string_view s);
// 8-256 Unicode characters.
bool IsPasswordText(std::string_view s);
bool IsRole(std::string_view s);
bool IsFeature(std::string_view s);
// Agent, Place, AgentGroup or PlaceGroup.
bool IsDefinitionType(std::string_view s);
// A media type / channel name: [a-z][a-z0-9]{0,31}.
bool IsChannelName(std::string_view s);
// Names a contact center may not declare as custom media types.
bool IsReservedMediaType(std::string_view s);
// Whether `id` has the format of the kind's ids (32 hex for users, UUID else).
bool IsIdOf(ObjectKind kind, std::string_view id);

// The features a new contact center gets when none are given.
const std::vector<std::string>& DefaultFeatures();
// "must be one of ..." texts naming the accepted values.
std::string RoleChoices();
std::string FeatureChoices();
std::string DefinitionTypeChoices();

// Ids derived from names (uuid5 with the provisioning namespace).
std::string DerivedContactCenterId(std::string_view cc_name);
std::string DerivedSystemAdminId(std::string_view user_name);
std::string DerivedObjectId(ObjectKind kind, std::string_view cc_name,
                            std::string_view name);
std::string WorkbinInstanceId(std::string_view definition_id,
                              std::string_view owner_type,
                              std::string_view owner_id);
// A fresh random id of the kind's format, used when the derived id is
// already taken by an object created under an earlier name.
std::string RandomObjectId(ObjectKind kind);

}  // namespace workbind::domain
