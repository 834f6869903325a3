// Settings given as environment variables (docs/configuration.md,
// "Environment variables"): the WORKBIND_* name of each settings key, and the
// reading of a variable's text as the kind of value its key holds. The keys
// and their kinds are not listed here: they come from the settings parser
// (SettingsToJson of the defaults), so every key it reads can be set this way.
// Pure functions, except WorkbindEnvironment.
#pragma once

#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace workbind::app {

// The name of the variable of the settings key at `pointer`: "WORKBIND_" and
// each key of the pointer in upper snake case (an "_" before each capital
// that follows a lower-case letter or a digit), joined by "_":
// "/http/maxBodyBytes" -> "WORKBIND_HTTP_MAX_BODY_BYTES".
std::string EnvironmentName(std::string_view pointer);

// The process's environment variables whose name starts with "WORKBIND_".
std::map<std::string, std::string> WorkbindEnvironment();

// Sets `value` at `pointer` ("/a/b/c", keys without '/' or '~') in `root`,
// creating the objects on its path. Returns false, changing nothing, when a
// value on the path is not an object (the parser reports that one).
bool SetAtPointer(boost::json::object* root, std::string_view pointer,
                  boost::json::value value);

// Applies the WORKBIND_* variables of `environment` over `root` (the
// settings file's object). `keys` is the object of every settings key
// (SettingsToJson): a variable whose name is that of a section
// ("WORKBIND_SERVER", "WORKBIND_HTTP", ...) or starts with one and "_" must be
// the EnvironmentName of one of its leaves; other WORKBIND_* variables are
// not settings and are left alone (WORKBIND_SQL_TRACE, the test tools'
// WORKBIND_BIN, ...). Its text is read as that leaf's kind: a string as it is;
// an integer in decimal ("-" allowed, nothing else); a boolean as "true" or
// "false"; a string list as a JSON array, or as items separated by commas
// (spaces around an item dropped; an empty text is an empty list). Records in
// `origin` the pointer of each key set and the variable's name. Returns one
// line per variable that could not be applied, "settings: <NAME>: <problem>":
// "unknown setting", "must be an integer", "must be true or false", "must be
// a JSON array or a comma-separated list", "has an empty item". Ranges and
// other rules are the parser's, which checks the result like a file.
std::vector<std::string> ApplyEnvironment(
    const std::map<std::string, std::string>& environment,
    const boost::json::object& keys, boost::json::object* root,
    std::map<std::string, std::string>* origin);

// Every leaf of `keys` (a settings object) as (pointer, value), in order.
std::vector<std::pair<std::string, boost::json::value>> SettingLeaves(
    const boost::json::object& keys);

}  // namespace workbind::app
