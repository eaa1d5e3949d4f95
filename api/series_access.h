// Which series a request may touch: the one its path names, if the id is valid and the caller's key
// may see it. A key limited to a prefix gets the same 404 for another prefix's series as for one
// that does not exist, so ids do not leak.
#pragma once

#include <string>

#include "api/http_types.h"
#include "core/result.h"

namespace patchcast::api {

// Returns the path parameter {id}. Errors: kInvalidArgument for an id that is not 1-128 of
// [A-Za-z0-9._-]; kNotFound "series 'x' does not exist" when the caller may not see it.
// Precondition: the route has an {id} parameter and a principal.
Result<std::string> VisibleSeriesId(const Request& request);

}  // namespace patchcast::api
