// The one JSON error shape of the service, and the one mapping from domain error codes to statuses.
//
// Every error the service sends, whether raised by a handler, the request guard or the HTTP library
// itself, has the body {"error":{"code":"…","message":"…","details":[…],"request_id":"…"}}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "core/result.h"

namespace patchcast::api {

// Returns the HTTP status for a domain error code (invalid_argument 400, not_found 404, conflict
// 409, unprocessable 422, internal 500, unavailable 503, insufficient_storage 507).
int HttpStatusFor(ErrorCode code);

// Builds an error response. `code` is a short snake_case word clients can switch on.
Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string_view request_id, const std::vector<std::string>& details = {});

// Builds the error response for a domain error. kUnavailable adds Retry-After.
Response ErrorResponse(const Error& error, std::string_view request_id);

// Returns the error code word the service uses for a bare HTTP status (e.g. 413 ->
// "payload_too_large"), for errors the HTTP library raises before any handler runs.
std::string_view ErrorCodeForStatus(int status);

}  // namespace patchcast::api
