// Declarations of every REST handler, grouped by resource; routes.cc binds
// them to paths. Each handler: parse and validate, call one service, render.
#pragma once

#include "api/v2/api_context.h"

namespace workbind::api {

using Reply = Result<boost::json::object>;

// diagnostics_handlers.cc
Reply GetVersion(Context& ctx);
Reply GetOpenApi(Context& ctx);  // openapi.cc

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

// interactions_handlers.cc: the agent collections and items per media
// family, their aliases and /interactions/{id}.
Reply GetMyWorkitems(Context& ctx);
Reply GetMyEmails(Context& ctx);
Reply GetMyChats(Context& ctx);
Reply GetMyOpenmedia(Context& ctx);
Reply PostMyWorkitems(Context& ctx);
Reply PostMyEmails(Context& ctx);
Reply PostMyChats(Context& ctx);
Reply PostMyOpenmedia(Context& ctx);
Reply GetMyWorkitem(Context& ctx);
Reply GetMyEmail(Context& ctx);
Reply GetMyChat(Context& ctx);
Reply GetMyOpenmediaItem(Context& ctx);
Reply GetWorkitem(Context& ctx);
Reply GetEmail(Context& ctx);
Reply GetChat(Context& ctx);
Reply GetOpenmediaItem(Context& ctx);
Reply PostMyWorkitem(Context& ctx);
Reply PostMyEmail(Context& ctx);
Reply PostMyChat(Context& ctx);
Reply PostMyOpenmediaItem(Context& ctx);
Reply PostWorkitem(Context& ctx);
Reply PostEmail(Context& ctx);
Reply PostChat(Context& ctx);
Reply PostOpenmediaItem(Context& ctx);
Reply GetInteraction(Context& ctx);
Reply GetInteractionHistory(Context& ctx);
Reply PostInteraction(Context& ctx);
// The caller's interactions of `media` ("openmedia": every open-media
// type) as resources, for the /me subresources.
Result<boost::json::array> MyInteractions(Context& ctx,
                                          const std::string& media);

// queues_handlers.cc: POST /queues/{id}, Submit or (without
// operationName) the provisioning update of the queue.
Reply PostQueue(Context& ctx);

// contacts_handlers.cc
Reply GetContact(Context& ctx);

// workbins_handlers.cc
Reply GetWorkbins(Context& ctx);
Reply GetMyWorkbins(Context& ctx);
Reply GetWorkbin(Context& ctx);
Reply GetWorkbinMedia(Context& ctx);
Reply PostWorkbin(Context& ctx);
Reply PostWorkbins(Context& ctx);
Reply GetUserWorkbins(Context& ctx);
Reply PostUserWorkbins(Context& ctx);
Reply GetUserWorkbin(Context& ctx);
Reply GetUserWorkbinMedia(Context& ctx);
Reply PostUserWorkbin(Context& ctx);

}  // namespace workbind::api
