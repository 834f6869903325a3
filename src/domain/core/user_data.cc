#include "domain/core/user_data.h"

#include <boost/json.hpp>
#include <cmath>

namespace workbind::domain {
namespace json = boost::json;
namespace {

constexpr std::string_view kSystemKeys[] = {
    "InteractionId",      "ContactId",      "Workbin",
    "WorkbinAgentId",     "WorkbinPlaceId", "WorkbinAgentGroupId",
    "WorkbinPlaceGroupId"};

// Counts code points and spots control characters (C0, DEL, C1) in UTF-8
// text that is already known to be valid.
bool KeyOk(std::string_view key) {
  size_t chars = 0;
  for (size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    if ((c & 0xC0) != 0x80) ++chars;
    if (c < 0x20 || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < key.size()) {
      const auto n = static_cast<unsigned char>(key[i + 1]);
      if (n >= 0x80 && n <= 0x9F) return false;
    }
  }
  return chars >= 1 && chars <= kMaxUserDataKeyChars;
}

}  // namespace

bool IsSystemUserDataKey(std::string_view key) {
  for (auto k : kSystemKeys)
    if (k == key) return true;
  return false;
}

Status ValidateUserDataValues(const json::object& values) {
  for (const auto& [key, value] : values) {
    const std::string k(key);
    if (!KeyOk(key))
      return InvalidArgument("userData key '" + k +
                             "' must have 1-128 characters and no control "
                             "characters");
    if (value.is_string()) {
      if (value.as_string().size() > kMaxUserDataStringBytes)
        return InvalidArgument("userData value of '" + k + "' exceeds " +
                               std::to_string(kMaxUserDataStringBytes) +
                               " bytes");
    } else if (!value.is_number()) {
      return InvalidArgument("userData value of '" + k +
                             "' must be a string or a number");
    } else if (value.is_double() && !std::isfinite(value.get_double())) {
      // The parser turns a number beyond the double range (1e400) into an
      // infinity, which has no JSON form and would not be stored.
      return InvalidArgument("userData value of '" + k + "' is out of range");
    }
  }
  for (const auto& [key, value] : values)
    if (IsSystemUserDataKey(key))
      return ReadOnly("userData key '" + std::string(key) + "' is read-only");
  return Status::Ok();
}

Status ValidateUserDataDeletion(const std::vector<std::string>& keys) {
  for (const auto& k : keys)
    if (IsSystemUserDataKey(k))
      return ReadOnly("userData key '" + k + "' is read-only");
  return Status::Ok();
}

Result<json::object> MergeUserData(json::object current,
                                   const json::object& values) {
  for (const auto& [key, value] : values) current[key] = value;
  if (current.size() > kMaxUserDataKeys)
    return InvalidArgument("userData would exceed " +
                           std::to_string(kMaxUserDataKeys) + " keys");
  return current;
}

json::object RemoveUserData(json::object current,
                            const std::vector<std::string>& keys,
                            std::vector<std::string>* removed) {
  for (const auto& k : keys)
    if (current.stable_erase(k) > 0) removed->push_back(k);
  return current;
}

json::object ParseUserData(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

std::string SerializeUserData(const json::object& data) {
  return json::serialize(data);
}

}  // namespace workbind::domain
