#include "app/cli_config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "domain/provisioning/provisioning_file_schema.h"

namespace workbind::app {
namespace json = boost::json;
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(c));
  return out;
}

bool EndsWith(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

bool IsSecretKey(std::string_view key) {
  std::string k = Lower(key);
  if (EndsWith(k, "file") || EndsWith(k, "path") || EndsWith(k, "dir"))
    return false;
  return k.find("password") != std::string::npos ||
         k.find("secret") != std::string::npos ||
         k.find("privatekey") != std::string::npos;
}

int MaskValue(json::value* v) {
  if (v->is_string() && !v->as_string().empty()) {
    *v = kMasked;
    return 1;
  }
  int n = 0;
  if (v->is_array())
    for (auto& e : v->as_array()) n += MaskValue(&e);
  return n;
}

// Replaces [begin, end) spans of `s`, the last first.
std::string Replace(std::string_view s,
                    std::vector<std::pair<size_t, size_t>> spans) {
  std::string out(s);
  std::sort(spans.rbegin(), spans.rend());
  for (const auto& [begin, end] : spans)
    out.replace(begin, end - begin, kMasked);
  return out;
}

std::string MaskUri(std::string_view dsn, size_t start) {
  std::vector<std::pair<size_t, size_t>> spans;
  size_t authority_end = dsn.find_first_of("/?#", start);
  if (authority_end == std::string_view::npos) authority_end = dsn.size();
  size_t at = dsn.substr(0, authority_end).rfind('@');
  if (at != std::string_view::npos && at >= start) {
    size_t colon = dsn.find(':', start);
    if (colon < at) spans.emplace_back(colon + 1, at);
  }
  size_t query = dsn.find('?', start);
  if (query != std::string_view::npos) {
    size_t end = dsn.find('#', query);
    if (end == std::string_view::npos) end = dsn.size();
    for (size_t p = query + 1; p < end;) {
      size_t amp = std::min(dsn.find('&', p), end);
      std::string_view param = dsn.substr(p, amp - p);
      if (param.substr(0, 9) == "password=" && param.size() > 9)
        spans.emplace_back(p + 9, amp);
      p = amp + 1;
    }
  }
  return Replace(dsn, std::move(spans));
}

bool Space(char c) { return std::isspace(static_cast<unsigned char>(c)); }

// The key=value form (libpq "keyword/value connection strings").
std::string MaskKeyValues(std::string_view dsn) {
  std::vector<std::pair<size_t, size_t>> spans;
  size_t i = 0, n = dsn.size();
  auto skip_spaces = [&] {
    while (i < n && Space(dsn[i])) ++i;
  };
  while (true) {
    skip_spaces();
    if (i == n) break;
    size_t key_start = i;
    while (i < n && !Space(dsn[i]) && dsn[i] != '=') ++i;
    std::string_view key = dsn.substr(key_start, i - key_start);
    skip_spaces();
    if (i == n || dsn[i] != '=' || key.empty()) return std::string(kMasked);
    ++i;
    skip_spaces();
    size_t value_start = i;
    if (i < n && dsn[i] == '\'') {
      for (++i; i < n && dsn[i] != '\''; ++i)
        if (dsn[i] == '\\') ++i;
      if (i >= n) return std::string(kMasked);
      ++i;  // the closing quote
    } else {
      for (; i < n && !Space(dsn[i]); ++i)
        if (dsn[i] == '\\') ++i;
      i = std::min(i, n);
    }
    if (key == "password" && i > value_start)
      spans.emplace_back(value_start, i);
  }
  return Replace(dsn, std::move(spans));
}

void Indent(std::string* out, int depth) {
  out->push_back('\n');
  out->append(static_cast<size_t>(depth) * 2, ' ');
}

void Pretty(const json::value& v, int depth, std::string* out) {
  if (v.is_object() && !v.as_object().empty()) {
    out->push_back('{');
    bool first = true;
    for (const auto& [k, e] : v.as_object()) {
      if (!first) out->push_back(',');
      first = false;
      Indent(out, depth + 1);
      out->append(json::serialize(json::string_view(k)));
      out->append(": ");
      Pretty(e, depth + 1, out);
    }
    Indent(out, depth);
    out->push_back('}');
  } else if (v.is_array() && !v.as_array().empty()) {
    out->push_back('[');
    bool first = true;
    for (const auto& e : v.as_array()) {
      if (!first) out->push_back(',');
      first = false;
      Indent(out, depth + 1);
      Pretty(e, depth + 1, out);
    }
    Indent(out, depth);
    out->push_back(']');
  } else {
    out->append(json::serialize(v));
  }
}

// The provisioning file's first pass (no database): its problem lines.
std::vector<std::string> CheckProvisioningFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return {"provisioning: cannot read " + path};
  domain::ProvisioningIssues issues;
  domain::ParseProvisioningFile(text.str(), &issues);
  return issues.Lines();
}

}  // namespace

