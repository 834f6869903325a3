#include "app/settings_env.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <set>

namespace workbind::app {
namespace json = boost::json;
namespace {

constexpr std::string_view kPrefix = "WORKBIND_";

void AddLeaves(const json::object& obj, const std::string& at,
               std::vector<std::pair<std::string, json::value>>* out) {
  for (const auto& [k, v] : obj) {
    std::string pointer = at + "/" + std::string(k);
    if (v.is_object())
      AddLeaves(v.as_object(), pointer, out);
    else
      out->emplace_back(pointer, v);
  }
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// Reads `text` as a value of the kind of `like`; on failure returns the
// problem in `*problem`.
json::value ReadAs(const json::value& like, const std::string& text,
                   std::string* problem) {
  if (like.is_int64() || like.is_uint64()) {
    int64_t n = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, n);
    if (text.empty() || ec != std::errc() || ptr != end) {
      *problem = "must be an integer";
      return nullptr;
    }
    return n;
  }
  if (like.is_bool()) {
    if (text == "true") return true;
    if (text == "false") return false;
    *problem = "must be true or false";
    return nullptr;
  }
  if (like.is_array()) {
    std::string_view t = Trim(text);
    if (!t.empty() && t.front() == '[') {
      boost::system::error_code ec;
      json::value v = json::parse(t, ec);
      if (ec || !v.is_array()) {
        *problem = "must be a JSON array or a comma-separated list";
        return nullptr;
      }
      return v;  // the parser checks that the items are strings
    }
    json::array items;
    if (t.empty()) return items;
    while (true) {
      size_t comma = t.find(',');
      std::string_view item = Trim(t.substr(0, comma));
      if (item.empty()) {
        *problem = "has an empty item";
        return nullptr;
      }
      items.emplace_back(item);
      if (comma == std::string_view::npos) break;
      t.remove_prefix(comma + 1);
    }
    return items;
  }
  return json::string(text);
}

// True when `name` is one of `sections` or starts with one and "_".
bool NamesSection(const std::set<std::string>& sections,
                  const std::string& name) {
  size_t end = name.find('_', kPrefix.size());
  return sections.count(name.substr(0, end)) > 0;
}

}  // namespace

std::string EnvironmentName(std::string_view pointer) {
  std::string name(kPrefix);
  name.pop_back();  // each key adds its own "_"
  char previous = '/';
  for (char c : pointer) {
    if (c == '/') {
      name += '_';
    } else {
      if (std::isupper(static_cast<unsigned char>(c)) &&
          (std::islower(static_cast<unsigned char>(previous)) ||
           std::isdigit(static_cast<unsigned char>(previous))))
        name += '_';
      name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    previous = c;
  }
  return name;
}

std::map<std::string, std::string> WorkbindEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos ||
        entry.substr(0, kPrefix.size()) != kPrefix)
      continue;
    out.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
}

bool SetAtPointer(json::object* root, std::string_view pointer,
                  json::value value) {
  json::object* obj = root;
  pointer.remove_prefix(1);  // the leading "/"
  for (size_t slash; (slash = pointer.find('/')) != std::string_view::npos;
       pointer.remove_prefix(slash + 1)) {
    json::string_view key = pointer.substr(0, slash);
    json::value* next = obj->if_contains(key);
    if (!next) {
      (*obj)[key].emplace_object();
      next = obj->if_contains(key);
    }
    if (!next->is_object()) return false;
    obj = &next->as_object();
  }
  (*obj)[pointer] = std::move(value);
  return true;
}

std::vector<std::pair<std::string, json::value>> SettingLeaves(
    const json::object& keys) {
  std::vector<std::pair<std::string, json::value>> out;
  AddLeaves(keys, "", &out);
  return out;
}

std::vector<std::string> ApplyEnvironment(
    const std::map<std::string, std::string>& environment,
    const json::object& keys, json::object* root,
    std::map<std::string, std::string>* origin) {
  std::map<std::string, std::pair<std::string, json::value>> by_name;
  for (auto& [pointer, value] : SettingLeaves(keys))
    by_name.emplace(EnvironmentName(pointer),
                    std::make_pair(pointer, std::move(value)));
  // The variable names of the sections ("WORKBIND_SERVER", ...): a name of
  // a section, or starting with one and "_", is a setting's; other
  // WORKBIND_* names (WORKBIND_SQL_TRACE, the test tools' WORKBIND_BIN, ...)
  // are not settings and are left alone.
  std::set<std::string> sections;
  for (const auto& [key, value] : keys)
    sections.insert(EnvironmentName("/" + std::string(key)));
  std::vector<std::string> errors;
  for (const auto& [name, text] : environment) {
    if (!NamesSection(sections, name)) continue;
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      errors.push_back("settings: " + name + ": unknown setting");
      continue;
    }
    const auto& [pointer, like] = it->second;
    std::string problem;
    json::value v = ReadAs(like, text, &problem);
    if (!problem.empty()) {
      errors.push_back("settings: " + name + ": " + problem);
      continue;
    }
    if (SetAtPointer(root, pointer, std::move(v))) (*origin)[pointer] = name;
  }
  return errors;
}

}  // namespace workbind::app
