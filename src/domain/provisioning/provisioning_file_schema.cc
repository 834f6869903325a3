#include "domain/provisioning/provisioning_file_schema.h"

#include <boost/json.hpp>

namespace workbind::domain {
namespace json = boost::json;
namespace {

const std::string& PatchName(const UserPatch& p) {
  static const std::string kNone;
  return p.user_name ? *p.user_name : kNone;
}
template <typename P>
const std::string& PatchName(const P& p) {
  static const std::string kNone;
  return p.name ? *p.name : kNone;
}

std::string_view NameKey(ObjectKind kind) {
  return kind == ObjectKind::kUser ? "userName" : "name";
}

// Remembers names and ids seen so far, reporting the second occurrence.
class DuplicateTracker {
 public:
  // Returns false (and reports) when `value` was seen before.
  bool Note(const std::string& value, const std::string& pointer,
            std::string_view what, ProvisioningIssues* issues) {
    if (value.empty()) return true;
    if (seen_.insert(value).second) return true;
    std::string problem = "duplicate " + std::string(what) + " '" + value + "'";
    issues->AddWithMessage(Code::kAlreadyExists, pointer, problem, problem);
    return false;
  }

 private:
  std::set<std::string> seen_;
};

// The position of byte `offset` as "line L, column C" (1-based).
std::string Position(const std::string& text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

template <typename Patch, typename Decode>
void DecodeArray(const json::object& parent, std::string_view key,
                 const std::string& at, ObjectKind kind, Decode decode,
                 FileContactCenter* cc, DuplicateTracker* user_names,
                 ProvisioningIssues* issues,
                 std::vector<FileEntry<Patch>>* out) {
  const json::value* v = parent.if_contains(key);
  if (!v) return;
  std::string array_at = PointerJoin(at, key);
  if (!v->is_array()) {
    issues->Invalid(array_at, key, "must be an array of objects");
    return;
  }
  DuplicateTracker names, ids;
  const json::array& a = v->as_array();
  for (size_t i = 0; i < a.size(); ++i) {
    std::string item_at = PointerJoin(array_at, i);
    if (!a[i].is_object()) {
      issues->Invalid(item_at, key, "must be an object");
      continue;
    }
    const json::object& o = a[i].as_object();
    size_t before = issues->size();
    FileEntry<Patch> e;
    e.at = item_at;
    e.patch = decode(o, item_at, Strictness::kStrict, issues);
    RequireKeys(o, item_at, RequiredKeys(kind), issues);
    e.has_password = o.contains("password") || o.contains("passwordHash");
    const std::string& name = PatchName(e.patch);
    std::string name_ptr = PointerJoin(item_at, NameKey(kind));
    if (kind == ObjectKind::kUser)
      user_names->Note(name, name_ptr, "userName", issues);
    else
      names.Note(name, name_ptr, "name", issues);
    if (e.patch.id)
      ids.Note(*e.patch.id, PointerJoin(item_at, "id"), "id", issues);
    e.broken = issues->size() != before;
    if (!name.empty()) {
      cc->names[kind].insert(name);
      if (e.broken) cc->broken_names[kind].insert(name);
    } else if (const json::value* raw = o.if_contains(NameKey(kind));
               raw && raw->is_string()) {
      // A badly formatted name still counts as given, so references to it
      // are not reported a second time.
      cc->names[kind].insert(std::string(raw->as_string()));
      cc->broken_names[kind].insert(std::string(raw->as_string()));
    }
    out->push_back(std::move(e));
  }
}

void ParseContactCenter(const json::object& o, const std::string& at,
                        DuplicateTracker* user_names,
                        ProvisioningIssues* issues, FileContactCenter* cc) {
  cc->at = at;
  cc->patch = DecodeContactCenter(
      o, at, Strictness::kStrict, issues,
      {"users", "places", "placeGroups", "agentGroups", "queues", "workbins"});
  RequireKeys(o, at, {"name"}, issues);
  DecodeArray(o, "places", at, ObjectKind::kPlace, DecodePlace, cc, user_names,
              issues, &cc->places);
  DecodeArray(o, "placeGroups", at, ObjectKind::kPlaceGroup, DecodePlaceGroup,
              cc, user_names, issues, &cc->place_groups);
  DecodeArray(o, "users", at, ObjectKind::kUser, DecodeUser, cc, user_names,
              issues, &cc->users);
  DecodeArray(o, "agentGroups", at, ObjectKind::kAgentGroup, DecodeAgentGroup,
              cc, user_names, issues, &cc->agent_groups);
  DecodeArray(o, "queues", at, ObjectKind::kQueue, DecodeQueue, cc, user_names,
              issues, &cc->queues);
  DecodeArray(o, "workbins", at, ObjectKind::kWorkbinDefinition,
              DecodeDefinition, cc, user_names, issues, &cc->workbins);
}

}  // namespace

ProvisioningFileModel ParseProvisioningFile(const std::string& text,
                                            ProvisioningIssues* issues) {
  ProvisioningFileModel model;
  json::stream_parser parser;
  boost::system::error_code ec;
  size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    size_t offset = consumed < text.size() ? consumed : text.size();
    issues->AddWithMessage(
        Code::kInvalidArgument, "",
        "malformed JSON at " + Position(text, offset) + ": " + ec.message(),
        "Malformed JSON at byte " + std::to_string(offset) + ": " +
            ec.message());
    return model;
  }
  json::value root = parser.release();
  if (!root.is_object()) {
    issues->AddWithMessage(Code::kInvalidArgument, "",
                           "the file must hold a JSON object",
                           "The file must hold a JSON object");
    return model;
  }
  model.parsed = true;
  const json::object& top = root.as_object();
  for (const auto& kv : top) {
    std::string_view key = kv.key();
    if (key != "version" && key != "systemAdmins" && key != "contactCenters")
      issues->UnknownKey("", key);
  }
  if (const json::value* v = top.if_contains("version")) {
    if (!v->is_int64() || v->as_int64() != 1)
      issues->Invalid("/version", "version", "must be 1");
  } else {
    issues->Missing("", "version");
  }

