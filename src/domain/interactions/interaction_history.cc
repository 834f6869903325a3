// Interaction history: rendering, the access rule, and
// InteractionService::History.
#include "domain/interactions/interaction_history.h"

#include <boost/json.hpp>

#include "domain/core/time_format.h"
#include "domain/interactions/interaction_access.h"
#include "domain/interactions/interaction_service.h"

namespace workbind::domain {
namespace json = boost::json;

json::object RenderHistoryEvent(const storage::HistoryEventRecord& e) {
  json::object o;
  o["seq"] = e.seq;
  o["at"] = FormatIsoMillis(e.at_ms);
  o["event"] = e.event;
  if (!e.user_id.empty()) {
    o["userId"] = e.user_id;
    if (!e.user_name.empty()) o["userName"] = e.user_name;
  }
  if (e.reference_id > 0) o["referenceId"] = e.reference_id;
  o["state"] = e.state;
  if (!e.owner_id.empty()) o["ownerId"] = e.owner_id;
  if (!e.from_queue.empty()) o["fromQueue"] = e.from_queue;
  if (!e.to_queue.empty()) o["toQueue"] = e.to_queue;
  if (!e.from_workbin_id.empty()) o["fromWorkbinId"] = e.from_workbin_id;
  if (!e.to_workbin_id.empty()) o["toWorkbinId"] = e.to_workbin_id;
  if (!e.details.empty()) {
    // Stored by the domain as an object's JSON text; anything else (never
    // written) is left out rather than failing the whole history.
    boost::system::error_code ec;
    json::value d = json::parse(e.details, ec);
    if (!ec && d.is_object()) o["details"] = std::move(d);
  }
  return o;
}

bool AppearsInHistory(const std::vector<storage::HistoryEventRecord>& events,
                      const std::string& user_id) {
  if (user_id.empty()) return false;
  for (const auto& e : events)
    if (e.user_id == user_id || e.owner_id == user_id) return true;
  return false;
}

Result<json::array> InteractionService::History(const Principal& who,
                                                const std::string& id) {
  json::array out;
  Status st = deps_.store->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(auto dir,
                        deps_.directories->Get(tx, who.contact_center_id));
    WB_ASSIGN_OR_RETURN(auto r, Find(tx, *dir, "", id));
    WB_ASSIGN_OR_RETURN(auto events, tx.ListInteractionHistory(r.id));
    WB_ASSIGN_OR_RETURN(bool may_read, MayRead(tx, *dir, who, r));
    if (!may_read && !AppearsInHistory(events, who.user_id))
      return PermissionDenied("Interaction " + id +
                              " is not visible to user '" + who.user_name +
                              "'");
    out.clear();
    for (const auto& e : events) out.push_back(RenderHistoryEvent(e));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace workbind::domain
