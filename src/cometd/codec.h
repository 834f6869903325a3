// Bayeux codec (notifications.md §1.2, §3): decoding a request body or
// WebSocket frame into messages, reading and checking the common fields of
// one message, building replies, and serializing a response array.
// Pure functions and value types; thread-compatible.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace workbind::cometd {

inline constexpr std::string_view kMetaHandshake = "/meta/handshake";
inline constexpr std::string_view kMetaConnect = "/meta/connect";
inline constexpr std::string_view kMetaSubscribe = "/meta/subscribe";
inline constexpr std::string_view kMetaUnsubscribe = "/meta/unsubscribe";
inline constexpr std::string_view kMetaDisconnect = "/meta/disconnect";

// Error strings of §6.
inline constexpr std::string_view kErrHandshakeDenied = "403::Handshake denied";
inline constexpr std::string_view kErrTooManySessions =
    "403::Too many sessions";
inline constexpr std::string_view kErrUnsupportedConnectionType =
    "400::Unsupported connection type";
inline constexpr std::string_view kErrUnsupportedVersion =
    "400::Unsupported version";
inline constexpr std::string_view kErrUnknownClient = "402::Unknown client";
inline constexpr std::string_view kErrChannelMissing = "400::channel missing";
inline constexpr std::string_view kErrInvalidChannel = "405::invalid channel";
inline constexpr std::string_view kErrInvalidId = "405::invalid id";
inline constexpr std::string_view kErrDataMissing = "400::data missing";
inline constexpr std::string_view kErrSubscriptionMissing =
    "403::subscription_missing";
inline constexpr std::string_view kErrSubscriptionInvalid =
    "403::subscription_invalid";
inline constexpr std::string_view kErrSubscriptionDenied =
    "403::Subscription denied";
inline constexpr std::string_view kErrTooManySubscriptions =
    "403::Too many subscriptions";
inline constexpr std::string_view kErrPublishDenied = "403::Publish denied";

// The messages of a request, or the reason it is refused. Refused: malformed
// JSON ("Malformed JSON at byte N: ..."), nesting deeper than 32, an empty
// array, a value that is neither an object nor an array of objects, or a
// handshake together with other messages.
struct DecodeResult {
  std::vector<boost::json::object> messages;
  // Why refused: kInvalidArgument (HTTP 400, statusCode 10 through
  // http/error_mapping), with the statusMessage.
  std::optional<Status> error;
};
DecodeResult DecodeMessages(std::string_view text);

// The common fields of one message, checked per §3.1.
struct MessageHeader {
  std::string channel;  // normalized; empty when `error` is set
  std::optional<boost::json::value> id;    // a valid id, echoed in replies
  std::optional<std::string> raw_channel;  // the channel as sent, when a string
  std::string_view error;  // non-empty: channel missing/invalid, invalid id
};
MessageHeader ReadHeader(const boost::json::object& message);

// The message's clientId when it is a string, else empty.
std::string_view ClientIdOf(const boost::json::object& message);
// message.ext when it is an object, else nullptr.
const boost::json::object* ExtOf(const boost::json::object& message);
// An integer (or integral double) field as int64, else nullopt.
std::optional<int64_t> IntOf(const boost::json::value* v);

// {"channel":<channel>,"id":<id>} (the raw channel when the normalized one
// is unknown; no id when it was invalid or absent).
boost::json::object MakeReply(const MessageHeader& h);
// Sets successful:false and `error` on `reply`.
void SetError(boost::json::object* reply, std::string_view error);

// One serialized event (a delivered message), shared by every session that
// receives the same copy.
using EventPtr = std::shared_ptr<const std::string>;
EventPtr MakeEvent(const boost::json::object& event);
// {"channel":<channel>,"data":<data>}, the same text as MakeEvent of that
// object, written without building it.
EventPtr MakeChannelEvent(std::string_view channel,
                          const boost::json::value& data);

// A response array in the order of §3.4: the handshake reply, then events,
// then the other replies. Every element is JSON text: events are shared with
// the other sessions that receive them, replies are serialized when added,
// and Serialize only concatenates.
struct Batch {
  std::vector<std::string> head;
  std::vector<EventPtr> events;
  std::vector<std::string> replies;

  void AddHead(const boost::json::object& message);
  void AddReply(const boost::json::object& message);
  bool empty() const {
    return head.empty() && events.empty() && replies.empty();
  }
  // The JSON array text.
  std::string Serialize() const;
};

}  // namespace workbind::cometd
