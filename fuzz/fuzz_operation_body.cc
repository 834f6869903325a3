// Fuzz target: the decoding of REST request bodies into operations. The
// first input line names what the body is for (an interaction operationName,
// "Create", "Submit", or a provisioning object kind), the rest is the body of
// a POST with Content-Type application/json. The body goes through the
// API's body rules (ParseBodyObject), then the matching decoder.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/v2/interaction_requests.h"
#include "domain/provisioning/provisioning_issues.h"
#include "domain/provisioning/provisioning_patch.h"
#include "http/json_util.h"
#include "http/request.h"

namespace {

namespace json = boost::json;
using namespace workbind;

// The provisioning REST bodies (lenient decoding, as for POST/PUT).
bool DecodeProvisioning(std::string_view kind, const json::object& body) {
  domain::ProvisioningIssues issues;
  const auto lenient = domain::Strictness::kLenient;
  const std::string at = "";
  if (kind == "contactCenter")
    (void)domain::DecodeContactCenter(body, at, lenient, &issues);
  else if (kind == "systemAdmin")
    (void)domain::DecodeSystemAdmin(body, at, lenient, &issues);
  else if (kind == "user")
    (void)domain::DecodeUser(body, at, lenient, &issues);
  else if (kind == "place")
    (void)domain::DecodePlace(body, at, lenient, &issues);
  else if (kind == "placeGroup")
    (void)domain::DecodePlaceGroup(body, at, lenient, &issues);
  else if (kind == "agentGroup")
    (void)domain::DecodeAgentGroup(body, at, lenient, &issues);
  else if (kind == "queue")
    (void)domain::DecodeQueue(body, at, lenient, &issues);
  else if (kind == "workbin")
    (void)domain::DecodeDefinition(body, at, lenient, &issues);
  else
    return false;
  (void)issues.Lines();
  (void)issues.FirstStatus();
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  if (eol == std::string_view::npos) return 0;
  const std::string name(input.substr(0, eol));

  HttpRequest raw;
  raw.method = "POST";
  raw.target = "/api/v2/me/interactions/x";
  raw.headers.emplace_back("Content-Type", "application/json");
  raw.body = std::string(input.substr(eol + 1));
  const http::Request request(std::move(raw));
  auto body = http::ParseBodyObject(request);
  if (!body.ok()) return 0;
  (void)http::CanonicalJson(*body);

  if (DecodeProvisioning(name, *body)) return 0;
  if (name == "Create") {
    (void)api::DecodeCreate(*body);
  } else if (name == "Submit") {
    (void)api::DecodeSubmit(*body);
  } else {
    (void)api::DecodeOperation(name, *body);
  }
  return 0;
}
