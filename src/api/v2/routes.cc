// The route table of the REST API: every /api/v2 route, its handler, and
// the checks of the gate (authentication, feature, roles, operations).
// The CometD endpoint /api/v2/notifications is served by cometd/ and listed
// in docs/api.md.
#include "api/v2/handlers.h"
#include "api/v2/route_table.h"

namespace workbind::api {
namespace {

const std::vector<std::string> kAgentLike = {"ROLE_AGENT", "ROLE_SUPERVISOR"};
const std::vector<std::string> kReaders = {"ROLE_SUPERVISOR", "ROLE_ADMIN",
                                           "ROLE_APIUSER"};

Access AnyRole() { return Access{}; }
Access AnyoneAndSystemAdmins() { return Access{{}, true, true}; }
Access Roles(std::vector<std::string> roles) {
  return Access{std::move(roles), false, true};
}

Operation Op(std::string name, Access access, std::string feature = "",
             bool alias = false) {
  return Operation{std::move(name), std::move(access), std::move(feature),
                   alias};
}

// provisioning.md §7 (admin API) and §8 (system API).
void AddProvisioningRoutes(std::vector<Route>* r) {
  constexpr const char* kRead = "api-provisioning-read";
  constexpr const char* kWrite = "api-provisioning-write";
  const Access admin = Roles({"ROLE_ADMIN"});
  const Access system{{}, true, false};
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
        Collection{"/api/v2/queues", "api-multimedia", "queues"}}) {
    const std::string base = c.path;
    const std::string item = base + "/{id}";
    const std::string what = c.what;
    r->push_back({"GET",
                  base,
                  ListProvisioned,
                  false,
                  AnyRole(),
                  c.read_feature,
                  {},
                  false,
                  "",
                  "List " + what});
    r->push_back({"GET",
                  item,
                  GetProvisioned,
                  false,
                  AnyRole(),
                  c.read_feature,
                  {},
                  false,
                  "",
                  "Read one of the " + what});
    r->push_back({"POST",
                  base,
                  CreateProvisioned,
                  false,
                  admin,
                  kWrite,
                  {},
                  false,
                  "",
                  "Create one of the " + what});
    r->push_back({"PUT",
                  item,
                  UpdateProvisioned,
                  false,
                  admin,
                  kWrite,
                  {},
                  false,
                  "",
                  "Update one of the " + what});
    r->push_back({"DELETE",
                  item,
                  DeleteProvisioned,
                  false,
                  admin,
                  kWrite,
                  {},
                  false,
                  "",
                  "Delete one of the " + what});
  }
  // Users: reads are GWS routes (above); writes are provisioning. A POST on
  // an item without operationName is the GWS form of an update.
  r->push_back({"POST",
                "/api/v2/users",
                CreateProvisioned,
                false,
                admin,
                kWrite,
                {},
                false,
                "",
                "Create a user"});
  r->push_back({"PUT",
                "/api/v2/users/{userId}",
                UpdateProvisioned,
                false,
                admin,
                kWrite,
                {},
                false,
                "",
                "Update a user"});
  r->push_back({"POST",
                "/api/v2/users/{userId}",
                UpdateProvisioned,
                false,
                admin,
                "",
                {},
                true,
                kWrite,
                "Update a user (GWS form)"});
  r->push_back({"DELETE",
                "/api/v2/users/{userId}",
                DeleteProvisioned,
                false,
                admin,
                kWrite,
                {},
                false,
                "",
                "Delete a user"});
  // System API: system admins only.
  r->push_back({"GET",
                "/api/v2/system/contact-centers",
                ListContactCenters,
                false,
                system,
                "",
                {},
                false,
                "",
                "List contact centers"});
  r->push_back({"POST",
                "/api/v2/system/contact-centers",
                CreateContactCenter,
                false,
                system,
                "",
                {},
                false,
                "",
                "Create a contact center"});
  r->push_back({"GET",
                "/api/v2/system/contact-centers/{id}",
                GetContactCenter,
                false,
                system,
                "",
                {},
                false,
                "",
                "Read a contact center"});
  r->push_back({"PUT",
                "/api/v2/system/contact-centers/{id}",
                UpdateContactCenter,
                false,
                system,
                "",
                {},
                false,
                "",
                "Update a contact center"});
  r->push_back({"DELETE",
                "/api/v2/system/contact-centers/{id}",
                DeleteContactCenter,
                false,
                system,
                "",
                {},
                false,
                "",
                "Delete a contact center"});
  r->push_back({"POST",
                "/api/v2/system/contact-centers/{id}/users",
                CreateContactCenterUser,
                false,
                system,
                "",
                {},
                false,
                "",
                "Create a user in a contact center"});
  r->push_back({"GET",
                "/api/v2/system/admins/{id}",
                GetSystemAdmin,
                false,
                system,
                "",
                {},
                false,
                "",
                "The calling system admin"});
}