ConfigCommand::ConfigCommand(CLI::App* cli) {
  CLI::App* config = cli->add_subcommand(
      "config", "check or show the settings, without starting the server");
  config->require_subcommand(1);
  // The flags of `cli` may follow the subcommands.
  config->fallthrough();
  CLI::App* check = config->add_subcommand(
      "check",
      "load the settings as the server would (file, environment, flags) and "
      "report: exit 0 and \"settings: ok\", or 2 and one line per problem");
  CLI::App* show = config->add_subcommand(
      "show",
      "print the effective settings as JSON in the shape of the settings "
      "file, secrets masked");
  check->fallthrough();
  show->fallthrough();
  check_ = check;
  show_ = show;
}

bool ConfigCommand::Chosen() const {
  return check_->parsed() || show_->parsed();
}

int ConfigCommand::Run(const Overrides& overrides, std::ostream& out,
                       std::ostream& err) const {
  Settings settings;
  std::vector<std::string> errors = LoadSettings(overrides, &settings);
  if (!errors.empty()) {
    for (const auto& e : errors) err << e << "\n";
    return 2;
  }
  if (show_->parsed()) {
    json::object effective = SettingsToJson(settings);
    int masked = MaskSecrets(&effective);
    out << PrettyJson(effective) << "\n";
    if (masked > 0)
      err << "settings: " << masked << " secret value"
          << (masked == 1 ? " is" : "s are") << " shown as \"" << kMasked
          << "\"\n";
    return 0;
  }
  out << "settings: ok ("
      << (overrides.config_path.empty() ? "no settings file"
                                        : overrides.config_path)
      << ")\n";
  if (settings.provisioning_file.empty()) return 0;
  errors = CheckProvisioningFile(settings.provisioning_file);
  if (!errors.empty()) {
    for (const auto& e : errors) err << e << "\n";
    return 2;
  }
  out << "provisioning: ok (" << settings.provisioning_file
      << "; its references are checked at start, against the database)\n";
  return 0;
}

std::string SettingsHelp() {
  return "workbind config check [--config FILE] [flags]: load the settings "
         "as a start would,\n"
         "  without starting anything; exit 0, or 2 with one line per "
         "problem.\n"
         "workbind config show [--config FILE] [flags]: print the effective "
         "settings\n"
         "  as a settings file, secrets masked.\n\n"
         "Settings: flags > environment > settings file (--config) > "
         "defaults.\n"
         "Every settings key may be given as an environment variable: "
         "WORKBIND_ and the\n"
         "key's path, each key in upper snake case, joined by _ "
         "(server.listen:\n"
         "WORKBIND_SERVER_LISTEN; http.maxBodyBytes: "
         "WORKBIND_HTTP_MAX_BODY_BYTES).\n"
         "Lists: a JSON array or comma-separated. An unknown variable of a "
         "section\n"
         "(WORKBIND_HTTP_...) stops the start like an unknown key. `workbind "
         "config show` prints the "
         "result.\n"
         "See docs/configuration.md.";
}

int MaskSecrets(json::object* settings) {
  int n = 0;
  for (auto& [k, v] : *settings) {
    if (v.is_object()) {
      n += MaskSecrets(&v.as_object());
    } else if (k == "dsn" && v.is_string()) {
      std::string masked = MaskDsnPassword(v.as_string());
      if (masked != v.as_string()) {
        v = masked;
        ++n;
      }
    } else if (IsSecretKey(k)) {
      n += MaskValue(&v);
    }
  }
  return n;
}

std::string MaskDsnPassword(std::string_view dsn) {
  for (std::string_view scheme : {"postgresql://", "postgres://"})
    if (dsn.substr(0, scheme.size()) == scheme)
      return MaskUri(dsn, scheme.size());
  return MaskKeyValues(dsn);
}

std::string PrettyJson(const json::value& v) {
  std::string out;
  Pretty(v, 0, &out);
  return out;
}

}  // namespace workbind::app
