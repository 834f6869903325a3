// Rendering of resources as JSON (conventions.md §5): the user resource, the
// fields= projection and the subresources= list rules. Pure functions.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/v2/api_context.h"
#include "common/status.h"
#include "domain/directory/directory.h"
#include "storage/records.h"

namespace workbind::api {

// The user resource of auth.md §9.2 (without `place`, which only /me has).
boost::json::object RenderUser(const Context& ctx, const domain::Directory& dir,
                               const storage::UserRecord& user);
// The caller's short resource when it is a system admin.
boost::json::object RenderSystemAdminSelf(const Context& ctx);
// The feature resource.
boost::json::object RenderFeature(const Context& ctx, const std::string& id);

// Keeps only the keys named in `fields` (unless it holds "*").
boost::json::object Project(boost::json::object o,
                            const std::vector<std::string>& fields);

// The parsed `subresources` parameter: nullopt when absent; "*" expands to
// `accepted`; an unknown name is kInvalidArgument naming it and the accepted
// names. `aliases` maps alternative spellings to accepted names.
Result<std::optional<std::vector<std::string>>> ParseSubresources(
    const Context& ctx, const std::vector<std::string>& accepted,
    const std::vector<std::pair<std::string, std::string>>& aliases = {});

// The collection reply of conventions.md §5.1: "uris" without fields (and
// without subresources), else `plural` with each object projected on
// `fields` (the keys named in `keep`, the requested subresources, survive).
boost::json::object CollectionReply(const Context& ctx,
                                    const std::string& plural,
                                    std::vector<boost::json::object> items,
                                    bool subresources_requested,
                                    const std::vector<std::string>& keep = {});

}  // namespace workbind::api
