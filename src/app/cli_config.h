// The `workbind config check` and `workbind config show` subcommands, the
// --help text on where settings come from, and what `show` needs: the
// masking of secrets and an indented JSON writer. Nothing here opens a
// database or a port.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "app/settings.h"

namespace CLI {
class App;
}

namespace workbind::app {

// The "config" subcommand of a CLI11 app, with "check" and "show". Each reads
// the flags of the app it was added to (--config, --listen, ...), also when
// they come after it. Thread-compatible; `cli` must outlive it.
class ConfigCommand {
 public:
  explicit ConfigCommand(CLI::App* cli);

  // True when the parsed command line chose "config check" or "config show".
  bool Chosen() const;

  // Runs the chosen subcommand with `overrides` (the flags and the WORKBIND_*
  // variables, as the server would load them). Returns the exit status: 0,
  // or 2 with one line per problem on `err` when a setting (or, for check,
  // the provisioning file's structure) is wrong.
  //   check: "settings: ok (<file>)" on `out`; with provisioning.file, also
  //          its syntax and structure (references need the database and are
  //          checked at start).
  //   show:  the effective settings as indented JSON on `out`, in the shape
  //          of the settings file, secrets masked (MaskSecrets).
  int Run(const Overrides& overrides, std::ostream& out,
          std::ostream& err) const;

 private:
  const CLI::App* check_;
  const CLI::App* show_;
};

// The --help text after the options: precedence, the WORKBIND_* rule.
std::string SettingsHelp();

// What a masked value is replaced with.
inline constexpr std::string_view kMasked = "****";

// Replaces secrets in `settings` (an object shaped like the settings file)
// with kMasked: the password of every "dsn" value (MaskDsnPassword), and the
// string values of every key whose name contains "password", "secret" or
// "privateKey" (any case), unless it ends in "File", "Path" or "Dir" (the
// place of a secret is not one). Empty strings stay empty. Returns how many
// values were masked.
int MaskSecrets(boost::json::object* settings);

// The libpq connection string `dsn` with its password replaced by kMasked:
// in a URI ("postgresql://user:pw@host/db", "postgres://...") the password
// of the user information and a "password=" query parameter; in key=value
// form the value of the "password" key (quoted or not). A key=value string
// that cannot be read is masked whole.
std::string MaskDsnPassword(std::string_view dsn);

// `v` as JSON indented by two spaces, keys in their order, no final newline.
std::string PrettyJson(const boost::json::value& v);

}  // namespace workbind::app
