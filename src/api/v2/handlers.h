// Declarations of every REST handler, grouped by resource; routes.cc binds
// them to paths. Each handler: parse and validate, call one service, render.
#pragma once

#include "api/v2/api_context.h"

namespace workbind::api {

using Reply = Result<boost::json::object>;

// diagnostics_handlers.cc
Reply GetVersion(Context& ctx);

// me_handlers.cc
Reply GetMe(Context& ctx);
Reply PostMe(Context& ctx);

// features_handlers.cc
Reply GetFeatures(Context& ctx);
Reply GetFeature(Context& ctx);

// users_handlers.cc
Reply GetUsers(Context& ctx);
Reply GetUser(Context& ctx);

// channels_handlers.cc
Reply GetMyChannels(Context& ctx);
Reply GetMyChannel(Context& ctx);
Reply PostMyChannel(Context& ctx);
Reply GetUserChannels(Context& ctx);
Reply GetUserChannel(Context& ctx);
Reply PostUserChannel(Context& ctx);

// provisioning_handlers.cc: provisioned objects of the caller's contact
// center (the collection is named by the path) and the system API.
Reply ListProvisioned(Context& ctx);
Reply GetProvisioned(Context& ctx);
Reply CreateProvisioned(Context& ctx);
Reply UpdateProvisioned(Context& ctx);
Reply DeleteProvisioned(Context& ctx);
Reply ListContactCenters(Context& ctx);
Reply GetContactCenter(Context& ctx);
Reply CreateContactCenter(Context& ctx);
Reply UpdateContactCenter(Context& ctx);
Reply DeleteContactCenter(Context& ctx);
Reply CreateContactCenterUser(Context& ctx);
Reply GetSystemAdmin(Context& ctx);

}  // namespace workbind::api
