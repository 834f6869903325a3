// workbind: composition root. Parses the command line, loads and validates
// the settings (file, WORKBIND_* environment, flags), runs a subcommand
// (`config check|show`, `backup`, `restore`) when asked, else starts the
// Server and waits for SIGTERM/SIGINT (SIGHUP reloads the TLS certificate).
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/cli_backup.h"
#include "app/cli_config.h"
#include "app/logging.h"
#include "app/server.h"
#include "app/settings.h"
#include "app/settings_env.h"
#include "common/log.h"

int main(int argc, char** argv) {
  using workbind::app::Overrides;
  using workbind::app::Settings;

  CLI::App cli{
      "workbind: a GWS 8.5 v2 compatible workbin and multimedia server"};
  Overrides overrides;
  bool show_version = false;
  cli.add_option("--config", overrides.config_path, "settings file (JSON)");
  cli.add_option("--listen", overrides.listen,
                 "address:port to listen on (server.listen)");
  cli.add_option("--data-dir", overrides.data_dir,
                 "data folder (storage.dataDir)");
  cli.add_option("--provision", overrides.provision,
                 "provisioning file (provisioning.file)");
  cli.add_flag("--version", show_version, "print the version and exit");
  workbind::app::ConfigCommand config_command(&cli);
  cli.footer(workbind::app::SettingsHelp());
  // backup / restore of the SQLite database (app/cli_backup.h).
  workbind::app::BackupCommand backup_command(cli.add_subcommand(
      "backup", "copy the database of a running server to a file"));
  workbind::app::RestoreCommand restore_command(cli.add_subcommand(
      "restore", "put a backup back into a data folder (server stopped)"));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  if (backup_command.Chosen()) return backup_command.Run();
  if (restore_command.Chosen()) return restore_command.Run();
  if (show_version) {
    std::cout << WORKBIND_VERSION << "\n";
    return 0;
  }

  overrides.environment = workbind::app::WorkbindEnvironment();
  if (config_command.Chosen())
    return config_command.Run(overrides, std::cout, std::cerr);

  Settings settings;
  auto errors = workbind::app::LoadSettings(overrides, &settings);
  if (!errors.empty()) {
    for (const auto& e : errors) std::cerr << e << "\n";
    return 2;
  }

  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);  // reloads the TLS certificate, never stops
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // The log's flusher thread starts after the mask, so it never takes a
  // stop signal. Declared before the server: the server's last lines are
  // written out when `logging` ends, on every way out of main.
  workbind::app::BufferedLogging logging(STDOUT_FILENO, settings.log);
  workbind::app::Server server(settings);
  std::vector<std::string> problems;
  workbind::Status st = server.Start(&problems);
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << p << "\n";
    return 2;
  }
  if (!st.ok()) {
    std::cerr << "workbind: cannot start: " << st.message() << "\n";
    return 1;
  }
  logging.Started();
  int sig = 0;
  while (sigwait(&signals, &sig) == 0 && sig == SIGHUP) server.ReloadTls();
  workbind::log::Info("received signal {}", sig);
  server.Stop();
  return 0;
}
