// ServiceDeps: what the services over interactions (InteractionService,
// QueueService, WorkbinService) are built from. Plain value of pointers,
// none owned: each must outlive the services built from it.
#pragma once

#include "common/clock.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_render.h"
#include "domain/interactions/routing_trigger.h"
#include "domain/notifications/notifier.h"
#include "storage/store.h"

namespace workbind::domain {

struct ServiceDeps {
  storage::Store* store = nullptr;
  DirectoryCache* directories = nullptr;
  const Notifier* notifier = nullptr;
  const InteractionRenderer* renderer = nullptr;
  const Clock* clock = nullptr;
  RoutingTrigger* trigger = nullptr;  // null: no routing
};

}  // namespace workbind::domain
