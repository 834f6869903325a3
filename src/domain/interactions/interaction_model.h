// The vocabulary of interactions: media families and the names each one uses
// on the wire (resource keys, topics, message types, canonical paths), the
// interaction states, the interaction operations, and the state machine's
// capability table (which operation the owner or offeree may call in which
// state, per family). Pure data and functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace workbind::domain {

enum class MediaFamily { kWorkitem, kEmail, kChat, kOpenMedia };

// The family of a media type: workitem, email and chat are their own family;
// every other media type (tweet, facebook, facebooksession, custom types) is
// open media.
MediaFamily FamilyOf(std::string_view media_type);

// The names a family uses on the wire.
struct MediaNames {
  std::string_view singular;      // resource key: "workitem" ... "openmedia"
  std::string_view plural;        // collection key: "workitems" ... "openmedia"
  std::string_view topic;         // agent topic under /v2/me/
  std::string_view message_type;  // "WorkitemStateChangeMessage" ...
  std::string_view type_key;      // "workitemType" ... "openmediaType"
};
const MediaNames& NamesOf(MediaFamily family);

// The canonical path of an interaction ("/workitems/{id}",
// "/openmedia/{mediaType}/{id}").
std::string CanonicalPath(std::string_view media_type, std::string_view id);

enum class InteractionState {
  kQueued,
  kInvited,
  kProcessing,
  kComposing,
  kChatting,
  kInWorkbin,
  kCompleted,
  kRevoked,  // only ever shown to the user who lost the interaction
};
inline constexpr InteractionState kAllStates[] = {
    InteractionState::kQueued,     InteractionState::kInvited,
    InteractionState::kProcessing, InteractionState::kComposing,
    InteractionState::kChatting,   InteractionState::kInWorkbin,
    InteractionState::kCompleted,  InteractionState::kRevoked};

std::string_view StateName(InteractionState state);
std::optional<InteractionState> ParseState(std::string_view name);
// Processing, Composing or Chatting.
bool IsWorkingState(InteractionState state);

enum class InteractionOp {
  kAccept,
  kReject,
  kComplete,
  kTransfer,
  kAttachUserData,
  kUpdateUserData,
  kDeleteUserData,
  kSetInFocus,
  kPlaceInQueue,
};
inline constexpr InteractionOp kAllOps[] = {
    InteractionOp::kAccept,         InteractionOp::kReject,
    InteractionOp::kComplete,       InteractionOp::kTransfer,
    InteractionOp::kAttachUserData, InteractionOp::kUpdateUserData,
    InteractionOp::kDeleteUserData, InteractionOp::kSetInFocus,
    InteractionOp::kPlaceInQueue};

std::string_view OpName(InteractionOp op);
std::optional<InteractionOp> ParseOp(std::string_view name);

// The capabilities of the owner or offeree in `state`, in wire order
//. Empty for states without operations.
const std::vector<InteractionOp>& Capabilities(InteractionState state,
                                               MediaFamily family);
// Whether `op` is among Capabilities(state, family).
bool Allows(InteractionState state, MediaFamily family, InteractionOp op);

}  // namespace workbind::domain
