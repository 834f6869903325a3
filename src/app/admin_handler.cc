#include "app/admin_handler.h"

#include <string>

#include "http/error_mapping.h"

namespace workbind::app {

void AdminHandler::Handle(HttpRequest request, Responder respond) {
  if (front_->ServeOperational(request, respond)) return;
  const std::string path = request.target.substr(0, request.target.find('?'));
  respond(http::ErrorResponse(NotFound("No such resource: " + path)));
}

}  // namespace workbind::app
