// User data of interactions: the
// client-side validation rules, the limits, the read-only system keys and
// the merge/delete edits. Pure functions over JSON objects; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace workbind::domain {

inline constexpr size_t kMaxUserDataKeys = 256;  // system keys included
inline constexpr size_t kMaxUserDataStringBytes = 16384;
inline constexpr size_t kMaxUserDataKeyChars = 128;

// The keys the server maintains (InteractionId, ContactId, Workbin, ...).
bool IsSystemUserDataKey(std::string_view key);

// Checks keys and values a client wants to set. kInvalidArgument naming the
// key when a key is empty, longer than 128 characters or holds a control
// character, or a value is neither a string nor a number, or a string is
// longer than 16384 bytes; after that, kReadOnly "userData key 'K' is
// read-only" for a system key.
Status ValidateUserDataValues(const boost::json::object& values);
// kReadOnly for a system key among keys a client wants to delete.
Status ValidateUserDataDeletion(const std::vector<std::string>& keys);

// `current` with every key of `values` set (replaced in place or appended).
// kInvalidArgument when the result would hold more than 256 keys.
Result<boost::json::object> MergeUserData(boost::json::object current,
                                          const boost::json::object& values);
// `current` without `keys`; the keys that were present are added to
// `removed` (absent keys are ignored).
boost::json::object RemoveUserData(boost::json::object current,
                                   const std::vector<std::string>& keys,
                                   std::vector<std::string>* removed);

// The stored text form (a JSON object) and back; unreadable text gives {}.
boost::json::object ParseUserData(const std::string& text);
std::string SerializeUserData(const boost::json::object& data);

}  // namespace workbind::domain
