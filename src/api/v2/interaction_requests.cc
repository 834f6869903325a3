#include "api/v2/interaction_requests.h"

#include "http/json_util.h"

namespace workbind::api {
namespace json = boost::json;
namespace {

using domain::InteractionOp;

bool Present(const json::object& body, std::string_view key) {
  const json::value* v = body.if_contains(key);
  return v && !v->is_null();
}

Status Missing(std::string_view key) {
  return MissingParameter("Missing required field '" + std::string(key) + "'");
}

// Optional "userData" object; absent gives {}.
Result<json::object> UserDataField(const json::object& body) {
  WB_ASSIGN_OR_RETURN(const json::object* o, http::GetObject(body, "userData"));
  return o ? *o : json::object();
}

Result<domain::EmailFields> EmailFieldsOf(const json::object& body) {
  domain::EmailFields e;
  WB_ASSIGN_OR_RETURN(e.from, http::GetString(body, "from"));
  WB_ASSIGN_OR_RETURN(e.to, http::GetStringArray(body, "to"));
  WB_ASSIGN_OR_RETURN(e.cc, http::GetStringArray(body, "cc"));
  WB_ASSIGN_OR_RETURN(e.bcc, http::GetStringArray(body, "bcc"));
  WB_ASSIGN_OR_RETURN(e.subject, http::GetString(body, "subject"));
  WB_ASSIGN_OR_RETURN(e.body, http::GetString(body, "body"));
  WB_ASSIGN_OR_RETURN(e.mime, http::GetString(body, "mime"));
  return e;
}

// DeleteUserData: "keys", or the compatibility alias "userData" as an array
// of key names or as an object whose keys are used.
Result<std::vector<std::string>> KeysOf(const json::object& body) {
  if (Present(body, "keys")) {
    auto keys = http::GetStringArray(body, "keys");
    if (!keys.ok()) return keys.status();
    return keys->value_or(std::vector<std::string>{});
  }
  if (!Present(body, "userData")) return Missing("keys");
  const json::value& v = body.at("userData");
  std::vector<std::string> keys;
  if (v.is_object()) {
    for (const auto& [k, ignored] : v.as_object()) keys.emplace_back(k);
    return keys;
  }
  if (v.is_array()) {
    for (const auto& e : v.as_array()) {
      if (!e.is_string()) break;
      keys.emplace_back(e.as_string());
    }
    if (keys.size() == v.as_array().size()) return keys;
  }
  return InvalidArgument(
      "Field 'userData' must be an array of key names or an object");
}

}  // namespace

std::string LastSegment(std::string_view uri) {
  uri = uri.substr(0, uri.find_first_of("?#"));
  const size_t slash = uri.rfind('/');
  return std::string(slash == std::string_view::npos ? uri
                                                     : uri.substr(slash + 1));
}

Result<domain::OperationRequest> DecodeOperation(const std::string& operation,
                                                 const json::object& body) {
  domain::OperationRequest r;
  auto op = domain::ParseOp(operation);
  if (!op) return InvalidState("Unknown operationName '" + operation + "'");
  r.op = *op;
  switch (r.op) {
    case InteractionOp::kAccept: {
      WB_ASSIGN_OR_RETURN(auto lar, http::GetBool(body, "saveLAR"));
      r.save_lar = lar.value_or(false);
      WB_ASSIGN_OR_RETURN(r.nickname, http::GetString(body, "nickname"));
      break;
    }
    case InteractionOp::kComplete: {
      WB_ASSIGN_OR_RETURN(r.queue_name, http::GetString(body, "queueName"));
      WB_ASSIGN_OR_RETURN(auto lar, http::GetBool(body, "saveLAR"));
      r.save_lar = lar.value_or(false);
      break;
    }
    case InteractionOp::kTransfer: {
      const bool user = Present(body, "userUri");
      const bool queue = Present(body, "queueName");
      if (!user && !queue)
        return MissingParameter(
            "Missing required field 'userUri' or 'queueName'");
      WB_ASSIGN_OR_RETURN(auto uri, http::GetString(body, "userUri"));
      WB_ASSIGN_OR_RETURN(r.queue_name, http::GetString(body, "queueName"));
      if (user && queue)
        return InvalidArgument(
            "Give either 'userUri' or 'queueName', not both");
      if (uri) r.target_user_id = LastSegment(*uri);
      break;
    }
    case InteractionOp::kPlaceInQueue: {
      WB_ASSIGN_OR_RETURN(auto name, http::RequireString(body, "queueName"));
      r.queue_name = std::move(name);
      break;
    }
    case InteractionOp::kAttachUserData:
    case InteractionOp::kUpdateUserData: {
      if (!Present(body, "userData")) return Missing("userData");
      WB_ASSIGN_OR_RETURN(r.user_data, UserDataField(body));
      break;
    }
    case InteractionOp::kDeleteUserData: {
      WB_ASSIGN_OR_RETURN(r.keys, KeysOf(body));
      break;
    }
    case InteractionOp::kReject:
    case InteractionOp::kSetInFocus:
      break;
  }
  return r;
}

Result<domain::CreateRequest> DecodeCreate(const json::object& body) {
  domain::CreateRequest r;
  WB_ASSIGN_OR_RETURN(std::string uri, http::RequireString(body, "queueUri"));
  r.queue_id = LastSegment(uri);
  WB_ASSIGN_OR_RETURN(r.parent_id, http::GetString(body, "parentId"));
  WB_ASSIGN_OR_RETURN(r.contact_id, http::GetString(body, "contactId"));
  WB_ASSIGN_OR_RETURN(r.user_data, UserDataField(body));
  WB_ASSIGN_OR_RETURN(r.email, EmailFieldsOf(body));
  return r;
}

Result<domain::SubmitRequest> DecodeSubmit(const json::object& body) {
  domain::SubmitRequest r;
  WB_ASSIGN_OR_RETURN(r.media_type, http::RequireString(body, "mediaType"));
  WB_ASSIGN_OR_RETURN(r.parent_id, http::GetString(body, "parentId"));
  WB_ASSIGN_OR_RETURN(r.contact_id, http::GetString(body, "contactId"));
  WB_ASSIGN_OR_RETURN(r.nickname, http::GetString(body, "nickname"));
  WB_ASSIGN_OR_RETURN(r.user_data, UserDataField(body));
  WB_ASSIGN_OR_RETURN(r.email, EmailFieldsOf(body));
  return r;
}

}  // namespace workbind::api