// Interactions: the interactions of every media family, Submit on a
// queue (whose POST without operationName is the provisioning update), and
// contact profiles. All need api-multimedia.
void AddInteractionRoutes(std::vector<Route>* r) {
  constexpr const char* kMultimedia = "api-multimedia";
  std::vector<Operation> item_ops;
  for (const char* name :
       {"Accept", "Reject", "Complete", "Transfer", "AttachUserData",
        "UpdateUserData", "DeleteUserData", "SetInFocus", "PlaceInQueue"})
    item_ops.push_back(Op(name, AnyRole()));
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
    r->push_back({"GET",
                  f.mine,
                  f.list,
                  false,
                  AnyRole(),
                  kMultimedia,
                  {},
                  false,
                  "",
                  "The caller's " + f.what});
    r->push_back({"POST",
                  f.mine,
                  f.create,
                  false,
                  AnyRole(),
                  kMultimedia,
                  {Op("Create", AnyRole())},
                  false,
                  "",
                  "Create one of the " + f.what});
    r->push_back({"GET",
                  f.mine + "/{id}",
                  f.get_mine,
                  false,
                  AnyRole(),
                  kMultimedia,
                  {},
                  false,
                  "",
                  "One of the caller's " + f.what});
    r->push_back({"POST", f.mine + "/{id}", f.post_mine, false, AnyRole(),
                  kMultimedia, item_ops, false, "",
                  "An operation on one of the " + f.what});
    r->push_back({"GET",
                  f.alias + "/{id}",
                  f.get_any,
                  false,
                  AnyRole(),
                  kMultimedia,
                  {},
                  false,
                  "",
                  "One of the " + f.what + " visible to the caller"});
    r->push_back({"POST", f.alias + "/{id}", f.post, false, AnyRole(),
                  kMultimedia, item_ops, false, "",
                  "An operation on one of the " + f.what});
  }
  r->push_back({"GET",
                "/api/v2/interactions/{id}",
                GetInteraction,
                false,
                AnyRole(),
                kMultimedia,
                {},
                false,
                "",
                "Any interaction visible to the caller"});
  r->push_back({"GET",
                "/api/v2/interactions/{id}/history",
                GetInteractionHistory,
                false,
                AnyRole(),
                kMultimedia,
                {},
                false,
                "",
                "The history of an interaction",
                /*extension=*/true});
  const Access readers = Roles(kReaders);
  r->push_back({"POST",
                "/api/v2/interactions/{id}",
                PostInteraction,
                false,
                readers,
                kMultimedia,
                {Op("AttachUserData", readers), Op("UpdateUserData", readers),
                 Op("DeleteUserData", readers)},
                false,
                "",
                "User data of any visible interaction"});
  r->push_back(
      {"POST",
       "/api/v2/queues/{id}",
       PostQueue,
       false,
       Roles({"ROLE_ADMIN"}),
       "",
       {Op("Submit", Roles({"ROLE_ADMIN", "ROLE_APIUSER"}), kMultimedia)},
       true,
       "api-provisioning-write",
       "Submit an interaction to a queue (or update the queue)"});
  r->push_back({"GET",
                "/api/v2/contacts/{id}",
                GetContact,
                false,
                AnyRole(),
                kMultimedia,
                {},
                false,
                "",
                "A contact profile"});
}

