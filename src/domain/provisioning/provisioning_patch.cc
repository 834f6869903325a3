#include "domain/provisioning/provisioning_patch.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/directory/password.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

using Validator = bool (*)(std::string_view);

constexpr char kNameFormat[] = "must be 1-64 characters from [A-Za-z0-9._-]";
constexpr char kCcNameFormat[] = "must be 1-64 characters from [A-Za-z0-9_-]";
constexpr char kUserNameFormat[] =
    "must be 1-64 characters from [A-Za-z0-9._@-]";
constexpr char kDisplayNameFormat[] = "must be 1-128 characters";

bool AnyText(std::string_view) { return true; }

// Reads the fields of one JSON object, reporting problems under `at`.
// `prefix` is the dotted path of the object in REST messages
// ("settings.routing.").
class Reader {
 public:
  Reader(const json::object& o, std::string at, std::string prefix,
         ProvisioningIssues* issues)
      : o_(o),
        at_(std::move(at)),
        prefix_(std::move(prefix)),
        issues_(issues) {}

  const json::value* Find(std::string_view key) const {
    return o_.if_contains(key);
  }
  std::string Pointer(std::string_view key) const {
    return PointerJoin(at_, key);
  }
  std::string Field(std::string_view key) const {
    return prefix_ + std::string(key);
  }

  void Invalid(std::string_view key, std::string problem) {
    issues_->Invalid(Pointer(key), Field(key), std::move(problem));
  }

  // Reports every key not in `known` (strict decoding only).
  void RejectUnknown(Strictness strictness,
                     const std::vector<std::string_view>& known,
                     const std::vector<std::string_view>& extra = {}) {
    if (strictness != Strictness::kStrict) return;
    for (const auto& kv : o_) {
      std::string_view key = kv.key();
      if (std::find(known.begin(), known.end(), key) == known.end() &&
          std::find(extra.begin(), extra.end(), key) == extra.end()) {
        issues_->UnknownKey(at_, key);
      }
    }
  }

  std::optional<std::string> String(std::string_view key,
                                    Validator valid = AnyText,
                                    const char* format_problem = "") {
    const json::value* v = Find(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      Invalid(key, "must be a string");
      return std::nullopt;
    }
    std::string s(v->as_string());
    if (!valid(s)) {
      Invalid(key, format_problem);
      return std::nullopt;
    }
    return s;
  }

  // Like String, but null is accepted and means "clear".
  std::optional<std::optional<std::string>> NullableString(
      std::string_view key, Validator valid = AnyText,
      const char* format_problem = "") {
    const json::value* v = Find(key);
    if (!v) return std::nullopt;
    if (v->is_null()) return std::optional<std::string>();
    auto s = String(key, valid, format_problem);
    if (!s) return std::nullopt;
    return std::optional<std::string>(std::move(*s));
  }

  // An explicit id: 32 lowercase hex digits for users, a UUID otherwise.
  std::optional<std::string> Id(bool user_format) {
    const json::value* v = Find("id");
    if (!v) return std::nullopt;
    const char* problem = user_format ? "must be 32 lowercase hex digits"
                                      : "must be a lowercase UUID with dashes";
    if (!v->is_string() ||
        !IsIdOf(user_format ? ObjectKind::kUser : ObjectKind::kPlace,
                v->as_string())) {
      Invalid("id", problem);
      return std::nullopt;
    }
    return std::string(v->as_string());
  }

  std::optional<bool> Bool(std::string_view key) {
    const json::value* v = Find(key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) {
      Invalid(key, "must be a boolean");
      return std::nullopt;
    }
    return v->as_bool();
  }

  std::optional<int> Int(std::string_view key, int lo, int hi) {
    const json::value* v = Find(key);
    if (!v) return std::nullopt;
    std::string range = "must be an integer from " + std::to_string(lo) +
                        " to " + std::to_string(hi);
    int64_t n = 0;
    if (v->is_int64()) {
      n = v->as_int64();
    } else if (v->is_uint64()) {
      n = INT64_MAX;
    } else {
      Invalid(key, range);
      return std::nullopt;
    }
    if (n < lo || n > hi) {
      Invalid(key, range);
      return std::nullopt;
    }
    return static_cast<int>(n);
  }

