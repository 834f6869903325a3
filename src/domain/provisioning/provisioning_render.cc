#include "domain/provisioning/provisioning_render.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/provisioning/provisioning_rules.h"
#include "storage/codec/record_codec.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

json::object Capacity(const std::map<std::string, int>& m) {
  json::object o;
  for (const auto& [channel, n] : m) o[channel] = n;
  return o;
}

// Names of the objects of `v` whose ids are listed, in list order; ids that
// no longer resolve are skipped.
template <typename T, typename Name>
json::array Names(const std::vector<T>& v, const std::vector<std::string>& ids,
                  Name name) {
  json::array a;
  for (const auto& id : ids)
    for (const auto& x : v)
      if (x.id == id) a.emplace_back(name(x));
  return a;
}

void AddAddress(json::object& o, std::string_view api_url,
                const std::string& path) {
  o["uri"] = std::string(api_url) + path;
  o["path"] = path;
}

}  // namespace

json::object RenderUser(const storage::DirectoryData& d,
                        const storage::UserRecord& u,
                        std::string_view api_url) {
  json::object o;
  o["id"] = u.id;
  o["userName"] = u.user_name;
  o["firstName"] = u.first_name;
  o["lastName"] = u.last_name;
  if (u.email_address) o["emailAddress"] = *u.email_address;
  o["roles"] = storage::codec::StringArray(u.roles);
  o["enabled"] = u.enabled;
  o["changePasswordOnFirstLogin"] = false;
  o["contactCenterId"] = u.contact_center_id;
  if (u.default_place_id)
    for (const auto& p : d.places)
      if (p.id == *u.default_place_id) o["defaultPlace"] = p.name;
  json::array member, supervised;
  for (const auto& g : d.agent_groups) {
    if (std::find(g.agent_ids.begin(), g.agent_ids.end(), u.id) !=
        g.agent_ids.end())
      member.emplace_back(g.name);
    if (std::find(g.supervisor_ids.begin(), g.supervisor_ids.end(), u.id) !=
        g.supervisor_ids.end())
      supervised.emplace_back(g.name);
  }
  o["agentGroups"] = std::move(member);
  o["supervisedGroups"] = std::move(supervised);
  if (u.capacity) o["capacity"] = Capacity(*u.capacity);
  AddAddress(o, api_url, KindPath(ObjectKind::kUser, u.id));
  return o;
}

json::object RenderPlace(const storage::PlaceRecord& p,
                         std::string_view api_url) {
  json::object o;
  o["id"] = p.id;
  o["name"] = p.name;
  AddAddress(o, api_url, KindPath(ObjectKind::kPlace, p.id));
  return o;
}

json::object RenderPlaceGroup(const storage::DirectoryData& d,
                              const storage::PlaceGroupRecord& g,
                              std::string_view api_url) {
  json::object o;
  o["id"] = g.id;
  o["name"] = g.name;
  o["places"] =
      Names(d.places, g.place_ids, [](const auto& p) { return p.name; });
  AddAddress(o, api_url, KindPath(ObjectKind::kPlaceGroup, g.id));
  return o;
}

json::object RenderAgentGroup(const storage::DirectoryData& d,
                              const storage::AgentGroupRecord& g,
                              std::string_view api_url) {
  auto user_name = [](const storage::UserRecord& u) { return u.user_name; };
  json::object o;
  o["id"] = g.id;
  o["name"] = g.name;
  o["agents"] = Names(d.users, g.agent_ids, user_name);
  o["supervisors"] = Names(d.users, g.supervisor_ids, user_name);
  AddAddress(o, api_url, KindPath(ObjectKind::kAgentGroup, g.id));
  return o;
}

json::object RenderQueue(const storage::DirectoryData& d,
                         const storage::QueueRecord& q,
                         std::string_view api_url, int64_t waiting_count) {
  json::object o;
  o["id"] = q.id;
  o["name"] = q.name;
  o["description"] = q.description;
  for (const auto& g : d.agent_groups)
    if (g.id == q.agent_group_id) o["agentGroup"] = g.name;
  o["waitingCount"] = waiting_count;
  AddAddress(o, api_url, KindPath(ObjectKind::kQueue, q.id));
  return o;
}

json::object RenderDefinition(const storage::WorkbinDefinitionRecord& def,
                              std::string_view api_url) {
  json::object o;
  o["id"] = def.id;
  o["name"] = def.name;
  o["displayName"] = def.display_name;
  o["type"] = def.type;
  if (def.owners) o["owners"] = storage::codec::StringArray(*def.owners);
  AddAddress(o, api_url, KindPath(ObjectKind::kWorkbinDefinition, def.id));
  return o;
}

json::object RenderContactCenter(const storage::ContactCenterRecord& cc,
                                 std::string_view api_url) {
  json::object routing;
  routing["offerTimeoutSeconds"] = cc.offer_timeout_seconds;
  routing["capacity"] = Capacity(cc.capacity);
  routing["declineCooldownSeconds"] = cc.decline_cooldown_seconds;
  routing["lastAgentWaitSeconds"] = cc.last_agent_wait_seconds;
  json::object o;
  o["id"] = cc.id;
  o["name"] = cc.name;
  o["displayName"] = cc.display_name;
  o["features"] = storage::codec::StringArray(cc.features);
  o["mediaTypes"] = storage::codec::StringArray(cc.media_types);
  o["settings"] = json::object{{"routing", std::move(routing)}};
  AddAddress(o, api_url, "/system/contact-centers/" + cc.id);
  return o;
}

json::object RenderSystemAdmin(const storage::SystemAdminRecord& admin,
                               std::string_view api_url) {
  json::object o;
  o["id"] = admin.id;
  o["userName"] = admin.user_name;
  o["roles"] = json::array();
  o["enabled"] = true;
  AddAddress(o, api_url, "/system/admins/" + admin.id);
  return o;
}

}  // namespace workbind::domain
