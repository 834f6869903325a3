#include "domain/interactions/contact_service.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "domain/core/time_format.h"

namespace workbind::domain {
namespace json = boost::json;

Result<json::object> ContactService::Get(const Principal& who,
                                         const std::string& id) {
  const Status missing = NotFound("No such contact '" + id + "'");
  if (!ids::IsContactId(id)) return missing;
  std::optional<storage::ContactRecord> contact;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(contact, tx.GetContact(who.contact_center_id, id));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!contact) return missing;
  json::object o;
  o["id"] = contact->id;
  if (contact->last_agent_id) o["lastAgentId"] = *contact->last_agent_id;
  if (contact->last_agent_user_name)
    o["lastAgentUserName"] = *contact->last_agent_user_name;
  if (contact->last_agent_at_ms > 0)
    o["lastAgentAt"] = FormatIsoMillis(contact->last_agent_at_ms);
  if (contact->last_media_type) o["lastMediaType"] = *contact->last_media_type;
  const std::string path = "/contacts/" + contact->id;
  o["uri"] = api_url_ + path;
  o["path"] = path;
  return o;
}

}  // namespace workbind::domain
