// RoutingTrigger: how services tell the router that a contact center may
// have new work to offer (a submit or requeue, freed capacity, an agent
// becoming ready). Implementations must be thread-safe and must not block.
#pragma once

#include <string>

namespace workbind::domain {

class RoutingTrigger {
 public:
  virtual ~RoutingTrigger() = default;
  virtual void Trigger(const std::string& contact_center_id) = 0;
};

}  // namespace workbind::domain
