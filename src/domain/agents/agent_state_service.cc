#include "domain/agents/agent_state_service.h"

#include <algorithm>

#include "domain/workbins/workbin_subscriptions.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

constexpr const char* kReadyId = "9430250E-0A1B-421F-B372-F29E69366DED";
constexpr const char* kNotReadyId = "900D55CC-2BB0-431F-8BF9-D3525B383BE6";

}  // namespace

AgentStateService::AgentStateService(storage::Store* store,
                                     DirectoryCache* directories,
                                     const Notifier* notifier,
                                     const Clock* clock)
    : store_(store),
      directories_(directories),
      notifier_(notifier),
      clock_(clock) {}

json::object AgentStateService::RenderChannel(
    const storage::ChannelStateRecord& c) {
  json::object state;
  state["id"] = c.ready ? kReadyId : kNotReadyId;
  state["displayName"] = c.ready ? "Ready" : "Not Ready";
  state["state"] = c.ready ? "Ready" : "NotReady";
  if (!c.ready && c.reason) state["reason"] = *c.reason;
  json::object o;
  o["channel"] = c.channel;
  o["userState"] = std::move(state);
  o["dndState"] = "Off";
  return o;
}

json::object AgentStateService::Message(
    const storage::AgentStateRecord* state) const {
  json::array channels;
  if (state)
    for (const auto& c : state->channels) channels.push_back(RenderChannel(c));
  json::object data;
  data["messageType"] = "ChannelStateChangeMessageV2";
  data["channels"] = std::move(channels);
  return data;
}

Result<std::vector<ChannelResult>> AgentStateService::Start(
    const Principal& who, const std::vector<std::string>& channels,
    const std::optional<std::string>& place_name) {
  WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(who.contact_center_id));
  const storage::UserRecord* user = dir->UserById(who.user_id);
  if (!user) return NotFound("No such user");
  std::optional<std::string> place_id;
  if (place_name) {
    const auto* place = dir->PlaceByName(*place_name);
    if (!place) return NotFound("No such place '" + *place_name + "'");
    place_id = place->id;
  } else if (user->default_place_id &&
             dir->PlaceById(*user->default_place_id)) {
    place_id = user->default_place_id;
  }

  std::vector<ChannelResult> results;
  std::vector<std::string> accepted;
  const bool multimedia = dir->FeatureEnabled("api-multimedia");
  for (const auto& ch : channels) {
    if (std::find(accepted.begin(), accepted.end(), ch) != accepted.end())
      continue;
    if (multimedia && dir->IsMediaType(ch)) {
      results.push_back({ch, Status::Ok()});
      accepted.push_back(ch);
    } else {
      results.push_back(
          {ch, InvalidArgument("Channel '" + ch + "' is not available")});
    }
  }
  if (!channels.empty() && accepted.empty()) return results.front().status;

  const int64_t now = clock_->NowMillis();
  storage::AgentStateRecord next;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        if (place_id) {
          WB_ASSIGN_OR_RETURN(auto holder, tx.FindPlaceUser(*place_id));
          if (holder && *holder != who.user_id) {
            return InUse("Place '" + dir->PlaceById(*place_id)->name +
                         "' is in use");
          }
        }
        WB_ASSIGN_OR_RETURN(auto current, tx.GetAgentState(who.user_id));
        next = storage::AgentStateRecord{
            who.user_id, who.contact_center_id, place_id, {}};
        std::vector<std::string> dropped;
        if (current) {
          for (const auto& c : current->channels) {
            if (std::find(accepted.begin(), accepted.end(), c.channel) !=
                accepted.end())
              next.channels.push_back(c);
            else
              dropped.push_back(c.channel);
          }
        }
        for (const auto& ch : accepted) {
          bool present =
              std::any_of(next.channels.begin(), next.channels.end(),
                          [&](const auto& c) { return c.channel == ch; });
          if (!present) next.channels.push_back({ch, false, std::nullopt, now});
        }
        if (!dropped.empty() && observer_) {
          WB_RETURN_IF_ERROR(observer_->OnChannelsLoggedOut(
              tx, *dir, who.user_id, dropped, out));
        }
        WB_RETURN_IF_ERROR(tx.PutAgentState(next));
        if (!current || current->place_id != next.place_id)
          WB_RETURN_IF_ERROR(EndSubscriptionsLostByPlaceChange(
              tx, *dir, *notifier_, who.user_id, out));
        out->push_back(
            notifier_->Make(*dir, who.user_id, "channels", Message(&next)));
        return Status::Ok();
      });
  if (!st.ok()) {
    if (st.code() == Code::kInUse && place_id)
      return InUse("Place '" + dir->PlaceById(*place_id)->name + "' is in use");
    return st;
  }
  if (observer_) observer_->AfterChange(who.contact_center_id);
  return results;
}

Status AgentStateService::End(const std::string& cc,
                              const std::string& user_id) {
  WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(cc));
  bool had_session = false;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto current, tx.GetAgentState(user_id));
        had_session = current.has_value();
        if (!current) return Status::Ok();
        std::vector<std::string> channels;
        for (const auto& c : current->channels) channels.push_back(c.channel);
        if (!channels.empty() && observer_) {
          WB_RETURN_IF_ERROR(
              observer_->OnChannelsLoggedOut(tx, *dir, user_id, channels, out));
        }
        WB_RETURN_IF_ERROR(tx.DeleteAgentState(user_id));
        // The user is back at its default place.
        WB_RETURN_IF_ERROR(EndSubscriptionsLostByPlaceChange(
            tx, *dir, *notifier_, user_id, out));
        out->push_back(
            notifier_->Make(*dir, user_id, "channels", Message(nullptr)));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  if (!had_session) return Status::Ok();
  if (observer_) observer_->AfterChange(cc);
  return Status::Ok();
}

Result<int64_t> AgentStateService::SetState(
    const Principal& actor, const std::string& target,
    const std::string& channel, bool ready,
    const std::optional<std::string>& reason) {
  WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(actor.contact_center_id));
  const int64_t now = clock_->NowMillis();
  int64_t reference_id = 0;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto current, tx.GetAgentState(target));
        if (channel.empty() && (!current || current->channels.empty()))
          return InvalidState("No channel is logged in");
        if (!current)
          return NotFound("Channel '" + channel + "' is not logged in");
        bool found = false;
        for (auto& c : current->channels) {
          if (!channel.empty() && c.channel != channel) continue;
          found = true;
          if (ready && !c.ready) c.idle_since_ms = now;
          c.ready = ready;
          c.reason = ready ? std::nullopt : reason;
        }
        if (!found)
          return NotFound("Channel '" + channel + "' is not logged in");
        WB_RETURN_IF_ERROR(tx.PutAgentState(*current));
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(actor.user_id));
        out->push_back(notifier_->Make(*dir, target, "channels",
                                       Message(&*current), actor.user_id,
                                       reference_id));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  if (observer_) observer_->AfterChange(actor.contact_center_id);
  return reference_id;
}

Result<std::optional<storage::AgentStateRecord>> AgentStateService::Get(
    const std::string& user_id) {
  std::optional<storage::AgentStateRecord> out;
  Status st = store_->Read([&](storage::ReadTx& tx) {
    WB_ASSIGN_OR_RETURN(out, tx.GetAgentState(user_id));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace workbind::domain
