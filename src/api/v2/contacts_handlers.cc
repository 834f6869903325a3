// GET /api/v2/contacts/{id}: a contact profile.
#include "api/v2/handlers.h"
#include "api/v2/resources.h"
#include "domain/interactions/contact_service.h"

namespace workbind::api {
namespace json = boost::json;

Reply GetContact(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto o, ctx.services.contacts->Get(
                                  ctx.principal, ctx.request.Param("id")));
  if (auto fields = ctx.request.QueryList("fields"))
    o = Project(std::move(o), *fields);
  return json::object{{"contact", std::move(o)}};
}

}  // namespace workbind::api
