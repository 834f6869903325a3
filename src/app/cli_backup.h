// The `workbind backup` and `workbind restore` subcommands: their options,
// the settings they read (the backend and the data folder, from --config and
// --data-dir) and their messages and exit statuses. The SQLite work is in
// storage/sqlite/sqlite_backup.h. Exit status: 0 done; 2 refused (bad
// settings, nothing to back up, a target that exists, a backup that cannot
// be restored, a server running), with one line on standard error naming the
// reason; 1 an I/O failure. Used on the main thread only.
#pragma once

#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace workbind::app {

// `workbind backup [--config F] [--data-dir DIR] --to FILE [--force]`:
// copies the database of a (running) server's data folder to FILE.
class BackupCommand {
 public:
  // Adds the options to `command` (the subcommand, owned by the caller's
  // CLI::App, which must outlive this object).
  explicit BackupCommand(CLI::App* command);
  // Whether the command line chose this subcommand (after parsing).
  bool Chosen() const;
  // Runs it; returns the process's exit status.
  int Run() const;

 private:
  CLI::App* command_;
  std::string config_path_;
  std::string data_dir_;
  std::string to_;
  bool force_ = false;
};

// `workbind restore [--config F] [--data-dir DIR] --from FILE [--force]`:
// puts a backup back as the database of a stopped server's data folder.
class RestoreCommand {
 public:
  explicit RestoreCommand(CLI::App* command);
  bool Chosen() const;
  int Run() const;

 private:
  CLI::App* command_;
  std::string config_path_;
  std::string data_dir_;
  std::string from_;
  bool force_ = false;
};

}  // namespace workbind::app
