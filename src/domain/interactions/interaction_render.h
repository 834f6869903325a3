// InteractionRenderer: the interaction resource as a given reader sees it,
// and the data of the <Media>StateChangeMessage notifications. Holds the
// external API url and the time zone of receivedDate. Immutable after
// construction; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "domain/core/time_format.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_model.h"
#include "storage/records.h"

namespace workbind::domain {

// What a reader sees of an interaction: a state and its capabilities.
struct InteractionView {
  InteractionState state = InteractionState::kCompleted;
  std::vector<InteractionOp> capabilities;
  bool offeree = false;  // the reader holds the open offer (offerExpiresAt)
};

// The view of `reader_id`: the owner or offeree sees the stored state and
// the capabilities of the state table; anyone else the stored state and
// none.
InteractionView ViewFor(const storage::InteractionRecord& r,
                        const std::string& reader_id);
// The view of a user who just lost the interaction (Revoked or Completed).
InteractionView LostView(InteractionState shown);

class InteractionRenderer {
 public:
  InteractionRenderer(std::string api_url, TimeZone zone)
      : api_url_(std::move(api_url)), zone_(std::move(zone)) {}

  // The resource with `view`'s state and capabilities.
  boost::json::object Resource(const storage::InteractionRecord& r,
                               const InteractionView& view) const;
  // Resource() plus the keys of GET /interactions/{id}: ownerId,
  // workbinId, queueName.
  boost::json::object ExtendedResource(const Directory& dir,
                                       const storage::InteractionRecord& r,
                                       const InteractionView& view) const;
  // The `data` of a state-change message without referenceId.
  boost::json::object StateMessage(const storage::InteractionRecord& r,
                                   const InteractionView& view,
                                   std::string_view notification_type) const;
  // The `Error` message of a declined transfer.
  boost::json::object ErrorMessage(const storage::InteractionRecord& r,
                                   const InteractionView& view, int error_code,
                                   const std::string& error_message) const;

  const std::string& api_url() const { return api_url_; }
  const TimeZone& zone() const { return zone_; }

 private:
  std::string api_url_;
  TimeZone zone_;
};

}  // namespace workbind::domain
