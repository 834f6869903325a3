// AdminHandler: the RequestHandler of server.adminListen, a plain-HTTP
// listener for operators and probes. It answers /healthz, /readyz and
// /metrics exactly as the main listener does (FrontHandler) and every other
// request 404 with the usual JSON error body; it accepts no WebSocket.
// Thread-safe.
#pragma once

#include "app/front_handler.h"
#include "net/http_server.h"

namespace workbind::app {

class AdminHandler final : public net::RequestHandler {
 public:
  // `front` must outlive this handler.
  explicit AdminHandler(FrontHandler* front) : front_(front) {}

  void Handle(HttpRequest request, Responder respond) override;

 private:
  FrontHandler* front_;
};

}  // namespace workbind::app
