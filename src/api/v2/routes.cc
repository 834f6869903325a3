// The route table of the REST API: every /api/v2 route, its handler, and
// the checks of the gate (authentication, feature, roles, operations).
// The CometD endpoint /api/v2/notifications is served by cometd/ and listed
// in docs/api.md. Each route names only the fields that differ from the
// defaults of Route (route_table.h).
#include "api/v2/handlers.h"
#include "api/v2/route_table.h"

namespace workbind::api {
namespace {

constexpr const char* kMultimedia = "api-multimedia";

const std::vector<std::string> kAgentLike = {"ROLE_AGENT", "ROLE_SUPERVISOR"};
const std::vector<std::string> kReaders = {"ROLE_SUPERVISOR", "ROLE_ADMIN",
                                           "ROLE_APIUSER"};

Access AnyoneAndSystemAdmins() { return {.system_admin = true}; }
Access Roles(std::vector<std::string> roles) {
  return {.roles = std::move(roles)};
}

// provisioning.md §7 (admin API) and §8 (system API).
void AddProvisioningRoutes(std::vector<Route>* r) {
  constexpr const char* kRead = "api-provisioning-read";
  constexpr const char* kWrite = "api-provisioning-write";
  const Access admin = Roles({"ROLE_ADMIN"});
  const Access system{.system_admin = true, .users = false};
  struct Collection {
    const char* path;
    const char* read_feature;
    const char* what;
  };
  for (const Collection& c :
       {Collection{"/api/v2/places", kRead, "places"},
        Collection{"/api/v2/place-groups", kRead, "place groups"},
        Collection{"/api/v2/agent-groups", kRead, "agent groups"},
        Collection{"/api/v2/workbin-definitions", kRead, "workbin definitions"},
        Collection{"/api/v2/queues", kMultimedia, "queues"}}) {
    const std::string base = c.path;
    const std::string item = base + "/{id}";
    const std::string what = c.what;
    r->push_back({.method = "GET",
                  .pattern = base,
                  .handler = ListProvisioned,
                  .feature = c.read_feature,
                  .summary = "List " + what});
    r->push_back({.method = "GET",
                  .pattern = item,
                  .handler = GetProvisioned,
                  .feature = c.read_feature,
                  .summary = "Read one of the " + what});
    r->push_back({.method = "POST",
                  .pattern = base,
                  .handler = CreateProvisioned,
                  .access = admin,
                  .feature = kWrite,
                  .summary = "Create one of the " + what});
    r->push_back({.method = "PUT",
                  .pattern = item,
                  .handler = UpdateProvisioned,
                  .access = admin,
                  .feature = kWrite,
                  .summary = "Update one of the " + what});
    r->push_back({.method = "DELETE",
                  .pattern = item,
                  .handler = DeleteProvisioned,
                  .access = admin,
                  .feature = kWrite,
                  .summary = "Delete one of the " + what});
  }
  // Users: reads are GWS routes (above); writes are provisioning. A POST on
  // an item without operationName is the GWS form of an update.
  r->push_back({.method = "POST",
                .pattern = "/api/v2/users",
                .handler = CreateProvisioned,
                .access = admin,
                .feature = kWrite,
                .summary = "Create a user"});
  r->push_back({.method = "PUT",
                .pattern = "/api/v2/users/{userId}",
                .handler = UpdateProvisioned,
                .access = admin,
                .feature = kWrite,
                .summary = "Update a user"});
  r->push_back({.method = "POST",
                .pattern = "/api/v2/users/{userId}",
                .handler = UpdateProvisioned,
                .access = admin,
                .update_without_operation = true,
                .update_feature = kWrite,
                .summary = "Update a user (GWS form)"});
  r->push_back({.method = "DELETE",
                .pattern = "/api/v2/users/{userId}",
                .handler = DeleteProvisioned,
                .access = admin,
                .feature = kWrite,
                .summary = "Delete a user"});
  // System API: system admins only.
  r->push_back({.method = "GET",
                .pattern = "/api/v2/system/contact-centers",
                .handler = ListContactCenters,
                .access = system,
                .summary = "List contact centers"});
  r->push_back({.method = "POST",
                .pattern = "/api/v2/system/contact-centers",
                .handler = CreateContactCenter,
                .access = system,
                .summary = "Create a contact center"});
  r->push_back({.method = "GET",
                .pattern = "/api/v2/system/contact-centers/{id}",
                .handler = GetContactCenter,
                .access = system,
                .summary = "Read a contact center"});
  r->push_back({.method = "PUT",
                .pattern = "/api/v2/system/contact-centers/{id}",
                .handler = UpdateContactCenter,
                .access = system,
                .summary = "Update a contact center"});
  r->push_back({.method = "DELETE",
                .pattern = "/api/v2/system/contact-centers/{id}",
                .handler = DeleteContactCenter,
                .access = system,
                .summary = "Delete a contact center"});
  r->push_back({.method = "POST",
                .pattern = "/api/v2/system/contact-centers/{id}/users",
                .handler = CreateContactCenterUser,
                .access = system,
                .summary = "Create a user in a contact center"});
  r->push_back({.method = "GET",
                .pattern = "/api/v2/system/admins/{id}",
                .handler = GetSystemAdmin,
                .access = system,
                .summary = "The calling system admin"});
}

// Interactions: the interactions of every media family, Submit on a
// queue (whose POST without operationName is the provisioning update), and
// contact profiles. All need api-multimedia.
void AddInteractionRoutes(std::vector<Route>* r) {
  std::vector<Operation> item_ops;
  for (const char* name :
       {"Accept", "Reject", "Complete", "Transfer", "AttachUserData",
        "UpdateUserData", "DeleteUserData", "SetInFocus", "PlaceInQueue"})
    item_ops.push_back({.name = name});
  struct Family {
    std::string mine;   // the caller's collection
    std::string alias;  // the item route without /me
    Handler list, create, get_mine, get_any, post;
    std::string what;
    Handler post_mine;  // POST on the /me item route
  };
  for (const Family& f :
       {Family{"/api/v2/me/workitems", "/api/v2/workitems", GetMyWorkitems,
               PostMyWorkitems, GetMyWorkitem, GetWorkitem, PostWorkitem,
               "workitems", PostMyWorkitem},
        Family{"/api/v2/me/emails", "/api/v2/emails", GetMyEmails, PostMyEmails,
               GetMyEmail, GetEmail, PostEmail, "emails", PostMyEmail},
        Family{"/api/v2/me/chats", "/api/v2/chats", GetMyChats, PostMyChats,
               GetMyChat, GetChat, PostChat, "chats", PostMyChat},
        Family{"/api/v2/me/openmedia/{mediaType}",
               "/api/v2/openmedia/{mediaType}", GetMyOpenmedia, PostMyOpenmedia,
               GetMyOpenmediaItem, GetOpenmediaItem, PostOpenmediaItem,
               "open-media interactions", PostMyOpenmediaItem}}) {
    r->push_back({.method = "GET",
                  .pattern = f.mine,
                  .handler = f.list,
                  .feature = kMultimedia,
                  .summary = "The caller's " + f.what});
    r->push_back({.method = "POST",
                  .pattern = f.mine,
                  .handler = f.create,
                  .feature = kMultimedia,
                  .operations = {{.name = "Create"}},
                  .summary = "Create one of the " + f.what});
    r->push_back({.method = "GET",
                  .pattern = f.mine + "/{id}",
                  .handler = f.get_mine,
                  .feature = kMultimedia,
                  .summary = "One of the caller's " + f.what});
    r->push_back({.method = "POST",
                  .pattern = f.mine + "/{id}",
                  .handler = f.post_mine,
                  .feature = kMultimedia,
                  .operations = item_ops,
                  .summary = "An operation on one of the " + f.what});
    r->push_back(
        {.method = "GET",
         .pattern = f.alias + "/{id}",
         .handler = f.get_any,
         .feature = kMultimedia,
         .summary = "One of the " + f.what + " visible to the caller"});
    r->push_back({.method = "POST",
                  .pattern = f.alias + "/{id}",
                  .handler = f.post,
                  .feature = kMultimedia,
                  .operations = item_ops,
                  .summary = "An operation on one of the " + f.what});
  }
  r->push_back({.method = "GET",
                .pattern = "/api/v2/interactions/{id}",
                .handler = GetInteraction,
                .feature = kMultimedia,
                .summary = "Any interaction visible to the caller"});
  r->push_back({.method = "GET",
                .pattern = "/api/v2/interactions/{id}/history",
                .handler = GetInteractionHistory,
                .feature = kMultimedia,
                .summary = "The history of an interaction",
                .extension = true});
  const Access readers = Roles(kReaders);
  r->push_back({.method = "POST",
                .pattern = "/api/v2/interactions/{id}",
                .handler = PostInteraction,
                .access = readers,
                .feature = kMultimedia,
                .operations = {{.name = "AttachUserData", .access = readers},
                               {.name = "UpdateUserData", .access = readers},
                               {.name = "DeleteUserData", .access = readers}},
                .summary = "User data of any visible interaction"});
  r->push_back(
      {.method = "POST",
       .pattern = "/api/v2/queues/{id}",
       .handler = PostQueue,
       .access = Roles({"ROLE_ADMIN"}),
       .operations = {{.name = "Submit",
                       .access = Roles({"ROLE_ADMIN", "ROLE_APIUSER"}),
                       .feature = kMultimedia}},
       .update_without_operation = true,
       .update_feature = "api-provisioning-write",
       .summary = "Submit an interaction to a queue (or update the queue)"});
  r->push_back({.method = "GET",
                .pattern = "/api/v2/contacts/{id}",
                .handler = GetContact,
                .feature = kMultimedia,
                .summary = "A contact profile"});
}

// Workbins (all need api-multimedia). The item routes with and without /me
// are interchangeable: the id names one instance.
void AddWorkbinRoutes(std::vector<Route>* r) {
  std::vector<Operation> item_ops;
  for (const char* name :
       {"AddInteraction", "AddEmail", "AddChat", "AddWorkitem", "AddTweet",
        "AddFacebook", "AddFacebooksession", "AddOpenmedia", "PullInteraction",
        "PullEmail", "PullChat", "PullWorkitem", "PullTweet", "PullFacebook",
        "PullFacebooksession", "PullOpenmedia", "Subscribe", "Unsubscribe",
        "RequestStats"})
    item_ops.push_back({.name = name});
  item_ops.push_back({.name = "MoveInteraction", .extension = true});
  item_ops.push_back({.name = "AddInteractionToWorkbin", .alias = true});
  item_ops.push_back({.name = "Unubscribe", .alias = true});
  r->push_back({.method = "GET",
                .pattern = "/api/v2/workbins",
                .handler = GetWorkbins,
                .feature = kMultimedia,
                .summary = "Workbins visible to the caller (or those named by "
                           "workbinIds)"});
  r->push_back({.method = "GET",
                .pattern = "/api/v2/me/workbins",
                .handler = GetMyWorkbins,
                .feature = kMultimedia,
                .summary = "The caller's own workbins (or those named by "
                           "workbinIds)"});
  const std::vector<Operation> subscribe_ops = {
      {.name = "Subscribe"},
      {.name = "Unsubscribe"},
      {.name = "RequestAgentStats"},
      {.name = "Unubscribe", .alias = true}};
  for (const char* base : {"/api/v2/workbins", "/api/v2/me/workbins"})
    r->push_back(
        {.method = "POST",
         .pattern = base,
         .handler = PostWorkbins,
         .feature = kMultimedia,
         .operations = subscribe_ops,
         .summary = "Subscribe/Unsubscribe (workbinIds), RequestAgentStats"});
  // By user: the caller acts for {userId} (supervisors, admins).
  const std::string user_base = "/api/v2/users/{userId}/workbins";
  r->push_back({.method = "GET",
                .pattern = user_base,
                .handler = GetUserWorkbins,
                .feature = kMultimedia,
                .summary = "A user's own workbins"});
  r->push_back({.method = "POST",
                .pattern = user_base,
                .handler = PostUserWorkbins,
                .feature = kMultimedia,
                .operations = subscribe_ops,
                .summary = "Subscribe/Unsubscribe (workbinIds), "
                           "RequestAgentStats for a user"});
  r->push_back({.method = "GET",
                .pattern = user_base + "/{id}",
                .handler = GetUserWorkbin,
                .feature = kMultimedia,
                .summary = "One workbin of a user"});
  r->push_back({.method = "POST",
                .pattern = user_base + "/{id}",
                .handler = PostUserWorkbin,
                .feature = kMultimedia,
                .operations = item_ops,
                .summary = "Add, Pull, Subscribe, Unsubscribe for a user"});
  r->push_back({.method = "GET",
                .pattern = user_base + "/{id}/{mediaType}",
                .handler = GetUserWorkbinMedia,
                .feature = kMultimedia,
                .summary = "The content of one media in a user's workbin"});
  // Compatibility alias of the by-user reads, without "users/" (GET only).
  // Literal segments win, so /api/v2/me/workbins/... never lands here; a
  // {userId} that is not a user id is a 404 from the service.
  r->push_back({.method = "GET",
                .pattern = "/api/v2/{userId}/workbins/{id}",
                .handler = GetUserWorkbin,
                .feature = kMultimedia,
                .summary = "One workbin of a user (compatibility alias)",
                .alias_of = "/api/v2/users/{userId}/workbins/{id}"});
  r->push_back(
      {.method = "GET",
       .pattern = "/api/v2/{userId}/workbins/{id}/{mediaType}",
       .handler = GetUserWorkbinMedia,
       .feature = kMultimedia,
       .summary = "The content of one media in a user's workbin "
                  "(compatibility alias)",
       .alias_of = "/api/v2/users/{userId}/workbins/{id}/{mediaType}"});
  for (const char* base :
       {"/api/v2/workbins/{id}", "/api/v2/me/workbins/{id}"}) {
    const std::string item = base;
    r->push_back({.method = "GET",
                  .pattern = item,
                  .handler = GetWorkbin,
                  .feature = kMultimedia,
                  .summary = "One workbin, with its content on request"});
    r->push_back(
        {.method = "POST",
         .pattern = item,
         .handler = PostWorkbin,
         .feature = kMultimedia,
         .operations = item_ops,
         .summary = "Add, Pull, Subscribe, Unsubscribe on one workbin"});
    r->push_back({.method = "GET",
                  .pattern = item + "/{mediaType}",
                  .handler = GetWorkbinMedia,
                  .feature = kMultimedia,
                  .summary = "The content of one workbin of one media"});
  }
}

std::vector<Route> Build() {
  constexpr const char* kAgentControl = "api-supervisor-agent-control";
  std::vector<Route> r;
  // Diagnostics (public).
  r.push_back({.method = "GET",
               .pattern = "/api/v2/diagnostics/version",
               .handler = GetVersion,
               .is_public = true,
               .summary = "Server version"});
  r.push_back({.method = "GET",
               .pattern = "/api/v2/openapi.json",
               .handler = GetOpenApi,
               .is_public = true,
               .summary = "This OpenAPI document",
               .extension = true});
  // The caller.
  r.push_back({.method = "GET",
               .pattern = "/api/v2/me",
               .handler = GetMe,
               .access = AnyoneAndSystemAdmins(),
               .summary = "The caller's user resource"});
  r.push_back({.method = "POST",
               .pattern = "/api/v2/me",
               .handler = PostMe,
               .operations = {{.name = "StartContactCenterSession",
                               .access = Roles(kAgentLike)},
                              {.name = "EndContactCenterSession",
                               .access = AnyoneAndSystemAdmins()},
                              {.name = "Ready",
                               .access = Roles(kAgentLike),
                               .feature = kMultimedia},
                              {.name = "NotReady",
                               .access = Roles(kAgentLike),
                               .feature = kMultimedia}},
               .summary = "Contact-center session operations"});
  // Features.
  r.push_back({.method = "GET",
               .pattern = "/api/v2/features",
               .handler = GetFeatures,
               .summary = "Features enabled for the contact center"});
  r.push_back({.method = "GET",
               .pattern = "/api/v2/features/{id}",
               .handler = GetFeature,
               .summary = "One enabled feature"});
  // Users (reads; writes are provisioning routes).
  r.push_back({.method = "GET",
               .pattern = "/api/v2/users",
               .handler = GetUsers,
               .access = Roles(kReaders),
               .summary = "Users of the contact center"});
  r.push_back({.method = "GET",
               .pattern = "/api/v2/users/{userId}",
               .handler = GetUser,
               .summary = "One user"});
  // Channels.
  r.push_back({.method = "GET",
               .pattern = "/api/v2/me/channels",
               .handler = GetMyChannels,
               .feature = kMultimedia,
               .summary = "The caller's logged-in channels"});
  r.push_back({.method = "GET",
               .pattern = "/api/v2/me/channels/{channel}",
               .handler = GetMyChannel,
               .feature = kMultimedia,
               .summary = "One logged-in channel"});
  r.push_back(
      {.method = "POST",
       .pattern = "/api/v2/me/channels/{channel}",
       .handler = PostMyChannel,
       .feature = kMultimedia,
       .operations = {{.name = "Ready", .access = Roles(kAgentLike)},
                      {.name = "NotReady", .access = Roles(kAgentLike)}},
       .summary = "Ready / NotReady on one channel"});
  r.push_back({.method = "GET",
               .pattern = "/api/v2/users/{userId}/channels",
               .handler = GetUserChannels,
               .feature = kAgentControl,
               .summary = "A user's logged-in channels"});
  r.push_back({.method = "GET",
               .pattern = "/api/v2/users/{userId}/channels/{channel}",
               .handler = GetUserChannel,
               .feature = kAgentControl,
               .summary = "One channel of a user"});
  r.push_back(
      {.method = "POST",
       .pattern = "/api/v2/users/{userId}/channels/{channel}",
       .handler = PostUserChannel,
       .feature = kAgentControl,
       .operations = {{.name = "Ready"}, {.name = "NotReady"}},
       .summary = "Ready / NotReady on a user's channel (supervisor control)"});
  AddProvisioningRoutes(&r);
  AddInteractionRoutes(&r);
  AddWorkbinRoutes(&r);
  return r;
}

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = Build();
  return kRoutes;
}

}  // namespace workbind::api
