// ProvisioningIssues: the problems found while validating or applying a
// provisioning change. Each problem keeps the JSON pointer it concerns and
// two renderings: the short text of a provisioning file error line and the
// statusMessage of a REST reply. The file reports every problem; the REST API
// reports the first one by the order of checks (missing field, then bad
// value, then read-only key, then unknown reference, then conflict).
// Value type; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace workbind::domain {

struct ProvisioningIssue {
  Code code;
  std::string pointer;  // JSON pointer; empty for the whole document
  std::string problem;  // file wording, e.g. "unknown key"
  std::string message;  // REST statusMessage
};

class ProvisioningIssues {
 public:
  // A required key is absent: "Missing required field '<key>'".
  void Missing(const std::string& at, std::string_view key);
  // A key the schema does not know (provisioning file only).
  void UnknownKey(const std::string& at, std::string_view key);
  // A value of the wrong type, format or range. `field` names the field in
  // the REST message ("Field 'roles' must be an array of strings"); `problem`
  // starts with "must".
  void Invalid(const std::string& pointer, std::string_view field,
               std::string problem);
  // An attempt to change a read-only key: "Field '<field>' is read-only".
  void ReadOnly(const std::string& pointer, std::string_view field);
  // Any other problem: `problem` reads on its own ("user 'sam' lacks
  // ROLE_SUPERVISOR"); the REST message prefixes it with the field name.
  void Add(Code code, const std::string& pointer, std::string_view field,
           std::string problem);
  // A problem whose REST message is given explicitly.
  void AddWithMessage(Code code, const std::string& pointer,
                      std::string problem, std::string message);

  bool empty() const { return issues_.empty(); }
  size_t size() const { return issues_.size(); }
  const std::vector<ProvisioningIssue>& all() const { return issues_; }

  // The REST reply for the most relevant problem; OK when there is none.
  Status FirstStatus() const;
  // "provisioning: <pointer>: <problem>" lines, in the order found.
  std::vector<std::string> Lines() const;

 private:
  std::vector<ProvisioningIssue> issues_;
};

// `at` + "/" + key, with '~' and '/' escaped as JSON pointers require.
std::string PointerJoin(const std::string& at, std::string_view key);
std::string PointerJoin(const std::string& at, size_t index);

}  // namespace workbind::domain
