// Building successful responses: a JSON body with its status, or an empty 204.
#pragma once

#include <nlohmann/json.hpp>

#include "api/http_types.h"

namespace patchcast::api {

// Returns `body` serialised (one line, newline-terminated) as application/json with `status`.
Response JsonResponse(const nlohmann::json& body, int status = 200);

// Returns 204 No Content.
Response NoContent();

}  // namespace patchcast::api
