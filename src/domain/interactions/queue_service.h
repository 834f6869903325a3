// QueueService: Submit, which creates an interaction
// waiting in a queue and triggers the router. (Queue reads are provisioning
// reads; their waitingCount comes from InteractionUsage.) Thread-safe;
// methods block on storage.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/core/principal.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_render.h"
#include "domain/interactions/interaction_service.h"
#include "domain/interactions/routing_trigger.h"
#include "domain/interactions/service_deps.h"
#include "domain/notifications/notifier.h"
#include "storage/store.h"

namespace workbind::domain {

// POST /queues/{id} Submit, its body decoded.
struct SubmitRequest {
  std::string media_type;
  std::optional<std::string> parent_id;
  std::optional<std::string> contact_id;
  std::optional<std::string> nickname;  // chat: the customer
  boost::json::object user_data;
  EmailFields email;
};

class QueueService {
 public:
  // `deps.trigger` may be null (no routing).
  explicit QueueService(const ServiceDeps& deps);

  // Creates an interaction Queued in the queue. Returns the submitter's
  // referenceId and the new id. kInvalidArgument for a media type the
  // contact center lacks, a bad contactId or bad user data (kReadOnly for a
  // system key); kNotFound for an unknown queue or parentId.
  Result<CreateResult> Submit(const Principal& who, const std::string& queue_id,
                              const SubmitRequest& request);

 private:
  const ServiceDeps deps_;
};

}  // namespace workbind::domain
