#include "domain/agents/last_session_end.h"

#include <optional>

#include "common/log.h"
#include "domain/agents/agent_state_service.h"
#include "domain/workbins/workbin_service.h"

namespace workbind::domain {

LastSessionEnd::LastSessionEnd(storage::Store* store,
                               AgentStateService* agent_states,
                               WorkbinService* workbins)
    : store_(store), agent_states_(agent_states), workbins_(workbins) {}

void LastSessionEnd::Apply(const std::vector<std::string>& user_ids) const {
  for (const auto& id : user_ids) {
    std::optional<storage::UserRecord> user;
    Status read = store_->Read([&](storage::ReadTx& tx) {
      WB_ASSIGN_OR_RETURN(user, tx.GetUser(id));
      return Status::Ok();
    });
    if (!read.ok() || !user) continue;
    if (!agent_states_->End(user->contact_center_id, id).ok())
      log::Warn("ending the contact-center session of {} failed", id);
    if (!workbins_->EndSubscriptionsOf(user->contact_center_id, id).ok())
      log::Warn("ending the workbin subscriptions of {} failed", id);
  }
}

}  // namespace workbind::domain
