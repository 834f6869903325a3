#include "domain/provisioning/provisioning_issues.h"

namespace workbind::domain {
namespace {

// Position of a code in the order of checks (conventions: required fields,
// then types and ranges, then read-only keys, then lookups, then state).
int Rank(Code code) {
  switch (code) {
    case Code::kMissingParameter:
      return 0;
    case Code::kInvalidArgument:
      return 1;
    case Code::kReadOnly:
      return 2;
    case Code::kNotFound:
      return 3;
    case Code::kAlreadyExists:
      return 4;
    case Code::kInUse:
      return 5;
    default:
      return 6;
  }
}

}  // namespace

void ProvisioningIssues::Missing(const std::string& at, std::string_view key) {
  issues_.push_back({Code::kMissingParameter, PointerJoin(at, key),
                     "required key missing",
                     "Missing required field '" + std::string(key) + "'"});
}

void ProvisioningIssues::UnknownKey(const std::string& at,
                                    std::string_view key) {
  issues_.push_back({Code::kInvalidArgument, PointerJoin(at, key),
                     "unknown key",
                     "Unknown field '" + std::string(key) + "'"});
}

void ProvisioningIssues::Invalid(const std::string& pointer,
                                 std::string_view field, std::string problem) {
  std::string message = "Field '" + std::string(field) + "' " + problem;
  issues_.push_back({Code::kInvalidArgument, pointer, std::move(problem),
                     std::move(message)});
}

void ProvisioningIssues::ReadOnly(const std::string& pointer,
                                  std::string_view field) {
  issues_.push_back({Code::kReadOnly, pointer, "is read-only",
                     "Field '" + std::string(field) + "' is read-only"});
}

void ProvisioningIssues::Add(Code code, const std::string& pointer,
                             std::string_view field, std::string problem) {
  std::string message = field.empty()
                            ? problem
                            : "Field '" + std::string(field) + "': " + problem;
  issues_.push_back({code, pointer, std::move(problem), std::move(message)});
}

void ProvisioningIssues::AddWithMessage(Code code, const std::string& pointer,
                                        std::string problem,
                                        std::string message) {
  issues_.push_back({code, pointer, std::move(problem), std::move(message)});
}

Status ProvisioningIssues::FirstStatus() const {
  const ProvisioningIssue* best = nullptr;
  for (const auto& issue : issues_)
    if (!best || Rank(issue.code) < Rank(best->code)) best = &issue;
  if (!best) return Status::Ok();
  return Status(best->code, best->message);
}

std::vector<std::string> ProvisioningIssues::Lines() const {
  std::vector<std::string> out;
  out.reserve(issues_.size());
  for (const auto& issue : issues_) {
    if (issue.pointer.empty())
      out.push_back("provisioning: " + issue.problem);
    else
      out.push_back("provisioning: " + issue.pointer + ": " + issue.problem);
  }
  return out;
}

std::string PointerJoin(const std::string& at, std::string_view key) {
  std::string out = at;
  out.push_back('/');
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

std::string PointerJoin(const std::string& at, size_t index) {
  return at + "/" + std::to_string(index);
}

}  // namespace workbind::domain
