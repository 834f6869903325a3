// Text encodings of record fields that the schema stores as JSON text: id
// and name lists, the routing settings of a contact center, capacities, the
// channels of an agent state and the media fields of an interaction. The
// same encodings as the SQLite backend, so both hold identical values.
// Decoders accept any text and ignore what they do not understand.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "storage/records.h"

namespace workbind::storage::postgres {

std::string EncodeList(const std::vector<std::string>& v);
std::vector<std::string> DecodeList(const std::string& text);

std::string EncodeIntMap(const std::map<std::string, int>& m);
std::map<std::string, int> DecodeIntMap(const std::string& text);

// offerTimeoutSeconds, capacity, declineCooldownSeconds, lastAgentWaitSeconds.
std::string EncodeRouting(const ContactCenterRecord& r);
void DecodeRouting(const std::string& text, ContactCenterRecord* r);

std::string EncodeChannels(const std::vector<ChannelStateRecord>& channels);
std::vector<ChannelStateRecord> DecodeChannels(const std::string& text);

// from, to, cc, bcc, subject, body, mime, participants.
std::string EncodeMedia(const InteractionRecord& r);
void DecodeMedia(const std::string& text, InteractionRecord* r);

}  // namespace workbind::storage::postgres
