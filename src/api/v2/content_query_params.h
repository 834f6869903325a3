// The paging/sort/filter/count parameters of content reads (extensions.md
// §1.2) decoded from the query string.
#pragma once

#include <optional>

#include "api/v2/api_context.h"
#include "common/status.h"
#include "domain/workbins/workbin_content_query.h"

namespace workbind::api {

// nullopt when none of the parameters is present. kInvalidArgument
// "Parameter '<name>' ..." for a bad value (limit outside 1..content.maxLimit,
// a bad sort, an unknown media type or state, count not true/false). Media
// types are checked against the caller's contact center.
Result<std::optional<domain::ContentQuery>> ParseContentQuery(Context& ctx);

}  // namespace workbind::api
