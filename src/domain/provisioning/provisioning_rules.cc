#include "domain/provisioning/provisioning_rules.h"

#include "common/ids.h"

namespace workbind::domain {
namespace {

constexpr std::string_view kRoles[] = {kRoleAgent, kRoleSupervisor, kRoleAdmin,
                                       kRoleApiUser};
constexpr std::string_view kFeatures[] = {
    "api-multimedia", "api-supervisor-agent-control", "api-provisioning-read",
    "api-provisioning-write"};
constexpr std::string_view kDefinitionTypes[] = {"Agent", "Place", "AgentGroup",
                                                 "PlaceGroup"};
constexpr std::string_view kReservedMedia[] = {
    "email",     "chat",     "workitem",        "openmedia",       "voice",
    "tweet",     "facebook", "facebooksession", "emails",          "chats",
    "workitems", "tweets",   "facebooks",       "facebooksessions"};

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

bool AllOf(std::string_view s, size_t max, std::string_view extra) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!IsAlnum(c) && extra.find(c) == std::string_view::npos) return false;
  return true;
}

// Number of code points of valid UTF-8 text.
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

template <size_t N>
bool OneOf(const std::string_view (&set)[N], std::string_view s) {
  for (auto v : set)
    if (v == s) return true;
  return false;
}

template <size_t N>
std::string Join(const std::string_view (&set)[N]) {
  std::string out;
  for (auto v : set) {
    if (!out.empty()) out += ", ";
    out += v;
  }
  return out;
}

}  // namespace

std::string_view KindLabel(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kUser:
      return "user";
    case ObjectKind::kPlace:
      return "place";
    case ObjectKind::kPlaceGroup:
      return "place group";
    case ObjectKind::kAgentGroup:
      return "agent group";
    case ObjectKind::kQueue:
      return "queue";
    case ObjectKind::kWorkbinDefinition:
      return "workbin definition";
  }
  return "object";
}

std::string KindPath(ObjectKind kind, std::string_view id) {
  std::string_view collection;
  switch (kind) {
    case ObjectKind::kUser:
      collection = "/users/";
      break;
    case ObjectKind::kPlace:
      collection = "/places/";
      break;
    case ObjectKind::kPlaceGroup:
      collection = "/place-groups/";
      break;
    case ObjectKind::kAgentGroup:
      collection = "/agent-groups/";
      break;
    case ObjectKind::kQueue:
      collection = "/queues/";
      break;
    case ObjectKind::kWorkbinDefinition:
      collection = "/workbin-definitions/";
      break;
  }
  return std::string(collection) + std::string(id);
}

bool IsObjectName(std::string_view s) { return AllOf(s, 64, "._-"); }
bool IsContactCenterName(std::string_view s) { return AllOf(s, 64, "_-"); }
bool IsUserName(std::string_view s) { return AllOf(s, 64, "._@-"); }

bool IsDisplayName(std::string_view s) {
  size_t n = CodePoints(s);
  return n >= 1 && n <= 128;
}

bool IsPasswordText(std::string_view s) {
  size_t n = CodePoints(s);
  return n >= 8 && n <= 256;
}

bool IsRole(std::string_view s) { return OneOf(kRoles, s); }
bool IsFeature(std::string_view s) { return OneOf(kFeatures, s); }
bool IsDefinitionType(std::string_view s) { return OneOf(kDefinitionTypes, s); }

bool IsChannelName(std::string_view s) {
  if (s.empty() || s.size() > 32 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

bool IsReservedMediaType(std::string_view s) {
  return OneOf(kReservedMedia, s);
}

bool IsIdOf(ObjectKind kind, std::string_view id) {
  return kind == ObjectKind::kUser ? ids::IsHex32(id) : ids::IsUuid(id);
}

const std::vector<std::string>& DefaultFeatures() {
  static const std::vector<std::string> features(std::begin(kFeatures),
                                                 std::end(kFeatures));
  return features;
}

std::string RoleChoices() { return Join(kRoles); }
std::string FeatureChoices() { return Join(kFeatures); }
std::string DefinitionTypeChoices() { return Join(kDefinitionTypes); }

std::string DerivedContactCenterId(std::string_view cc_name) {
  return ids::Derive("contact-center/" + std::string(cc_name));
}

std::string DerivedSystemAdminId(std::string_view user_name) {
  return ids::StripDashes(
      ids::Derive("system-admin/" + std::string(user_name)));
}

std::string DerivedObjectId(ObjectKind kind, std::string_view cc_name,
                            std::string_view name) {
  std::string prefix;
  switch (kind) {
    case ObjectKind::kUser:
      prefix = "user/";
      break;
    case ObjectKind::kPlace:
      prefix = "place/";
      break;
    case ObjectKind::kPlaceGroup:
      prefix = "place-group/";
      break;
    case ObjectKind::kAgentGroup:
      prefix = "agent-group/";
      break;
    case ObjectKind::kQueue:
      prefix = "queue/";
      break;
    case ObjectKind::kWorkbinDefinition:
      prefix = "workbin-definition/";
      break;
  }
  std::string id =
      ids::Derive(prefix + std::string(cc_name) + "/" + std::string(name));
  return kind == ObjectKind::kUser ? ids::StripDashes(id) : id;
}

std::string WorkbinInstanceId(std::string_view definition_id,
                              std::string_view owner_type,
                              std::string_view owner_id) {
  return ids::Derive("workbin/" + std::string(definition_id) + "/" +
                     std::string(owner_type) + "/" + std::string(owner_id));
}

std::string RandomObjectId(ObjectKind kind) {
  std::string id = ids::RandomUuid4();
  return kind == ObjectKind::kUser ? ids::StripDashes(id) : id;
}

}  // namespace workbind::domain
