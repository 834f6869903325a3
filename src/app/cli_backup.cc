#include "app/cli_backup.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "app/settings.h"
#include "app/settings_env.h"
#include "storage/sqlite/sqlite_backup.h"

namespace workbind::app {
namespace {

using Clock = std::chrono::steady_clock;

// The data folder the command works on: the settings' (file, environment,
// --data-dir). Returns the exit status when the command must stop (2), or 0.
int LoadDataDir(const char* name, const std::string& config_path,
                const std::string& data_dir, std::string* out) {
  Overrides overrides;
  overrides.config_path = config_path;
  overrides.data_dir = data_dir;
  overrides.environment = WorkbindEnvironment();
  Settings settings;
  auto errors = LoadSettings(overrides, &settings);
  if (!errors.empty()) {
    for (const auto& e : errors) std::cerr << e << "\n";
    return 2;
  }
  if (settings.storage.backend != "sqlite") {
    std::cerr << name << ": storage.backend is \"" << settings.storage.backend
              << "\": use PostgreSQL's own tools (pg_dump, or a base backup "
                 "with WAL archiving), see docs/operations.md#backups\n";
    return 2;
  }
  *out = settings.storage.data_dir;
  return 0;
}

// Refusals (what the operator can fix) exit 2, I/O failures 1.
int ExitStatus(const Status& st) {
  switch (st.code()) {
    case Code::kStorageRead:
    case Code::kStorageCreate:
    case Code::kStorageUpdate:
    case Code::kStorageDelete:
    case Code::kInternal:
      return 1;
    default:
      return 2;
  }
}

std::string Size(int64_t bytes) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f MiB (%lld bytes)",
                static_cast<double>(bytes) / (1024 * 1024),
                static_cast<long long>(bytes));
  return buf;
}

std::string Seconds(Clock::time_point since) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s",
                std::chrono::duration<double>(Clock::now() - since).count());
  return buf;
}

}  // namespace

BackupCommand::BackupCommand(CLI::App* command) : command_(command) {
  command->add_option("--config", config_path_, "settings file (JSON)");
  command->add_option("--data-dir", data_dir_,
                      "data folder of the database (storage.dataDir)");
  command->add_option("--to", to_, "backup file to write")->required();
  command->add_flag("--force", force_, "replace the backup file if it exists");
}

bool BackupCommand::Chosen() const { return command_->parsed(); }

int BackupCommand::Run() const {
  std::string data_dir;
  if (int rc = LoadDataDir("backup", config_path_, data_dir_, &data_dir))
    return rc;
  const auto started = Clock::now();
  auto r = storage::sqlite::Backup(
      {.data_dir = data_dir, .to = to_, .force = force_});
  if (!r.ok()) {
    std::cerr << "backup: " << r.status().message();
    if (r.status().code() == Code::kAlreadyExists)
      std::cerr << "; pass --force to replace it";
    std::cerr << "\n";
    return ExitStatus(r.status());
  }
  std::cout << "backup: " << to_ << ": schema version " << r->schema_version
            << ", " << Size(r->bytes) << ", " << Seconds(started) << "\n";
  return 0;
}

RestoreCommand::RestoreCommand(CLI::App* command) : command_(command) {
  command->add_option("--config", config_path_, "settings file (JSON)");
  command->add_option("--data-dir", data_dir_,
                      "data folder to restore into (storage.dataDir)");
  command->add_option("--from", from_, "backup file to restore")->required();
  command->add_flag("--force", force_,
                    "replace a database already in the data folder (kept as "
                    "workbind.db.before-restore-<time>)");
}

bool RestoreCommand::Chosen() const { return command_->parsed(); }

int RestoreCommand::Run() const {
  std::string data_dir;
  if (int rc = LoadDataDir("restore", config_path_, data_dir_, &data_dir))
    return rc;
  const auto started = Clock::now();
  auto r = storage::sqlite::Restore(
      {.from = from_, .data_dir = data_dir, .force = force_});
  if (!r.ok()) {
    std::cerr << "restore: " << r.status().message();
    if (r.status().code() == Code::kAlreadyExists)
      std::cerr << "; pass --force to replace it (it is kept beside)";
    std::cerr << "\n";
    return ExitStatus(r.status());
  }
  std::cout << "restore: " << from_ << " -> "
            << storage::sqlite::DatabasePath(data_dir) << ": schema version "
            << r->schema_version << ", " << Size(r->bytes) << ", "
            << Seconds(started);
  if (!r->kept_as.empty()) std::cout << "; the old database is " << r->kept_as;
  std::cout << "\n";
  return 0;
}

}  // namespace workbind::app