  DuplicateTracker user_names;
  if (const json::value* v = top.if_contains("systemAdmins")) {
    if (!v->is_array()) {
      issues->Invalid("/systemAdmins", "systemAdmins",
                      "must be an array of objects");
    } else {
      const json::array& a = v->as_array();
      for (size_t i = 0; i < a.size(); ++i) {
        std::string at = PointerJoin("/systemAdmins", i);
        if (!a[i].is_object()) {
          issues->Invalid(at, "systemAdmins", "must be an object");
          continue;
        }
        const json::object& o = a[i].as_object();
        size_t before = issues->size();
        FileEntry<SystemAdminPatch> e;
        e.at = at;
        e.patch = DecodeSystemAdmin(o, at, Strictness::kStrict, issues);
        RequireKeys(o, at, {"userName"}, issues);
        RequirePassword(o, at, issues);
        e.has_password = true;
        if (e.patch.user_name)
          user_names.Note(*e.patch.user_name, PointerJoin(at, "userName"),
                          "userName", issues);
        e.broken = issues->size() != before;
        model.system_admins.push_back(std::move(e));
      }
    }
  }

  const json::value* centers = top.if_contains("contactCenters");
  if (!centers) {
    issues->Missing("", "contactCenters");
    return model;
  }
  if (!centers->is_array()) {
    issues->Invalid("/contactCenters", "contactCenters",
                    "must be an array of objects");
    return model;
  }
  DuplicateTracker cc_names, cc_ids;
  const json::array& a = centers->as_array();
  for (size_t i = 0; i < a.size(); ++i) {
    std::string at = PointerJoin("/contactCenters", i);
    if (!a[i].is_object()) {
      issues->Invalid(at, "contactCenters", "must be an object");
      continue;
    }
    FileContactCenter cc;
    ParseContactCenter(a[i].as_object(), at, &user_names, issues, &cc);
    if (cc.patch.name)
      cc_names.Note(*cc.patch.name, PointerJoin(at, "name"), "name", issues);
    if (cc.patch.id)
      cc_ids.Note(*cc.patch.id, PointerJoin(at, "id"), "id", issues);
    model.contact_centers.push_back(std::move(cc));
  }
  return model;
}

}  // namespace workbind::domain
