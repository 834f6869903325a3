#include "domain/interactions/interaction_render.h"

#include <boost/json.hpp>

#include "domain/core/user_data.h"
#include "storage/codec/record_codec.h"

namespace workbind::domain {
namespace json = boost::json;
InteractionView ViewFor(const storage::InteractionRecord& r,
                        const std::string& reader_id) {
  InteractionView view;
  view.state = ParseState(r.state).value_or(InteractionState::kCompleted);
  const bool holder =
      r.owner_id && !reader_id.empty() && *r.owner_id == reader_id;
  if (holder) {
    view.capabilities = Capabilities(view.state, FamilyOf(r.media_type));
    view.offeree = view.state == InteractionState::kInvited;
  }
  return view;
}

InteractionView LostView(InteractionState shown) {
  InteractionView view;
  view.state = shown;
  return view;
}

json::object InteractionRenderer::Resource(const storage::InteractionRecord& r,
                                           const InteractionView& view) const {
  const MediaFamily family = FamilyOf(r.media_type);
  json::object o;
  o["id"] = r.id;
  o["mediaType"] = r.media_type;
  o["state"] = StateName(view.state);
  json::array caps;
  for (InteractionOp op : view.capabilities) caps.emplace_back(OpName(op));
  o["capabilities"] = std::move(caps);
  o[NamesOf(family).type_key] = r.direction;
  if (family == MediaFamily::kEmail) {
    o["from"] = r.from;
    o["to"] = storage::codec::StringArray(r.to);
    o["cc"] = storage::codec::StringArray(r.cc);
    o["bcc"] = storage::codec::StringArray(r.bcc);
    o["subject"] = r.subject;
    o["body"] = r.body;
    o["mime"] = r.mime.empty() ? "text/plain" : r.mime;
    o["attachments"] = json::array();
  } else if (family == MediaFamily::kChat) {
    o["participants"] = storage::codec::ParticipantArray(r.participants);
  }
  o["receivedDate"] = FormatGwsDate(r.received_ms, zone_);
  if (r.contact_id) o["contactId"] = *r.contact_id;
  if (r.parent_id) o["parentId"] = *r.parent_id;
  if (view.offeree && r.offer_expires_ms)
    o["offerExpiresAt"] = FormatIsoMillis(*r.offer_expires_ms);
  o["userData"] = ParseUserData(r.user_data);
  const std::string path = CanonicalPath(r.media_type, r.id);
  o["uri"] = api_url_ + path;
  o["path"] = path;
  return o;
}

json::object InteractionRenderer::ExtendedResource(
    const Directory& dir, const storage::InteractionRecord& r,
    const InteractionView& view) const {
  json::object o = Resource(r, view);
  if (r.owner_id) o["ownerId"] = *r.owner_id;
  if (r.state == "InWorkbin" && r.workbin_id) o["workbinId"] = *r.workbin_id;
  if (r.state == "Queued" && r.queue_id) {
    if (const auto* q = dir.QueueById(*r.queue_id)) o["queueName"] = q->name;
  }
  return o;
}

json::object InteractionRenderer::StateMessage(
    const storage::InteractionRecord& r, const InteractionView& view,
    std::string_view notification_type) const {
  const MediaNames& names = NamesOf(FamilyOf(r.media_type));
  json::object data;
  data["messageType"] = names.message_type;
  data["notificationType"] = notification_type;
  data[names.singular] = Resource(r, view);
  return data;
}

json::object InteractionRenderer::ErrorMessage(
    const storage::InteractionRecord& r, const InteractionView& view,
    int error_code, const std::string& error_message) const {
  const MediaNames& names = NamesOf(FamilyOf(r.media_type));
  json::object data;
  data["messageType"] = names.message_type;
  data["notificationType"] = "Error";
  data["errorCode"] = error_code;
  data["errorMessage"] = error_message;
  data[names.singular] = Resource(r, view);
  return data;
}

}  // namespace workbind::domain
