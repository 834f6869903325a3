// JSON resource objects of provisioned objects, as the REST API returns them:
// the keys of provisioning.md §2 with names in place of referenced ids, plus
// "id", "uri" (`api_url` + path) and "path" (conventions.md §1). Passwords
// and hashes are never included. `api_url` is server.externalApiUrl, ending
// in "/api/v2". Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "storage/records.h"

namespace workbind::domain {

// The user resource (auth.md §9.2) without the "/me"-only key "place".
boost::json::object RenderUser(const storage::DirectoryData& d,
                               const storage::UserRecord& u,
                               std::string_view api_url);
boost::json::object RenderPlace(const storage::PlaceRecord& p,
                                std::string_view api_url);
boost::json::object RenderPlaceGroup(const storage::DirectoryData& d,
                                     const storage::PlaceGroupRecord& g,
                                     std::string_view api_url);
boost::json::object RenderAgentGroup(const storage::DirectoryData& d,
                                     const storage::AgentGroupRecord& g,
                                     std::string_view api_url);
// `waiting_count`: interactions Queued in the queue ("waitingCount").
boost::json::object RenderQueue(const storage::DirectoryData& d,
                                const storage::QueueRecord& q,
                                std::string_view api_url,
                                int64_t waiting_count);
boost::json::object RenderDefinition(
    const storage::WorkbinDefinitionRecord& def, std::string_view api_url);
// Under /system/contact-centers/{id}.
boost::json::object RenderContactCenter(const storage::ContactCenterRecord& cc,
                                        std::string_view api_url);
// A system admin's short user resource, under /system/admins/{id}.
boost::json::object RenderSystemAdmin(const storage::SystemAdminRecord& admin,
                                      std::string_view api_url);

}  // namespace workbind::domain
