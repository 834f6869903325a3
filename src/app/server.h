// Server: owns the object graph of a running workbind (store, services,
// CometD endpoint, REST dispatcher, worker pool, HTTP transport) and its
// lifecycle: Start() opens everything and applies the provisioning file;
// Stop() shuts down gracefully. Built and driven by main.cc.
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
  // Graceful shutdown (conventions.md §10 server.shutdownGraceSeconds).
  void Stop();

 private:
  struct Graph;
  Settings settings_;
  std::unique_ptr<Graph> g_;
};

}  // namespace workbind::app
