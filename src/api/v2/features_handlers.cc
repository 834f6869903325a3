#include <algorithm>

#include "api/v2/handlers.h"
#include "api/v2/resources.h"

namespace workbind::api {

Reply GetFeatures(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto dir, ctx.Directory());
  std::vector<std::string> ids = dir->contact_center().features;
  std::sort(ids.begin(), ids.end());
  std::vector<boost::json::object> items;
  for (const auto& id : ids) items.push_back(RenderFeature(ctx, id));
  return CollectionReply(ctx, "features", std::move(items), false);
}

Reply GetFeature(Context& ctx) {
  WB_ASSIGN_OR_RETURN(auto dir, ctx.Directory());
  const std::string& id = ctx.request.Param("id");
  if (!dir->FeatureEnabled(id)) return NotFound("No such feature '" + id + "'");
  auto o = RenderFeature(ctx, id);
  if (auto fields = ctx.request.QueryList("fields"))
    o = Project(std::move(o), *fields);
  return boost::json::object{{"feature", std::move(o)}};
}

}  // namespace workbind::api