  // An array of strings; each item is checked with `item_ok` and a failing
  // item is reported at its own pointer by `item_problem(item)`. Duplicates
  // are dropped, first occurrence kept.
  template <typename ItemProblem>
  std::optional<std::vector<std::string>> StringArray(
      std::string_view key, Validator item_ok, ItemProblem item_problem) {
    const json::value* v = Find(key);
    if (!v) return std::nullopt;
    if (!v->is_array()) {
      Invalid(key, "must be an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    const json::array& a = v->as_array();
    for (size_t i = 0; i < a.size(); ++i) {
      std::string item_ptr = PointerJoin(Pointer(key), i);
      if (!a[i].is_string()) {
        issues_->Invalid(item_ptr, Field(key), "must be an array of strings");
        ok = false;
        continue;
      }
      std::string s(a[i].as_string());
      if (!item_ok(s)) {
        issues_->Add(Code::kInvalidArgument, item_ptr, Field(key),
                     item_problem(s));
        ok = false;
        continue;
      }
      if (std::find(out.begin(), out.end(), s) == out.end())
        out.push_back(std::move(s));
    }
    if (!ok) return std::nullopt;
    return out;
  }

  // A name list (group members, places, owners): items are names of the
  // given format (checked loosely; unknown names fail as references later).
  std::optional<std::vector<std::string>> NameArray(std::string_view key,
                                                    Validator valid) {
    return StringArray(key, valid, [](const std::string& s) {
      return "'" + s + "' is not a valid name";
    });
  }

  // channel -> integer 0-100.
  std::optional<CapacityMap> Capacity(std::string_view key) {
    const json::value* v = Find(key);
    if (!v) return std::nullopt;
    if (!v->is_object()) {
      Invalid(key,
              "must be an object of channel names to integers from 0 to 100");
      return std::nullopt;
    }
    CapacityMap out;
    bool ok = true;
    for (const auto& kv : v->as_object()) {
      std::string channel(kv.key());
      std::string item_ptr = PointerJoin(Pointer(key), channel);
      if (!IsChannelName(channel)) {
        issues_->Add(Code::kInvalidArgument, item_ptr, Field(key),
                     "'" + channel + "' is not a valid channel name");
        ok = false;
        continue;
      }
      const json::value& n = kv.value();
      if (!n.is_int64() || n.as_int64() < 0 || n.as_int64() > 100) {
        issues_->Invalid(item_ptr, Field(key) + "." + channel,
                         "must be an integer from 0 to 100");
        ok = false;
        continue;
      }
      out[channel] = static_cast<int>(n.as_int64());
    }
    if (!ok) return std::nullopt;
    return out;
  }

  // An object member, or nullptr (reported) when present but not an object.
  const json::object* Object(std::string_view key) {
    const json::value* v = Find(key);
    if (!v) return nullptr;
    if (!v->is_object()) {
      Invalid(key, "must be an object");
      return nullptr;
    }
    return &v->as_object();
  }

  ProvisioningIssues* issues() { return issues_; }

 private:
  const json::object& o_;
  std::string at_;
  std::string prefix_;
  ProvisioningIssues* issues_;
};

bool IsCustomMediaType(std::string_view s) {
  return IsChannelName(s) && !IsReservedMediaType(s);
}

void DecodePasswords(Reader& r, std::optional<std::string>* password,
                     std::optional<std::string>* hash) {
  *password = r.String("password", IsPasswordText, "must be 8-256 characters");
  *hash = r.String("passwordHash", IsArgon2idHash,
                   "must be an Argon2id PHC string");
  if (r.Find("password") && r.Find("passwordHash"))
    r.Invalid("passwordHash", "must not be given together with 'password'");
}

}  // namespace

ContactCenterPatch DecodeContactCenter(
    const json::object& o, const std::string& at, Strictness strictness,
    ProvisioningIssues* issues,
    const std::vector<std::string_view>& extra_keys) {
  Reader r(o, at, "", issues);
  r.RejectUnknown(
      strictness,
      {"id", "name", "displayName", "features", "mediaTypes", "settings"},
      extra_keys);
  ContactCenterPatch p;
  p.id = r.Id(/*user_format=*/false);
  p.name = r.String("name", IsContactCenterName, kCcNameFormat);
  p.display_name = r.String("displayName", IsDisplayName, kDisplayNameFormat);
  p.features = r.StringArray("features", IsFeature, [](const std::string& s) {
    return "unknown feature '" + s + "' (accepted: " + FeatureChoices() + ")";
  });
  p.media_types =
      r.StringArray("mediaTypes", IsCustomMediaType, [](const std::string& s) {
        return IsReservedMediaType(s)
                   ? "'" + s + "' is a reserved media type name"
                   : "'" + s +
                         "' is not a valid media type name "
                         "([a-z][a-z0-9]{0,31})";
      });
  if (const json::object* settings = r.Object("settings")) {
    Reader s(*settings, PointerJoin(at, "settings"), "settings.", issues);
    s.RejectUnknown(strictness, {"routing"});
    if (const json::object* routing = s.Object("routing")) {
      Reader rt(*routing, PointerJoin(PointerJoin(at, "settings"), "routing"),
                "settings.routing.", issues);
      rt.RejectUnknown(strictness,
                       {"offerTimeoutSeconds", "capacity",
                        "declineCooldownSeconds", "lastAgentWaitSeconds"});
      p.offer_timeout_seconds = rt.Int("offerTimeoutSeconds", 1, 3600);
      p.capacity = rt.Capacity("capacity");
      p.decline_cooldown_seconds = rt.Int("declineCooldownSeconds", 0, 86400);
      p.last_agent_wait_seconds = rt.Int("lastAgentWaitSeconds", 0, 3600);
    }
  }
  return p;
}

SystemAdminPatch DecodeSystemAdmin(const json::object& o, const std::string& at,
                                   Strictness strictness,
                                   ProvisioningIssues* issues) {
  Reader r(o, at, "", issues);
  r.RejectUnknown(strictness, {"userName", "password", "passwordHash"});
  SystemAdminPatch p;
  p.user_name = r.String("userName", IsUserName, kUserNameFormat);
  DecodePasswords(r, &p.password, &p.password_hash);
  return p;
}

UserPatch DecodeUser(const json::object& o, const std::string& at,
                     Strictness strictness, ProvisioningIssues* issues) {
  Reader r(o, at, "", issues);
  r.RejectUnknown(strictness, {"id", "userName", "password", "passwordHash",
                               "firstName", "lastName", "emailAddress", "roles",
                               "enabled", "defaultPlace", "capacity"});
  UserPatch p;
  p.id = r.Id(/*user_format=*/true);
  p.user_name = r.String("userName", IsUserName, kUserNameFormat);
  DecodePasswords(r, &p.password, &p.password_hash);
  p.first_name = r.String("firstName");
  p.last_name = r.String("lastName");
  p.email_address = r.NullableString("emailAddress");
  p.roles = r.StringArray("roles", IsRole, [](const std::string& s) {
    return "unknown role '" + s + "' (accepted: " + RoleChoices() + ")";
  });
  if (p.roles && p.roles->empty()) {
    r.Invalid("roles", "must be a non-empty array of roles");
    p.roles.reset();
  }
  p.enabled = r.Bool("enabled");
  p.default_place = r.NullableString("defaultPlace", IsObjectName, kNameFormat);
  if (const json::value* v = r.Find("capacity")) {
    if (v->is_null()) {
      p.capacity = std::optional<CapacityMap>();
    } else if (auto cap = r.Capacity("capacity")) {
      p.capacity = std::optional<CapacityMap>(std::move(*cap));
    }
  }
  return p;
}

PlacePatch DecodePlace(const json::object& o, const std::string& at,
                       Strictness strictness, ProvisioningIssues* issues) {
  Reader r(o, at, "", issues);
  r.RejectUnknown(strictness, {"id", "name"});
  PlacePatch p;
  p.id = r.Id(/*user_format=*/false);
  p.name = r.String("name", IsObjectName, kNameFormat);
  return p;
}

PlaceGroupPatch DecodePlaceGroup(const json::object& o, const std::string& at,
                                 Strictness strictness,
                                 ProvisioningIssues* issues) {
  Reader r(o, at, "", issues);
  r.RejectUnknown(strictness, {"id", "name", "places"});
  PlaceGroupPatch p;
  p.id = r.Id(/*user_format=*/false);
  p.name = r.String("name", IsObjectName, kNameFormat);
  p.places = r.NameArray("places", IsObjectName);
  return p;
}

AgentGroupPatch DecodeAgentGroup(const json::object& o, const std::string& at,
                                 Strictness strictness,
                                 ProvisioningIssues* issues) {
  Reader r(o, at, "", issues);
  r.RejectUnknown(strictness, {"id", "name", "agents", "supervisors"});
  AgentGroupPatch p;
  p.id = r.Id(/*user_format=*/false);
  p.name = r.String("name", IsObjectName, kNameFormat);
  p.agents = r.NameArray("agents", IsUserName);
  p.supervisors = r.NameArray("supervisors", IsUserName);
  return p;
}

QueuePatch DecodeQueue(const json::object& o, const std::string& at,
                       Strictness strictness, ProvisioningIssues* issues) {
  Reader r(o, at, "", issues);
  r.RejectUnknown(strictness, {"id", "name", "description", "agentGroup"});
  QueuePatch p;
  p.id = r.Id(/*user_format=*/false);
  p.name = r.String("name", IsObjectName, kNameFormat);
  p.description = r.String("description");
  p.agent_group = r.String("agentGroup", IsObjectName, kNameFormat);
  return p;
}

DefinitionPatch DecodeDefinition(const json::object& o, const std::string& at,
                                 Strictness strictness,
                                 ProvisioningIssues* issues) {
  Reader r(o, at, "", issues);
  r.RejectUnknown(strictness, {"id", "name", "displayName", "type", "owners"});
  DefinitionPatch p;
  p.id = r.Id(/*user_format=*/false);
  p.name = r.String("name", IsObjectName, kNameFormat);
  p.display_name = r.String("displayName", IsDisplayName, kDisplayNameFormat);
  static const std::string kTypeProblem =
      "must be one of " + DefinitionTypeChoices();
  p.type = r.String("type", IsDefinitionType, kTypeProblem.c_str());
  if (const json::value* v = r.Find("owners")) {
    if (v->is_null()) {
      p.owners = std::optional<std::vector<std::string>>();
    } else {
      // Owners are user names or object names depending on the type.
      auto owners = r.NameArray("owners", IsUserName);
      if (owners)
        p.owners = std::optional<std::vector<std::string>>(std::move(*owners));
    }
  }
  return p;
}

void RequireKeys(const json::object& o, const std::string& at,
                 const std::vector<std::string_view>& required,
                 ProvisioningIssues* issues) {
  for (auto key : required)
    if (!o.contains(key)) issues->Missing(at, key);
}

std::vector<std::string_view> RequiredKeys(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kUser:
      return {"userName", "roles"};
    case ObjectKind::kQueue:
      return {"name", "agentGroup"};
    case ObjectKind::kWorkbinDefinition:
      return {"name", "type"};
    default:
      return {"name"};
  }
}

void RequirePassword(const json::object& o, const std::string& at,
                     ProvisioningIssues* issues) {
  if (!o.contains("password") && !o.contains("passwordHash"))
    issues->Missing(at, "password");
}

}  // namespace workbind::domain
