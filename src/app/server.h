// Server: owns the object graph of a running workbind (store, services,
// CometD endpoint, REST dispatcher, worker pool, HTTP transport) and its
// lifecycle: Start() builds the graph from settings LoadSettings already
// derived, and applies the provisioning file; Stop() shuts down gracefully.
// Built and driven by main.cc.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/settings.h"
#include "common/status.h"

namespace workbind::app {

class Server {
 public:
  explicit Server(Settings settings);
  ~Server();

  // Opens the store, applies the provisioning file, starts listening.
  // Provisioning errors are returned in `problems` (exit status 2); other
  // failures as a Status.
  Status Start(std::vector<std::string>* problems);
  // The bound port (after Start).
  int port() const;
  // The bound port of server.adminListen (after Start; 0 without it).
  int admin_port() const;
  // SIGHUP: loads the TLS certificate and key again from the same files;
  // connections accepted from then on use them, open ones keep theirs. A
  // failure is logged (naming the setting) and the current pair kept.
  // Without TLS it only logs. Call from the main thread, after Start.
  void ReloadTls();
  // Graceful shutdown (conventions.md §10 server.shutdownGraceSeconds).
  void Stop();

 private:
  struct Graph;
  // The steps of Start, in order; each builds one part of the graph.
  Status OpenStorage();
  // False when the provisioning file has problems (then in `problems`).
  bool Provision(std::vector<std::string>* problems);
  void BuildServices();
  Status StartNotifications();
  // Cross-node events (PostgreSQL); nothing on SQLite.
  Status ListenToOtherNodes();
  // False when the TLS files are refused (the line is in `problems`).
  bool LoadTls(std::vector<std::string>* problems);
  Status StartHttp();
  Status StartAdminHttp();
  void StartTickers();

  Settings settings_;
  std::unique_ptr<Graph> g_;
};

}  // namespace workbind::app
