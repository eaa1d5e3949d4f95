// CacheKey: everything a cacheable GET's answer depends on besides the stored data and the clock,
// as one string for api/response_cache.h: the route template, the decoded path parameters, the
// query and the principal (name, scope and series prefix), so that a key limited to a prefix never
// shares an entry with another key. Each part is length-prefixed, so no two requests that differ
// in any part give the same key.
#pragma once

#include <string>

#include "api/http_types.h"

namespace patchcast::api {

// Precondition: `request` has been routed (route and path_params filled).
std::string CacheKey(const Request& request);

}  // namespace patchcast::api
