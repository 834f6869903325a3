// workbind: composition root. Parses the command line, loads and validates
// the settings, starts the Server and waits for SIGTERM/SIGINT.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/logging.h"
#include "app/server.h"
#include "app/settings.h"
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
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 2;
  }
  if (show_version) {
    std::cout << WORKBIND_VERSION << "\n";
    return 0;
  }

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
  sigwait(&signals, &sig);
  workbind::log::Info("received signal {}", sig);
  server.Stop();
  return 0;
}
