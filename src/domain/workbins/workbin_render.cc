#include "domain/workbins/workbin_render.h"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>
#include <string_view>

#include "domain/core/user_data.h"
#include "domain/interactions/workbin_announcements.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

constexpr std::string_view kWorkbinUserDataKeys[] = {
    "Workbin", "WorkbinAgentId", "WorkbinPlaceId", "WorkbinAgentGroupId",
    "WorkbinPlaceGroupId"};

// The user-data key naming the owner of a workbin of this type.
std::string_view OwnerUserDataKey(const std::string& type) {
  if (type == "Agent") return "WorkbinAgentId";
  if (type == "Place") return "WorkbinPlaceId";
  if (type == "AgentGroup") return "WorkbinAgentGroupId";
  return "WorkbinPlaceGroupId";
}

// ISO 8601 UTC in whole seconds ("2024-05-14T09:40:02Z"). Not
// FormatIsoMillis without its milliseconds: strftime writes years below
// 1000 unpadded ("999-...") and truncates negative times toward zero.
std::string IsoSeconds(int64_t utc_millis) {
  const std::time_t t = static_cast<std::time_t>(utc_millis / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string DefinitionName(const Directory& dir,
                           const storage::WorkbinRecord& w) {
  const auto* d = dir.DefinitionById(w.definition_id);
  return d ? d->name : std::string();
}

json::object WorkbinResource(const Directory& dir,
                             const storage::WorkbinRecord& w,
                             const std::string& base_url) {
  const auto* d = dir.DefinitionById(w.definition_id);
  json::object o;
  o["id"] = w.id;
  o["name"] = d ? d->name : "";
  o["workbinName"] = d ? d->name : "";
  o["displayName"] = d ? d->display_name : "";
  o["type"] = w.owner_type;
  AddWorkbinOwnerKey(dir, w, "ownerId", &o);
  const std::string path = "/workbins/" + w.id;
  o["uri"] = base_url + path;
  o["path"] = path;
  return o;
}

std::string WithWorkbinKeys(const Directory& dir,
                            const storage::WorkbinRecord& w,
                            const std::string& user_data) {
  json::object ud = ParseUserData(user_data);
  for (auto key : kWorkbinUserDataKeys) ud.erase(key);
  ud["Workbin"] = DefinitionName(dir, w);
  ud[OwnerUserDataKey(w.owner_type)] = WorkbinOwnerName(dir, w);
  return SerializeUserData(ud);
}

std::string StatsOwner(const Directory& dir, const storage::WorkbinRecord& w) {
  return w.owner_type == "Agent" ? w.owner_id : WorkbinOwnerName(dir, w);
}

json::object WorkbinStatsMessage(
    const Directory& dir, const storage::WorkbinRecord& w,
    const std::vector<storage::InteractionRecord>& items) {
  json::object stats{{"NumberOfInteractions", items.size()}};
  if (!items.empty()) {
    int64_t min = items.front().workbin_entered_ms, max = min;
    for (const auto& r : items) {
      min = std::min(min, r.workbin_entered_ms);
      max = std::max(max, r.workbin_entered_ms);
    }
    stats["MinMovedToQueueAt"] = IsoSeconds(min);
    stats["MaxMovedToQueueAt"] = IsoSeconds(max);
  }
  json::object data;
  data["messageType"] = "WorkbinStatsMessage";
  data["workbinStats"] = json::object{{StatsOwner(dir, w), std::move(stats)}};
  data["id"] = w.id;
  data["workbinType"] = w.owner_type;
  return data;
}

json::object WorkbinCountStats(const Directory& dir,
                               const storage::WorkbinRecord& w, int64_t count) {
  return json::object{
      {"Count", count}, {"Owner", StatsOwner(dir, w)}, {"Type", w.owner_type}};
}

}  // namespace workbind::domain