// Workbins (all need api-multimedia). The item routes with and without /me
// are interchangeable: the id names one instance.
void AddWorkbinRoutes(std::vector<Route>* r) {
  constexpr const char* kMultimedia = "api-multimedia";
  std::vector<Operation> item_ops;
  for (const char* name :
       {"AddInteraction",     "AddEmail",       "AddChat",
        "AddWorkitem",        "AddTweet",       "AddFacebook",
        "AddFacebooksession", "AddOpenmedia",   "PullInteraction",
        "PullEmail",          "PullChat",       "PullWorkitem",
        "PullTweet",          "PullFacebook",   "PullFacebooksession",
        "PullOpenmedia",      "Subscribe",      "Unsubscribe",
        "RequestStats",       "MoveInteraction"})
    item_ops.push_back(Op(name, AnyRole()));
  item_ops.back().extension = true;  // MoveInteraction
  item_ops.push_back(
      Op("AddInteractionToWorkbin", AnyRole(), "", /*alias=*/true));
  item_ops.push_back(Op("Unubscribe", AnyRole(), "", /*alias=*/true));
  r->push_back(
      {"GET",
       "/api/v2/workbins",
       GetWorkbins,
       false,
       AnyRole(),
       kMultimedia,
       {},
       false,
       "",
       "Workbins visible to the caller (or those named by workbinIds)"});
  r->push_back({"GET",
                "/api/v2/me/workbins",
                GetMyWorkbins,
                false,
                AnyRole(),
                kMultimedia,
                {},
                false,
                "",
                "The caller's own workbins (or those named by workbinIds)"});
  const std::vector<Operation> subscribe_ops = {
      Op("Subscribe", AnyRole()), Op("Unsubscribe", AnyRole()),
      Op("RequestAgentStats", AnyRole()),
      Op("Unubscribe", AnyRole(), "", /*alias=*/true)};
  for (const char* base : {"/api/v2/workbins", "/api/v2/me/workbins"})
    r->push_back({"POST", base, PostWorkbins, false, AnyRole(), kMultimedia,
                  subscribe_ops, false, "",
                  "Subscribe/Unsubscribe (workbinIds), RequestAgentStats"});
  // By user: the caller acts for {userId} (supervisors, admins).
  const std::string user_base = "/api/v2/users/{userId}/workbins";
  r->push_back({"GET",
                user_base,
                GetUserWorkbins,
                false,
                AnyRole(),
                kMultimedia,
                {},
                false,
                "",
                "A user's own workbins"});
  r->push_back(
      {"POST", user_base, PostUserWorkbins, false, AnyRole(), kMultimedia,
       subscribe_ops, false, "",
       "Subscribe/Unsubscribe (workbinIds), RequestAgentStats for a user"});
  r->push_back({"GET",
                user_base + "/{id}",
                GetUserWorkbin,
                false,
                AnyRole(),
                kMultimedia,
                {},
                false,
                "",
                "One workbin of a user"});
  r->push_back({"POST", user_base + "/{id}", PostUserWorkbin, false, AnyRole(),
                kMultimedia, item_ops, false, "",
                "Add, Pull, Subscribe, Unsubscribe for a user"});
  r->push_back({"GET",
                user_base + "/{id}/{mediaType}",
                GetUserWorkbinMedia,
                false,
                AnyRole(),
                kMultimedia,
                {},
                false,
                "",
                "The content of one media in a user's workbin"});
  // Compatibility alias of the by-user reads, without "users/" (GET only).
  // Literal segments win, so /api/v2/me/workbins/... never lands here; a
  // {userId} that is not a user id is a 404 from the service.
  r->push_back({"GET",
                "/api/v2/{userId}/workbins/{id}",
                GetUserWorkbin,
                false,
                AnyRole(),
                kMultimedia,
                {},
                false,
                "",
                "One workbin of a user (compatibility alias)",
                false,
                "/api/v2/users/{userId}/workbins/{id}"});
  r->push_back(
      {"GET",
       "/api/v2/{userId}/workbins/{id}/{mediaType}",
       GetUserWorkbinMedia,
       false,
       AnyRole(),
       kMultimedia,
       {},
       false,
       "",
       "The content of one media in a user's workbin (compatibility alias)",
       false,
       "/api/v2/users/{userId}/workbins/{id}/{mediaType}"});
  for (const char* base :
       {"/api/v2/workbins/{id}", "/api/v2/me/workbins/{id}"}) {
    const std::string item = base;
    r->push_back({"GET",
                  item,
                  GetWorkbin,
                  false,
                  AnyRole(),
                  kMultimedia,
                  {},
                  false,
                  "",
                  "One workbin, with its content on request"});
    r->push_back({"POST", item, PostWorkbin, false, AnyRole(), kMultimedia,
                  item_ops, false, "",
                  "Add, Pull, Subscribe, Unsubscribe on one workbin"});
    r->push_back({"GET",
                  item + "/{mediaType}",
                  GetWorkbinMedia,
                  false,
                  AnyRole(),
                  kMultimedia,
                  {},
                  false,
                  "",
                  "The content of one workbin of one media"});
  }
}

