#include "api/v2/handlers.h"

namespace workbind::api {

Reply GetVersion(Context& ctx) {
  boost::json::object o;
  o["version"] = ctx.services.settings.reported_version;
  o["product"] = "workbind";
  o["productVersion"] = ctx.services.settings.product_version;
  return o;
}

}  // namespace workbind::api
