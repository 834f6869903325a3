// POST /api/v2/queues/{id}: Submit or, without an
// operationName, the provisioning update of the queue.
// Queue reads are provisioning routes.
#include "api/v2/handlers.h"
#include "api/v2/interaction_requests.h"
#include "domain/interactions/queue_service.h"

namespace workbind::api {
namespace json = boost::json;

Reply PostQueue(Context& ctx) {
  if (ctx.operation.empty()) return UpdateProvisioned(ctx);
  WB_ASSIGN_OR_RETURN(auto request, DecodeSubmit(ctx.body));
  WB_ASSIGN_OR_RETURN(auto submitted,
                      ctx.services.queues->Submit(
                          ctx.principal, ctx.request.Param("id"), request));
  return json::object{{"referenceId", submitted.reference_id},
                      {"id", submitted.id}};
}

}  // namespace workbind::api
