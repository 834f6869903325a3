#include "domain/notifier.h"

namespace workbind::domain {

Notification Notifier::Make(const Directory& dir, const std::string& user_id,
                            std::string topic, boost::json::object data,
                            const std::string& actor_user_id,
                            int64_t reference_id) const {
  Notification n;
  n.contact_center_id = dir.contact_center().id;
  n.user_id = user_id;
  n.user_uri = base_ + "/users/" + user_id;
  n.topic = std::move(topic);
  n.data = std::move(data);
  n.actor_user_id = actor_user_id;
  n.reference_id = reference_id;
  n.watchers = dir.Watchers(user_id);
  return n;
}

}  // namespace workbind::domain
