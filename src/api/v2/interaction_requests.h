// Decoding of interaction request bodies (operations, Create, Submit) into
// the domain's request values, with the body rules of the API and its
// check order (missing fields, then types). Pure
// functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/interactions/interaction_service.h"
#include "domain/interactions/queue_service.h"

namespace workbind::api {

// The last path segment of a URI or path ("http://h/api/v2/queues/x" -> "x").
std::string LastSegment(std::string_view uri);

// The body of an interaction operation named `operation` (an accepted
// operationName).
Result<domain::OperationRequest> DecodeOperation(
    const std::string& operation, const boost::json::object& body);
// The body of Create.
Result<domain::CreateRequest> DecodeCreate(const boost::json::object& body);
// The body of Submit.
Result<domain::SubmitRequest> DecodeSubmit(const boost::json::object& body);

}  // namespace workbind::api