std::vector<Route> Build() {
  constexpr const char* kMultimedia = "api-multimedia";
  constexpr const char* kAgentControl = "api-supervisor-agent-control";
  std::vector<Route> r;
  // Diagnostics (public).
  r.push_back({"GET",
               "/api/v2/diagnostics/version",
               GetVersion,
               true,
               {},
               "",
               {},
               false,
               "",
               "Server version"});
  r.push_back({"GET",
               "/api/v2/openapi.json",
               GetOpenApi,
               true,
               {},
               "",
               {},
               false,
               "",
               "This OpenAPI document",
               /*extension=*/true});
  // The caller.
  r.push_back({"GET",
               "/api/v2/me",
               GetMe,
               false,
               AnyoneAndSystemAdmins(),
               "",
               {},
               false,
               "",
               "The caller's user resource"});
  r.push_back({"POST",
               "/api/v2/me",
               PostMe,
               false,
               AnyRole(),
               "",
               {Op("StartContactCenterSession", Roles(kAgentLike)),
                Op("EndContactCenterSession", AnyoneAndSystemAdmins()),
                Op("Ready", Roles(kAgentLike), kMultimedia),
                Op("NotReady", Roles(kAgentLike), kMultimedia)},
               false,
               "",
               "Contact-center session operations"});
  // Features.
  r.push_back({"GET",
               "/api/v2/features",
               GetFeatures,
               false,
               AnyRole(),
               "",
               {},
               false,
               "",
               "Features enabled for the contact center"});
  r.push_back({"GET",
               "/api/v2/features/{id}",
               GetFeature,
               false,
               AnyRole(),
               "",
               {},
               false,
               "",
               "One enabled feature"});
  // Users (reads; writes are provisioning routes).
  r.push_back({"GET",
               "/api/v2/users",
               GetUsers,
               false,
               Roles(kReaders),
               "",
               {},
               false,
               "",
               "Users of the contact center"});
  r.push_back({"GET",
               "/api/v2/users/{userId}",
               GetUser,
               false,
               AnyRole(),
               "",
               {},
               false,
               "",
               "One user"});
  // Channels.
  r.push_back({"GET",
               "/api/v2/me/channels",
               GetMyChannels,
               false,
               AnyRole(),
               kMultimedia,
               {},
               false,
               "",
               "The caller's logged-in channels"});
  r.push_back({"GET",
               "/api/v2/me/channels/{channel}",
               GetMyChannel,
               false,
               AnyRole(),
               kMultimedia,
               {},
               false,
               "",
               "One logged-in channel"});
  r.push_back(
      {"POST",
       "/api/v2/me/channels/{channel}",
       PostMyChannel,
       false,
       AnyRole(),
       kMultimedia,
       {Op("Ready", Roles(kAgentLike)), Op("NotReady", Roles(kAgentLike))},
       false,
       "",
       "Ready / NotReady on one channel"});
  r.push_back({"GET",
               "/api/v2/users/{userId}/channels",
               GetUserChannels,
               false,
               AnyRole(),
               kAgentControl,
               {},
               false,
               "",
               "A user's logged-in channels"});
  r.push_back({"GET",
               "/api/v2/users/{userId}/channels/{channel}",
               GetUserChannel,
               false,
               AnyRole(),
               kAgentControl,
               {},
               false,
               "",
               "One channel of a user"});
  r.push_back({"POST",
               "/api/v2/users/{userId}/channels/{channel}",
               PostUserChannel,
               false,
               AnyRole(),
               kAgentControl,
               {Op("Ready", AnyRole()), Op("NotReady", AnyRole())},
               false,
               "",
               "Ready / NotReady on a user's channel (supervisor control)"});
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
