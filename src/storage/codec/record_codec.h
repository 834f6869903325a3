// Text encodings of the record fields that both backends store as text (the
// two schemas mirror each other): id and name lists, capacities, the routing
// settings of a contact center, the channels of an agent state, the
// media-specific fields of an interaction and the watchers of a
// notification. Both backends encode with these functions, so they hold the
// same values. Decoders accept any text and ignore what they do not
// understand. Works on plain values only (no database type).
// Pure functions; thread-safe.
#pragma once

#include <boost/json/array.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/records.h"

namespace workbind::storage::codec {

// JSON building blocks of the encodings below: a string array, and the chat
// participants as [{"nickname", "type", "participantId"}, ...].
boost::json::array StringArray(const std::vector<std::string>& v);
boost::json::array ParticipantArray(
    const std::vector<ChatParticipantRecord>& participants);

// A JSON array of strings; decoding keeps only the string elements.
std::string EncodeList(const std::vector<std::string>& v);
std::vector<std::string> DecodeList(const std::string& text);

// A JSON object of integers (capacities). Decoding: std::nullopt when `text`
// is not JSON; otherwise its integer members (none when it is not an object).
std::string EncodeIntMap(const std::map<std::string, int>& m);
std::optional<std::map<std::string, int>> DecodeIntMap(const std::string& text);

// offerTimeoutSeconds, capacity, declineCooldownSeconds, lastAgentWaitSeconds.
// Decoding sets only the fields present with the right type.
std::string EncodeRouting(const ContactCenterRecord& r);
void DecodeRouting(const std::string& text, ContactCenterRecord* r);

// [{"channel", "ready", "reason" (when set), "idleSince"}, ...].
std::string EncodeChannels(const std::vector<ChannelStateRecord>& channels);
std::vector<ChannelStateRecord> DecodeChannels(const std::string& text);

// How EncodeMedia writes the fields of an interaction that are empty.
enum class MediaFields {
  // Every field, empty or not (PostgreSQL's rows).
  kAll,
  // Only the fields that are set, and "" when none is (SQLite's rows: most
  // workitems have none, and reading "" skips the parse).
  kOnlySet,
};

// from, to, cc, bcc, subject, body, mime, participants, as one JSON object.
std::string EncodeMedia(const InteractionRecord& r, MediaFields fields);
// Reads either form of EncodeMedia into `r`, whose media fields are still
// empty (a record being read from its row).
void DecodeMedia(const std::string& text, InteractionRecord* r);

// The watchers of a notification (32-hex user ids), comma-separated.
std::string EncodeWatchers(const std::vector<std::string>& watchers);
std::vector<std::string> DecodeWatchers(const std::string& text);

// std::nullopt for "" (stored as NULL), else `s`.
std::optional<std::string> NonEmpty(const std::string& s);

}  // namespace workbind::storage::codec
