// The request guard: every check that must happen before a request's body is read.
//
// cpp-httplib 0.11.4 reads bodies it should refuse: chunked and gzip/brotli bodies bypass its
// payload limit, it honours every Range, and it reads a body even when the caller is not allowed to
// send it. The guard runs on the request line and headers alone and either admits the request or
// answers it with the JSON error, in this order: the head's syntax (400 and the connection closed,
// api/message_syntax.h), route (404/405), credentials (401/403), Range
// (416), framing (Transfer-Encoding 411, Content-Encoding 415, a multipart Content-Type 415,
// duplicate or malformed Content-Length 400, too long 413) and media type (415). Pure function of
// its inputs; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "api/authenticator.h"
#include "api/http_types.h"
#include "api/router.h"
#include "api/work_limiter.h"

namespace patchcast::api {

struct GuardOptions {
  std::size_t max_body_bytes = 32u << 20;  // default 32 MiB
};

// What the guard learned of a request, and its verdict.
struct Screening {
  Method method = Method::kGet;
  const Route* route = nullptr;  // the matched route; null for unknown paths, methods and OPTIONS
  std::vector<Method> allowed;   // methods the path answers; empty for an unknown path
  std::map<std::string, std::string> params;
  std::optional<Principal> principal;
  // Set when the request must be answered with this error without reading its body. A rejected
  // request that announced a body gets close_connection, so its unread bytes are never parsed as a
  // next request.
  std::optional<Response> rejection;
  // For a heavy route admitted by Dispatcher::Screen: its slot, held until this is reset or
  // destroyed (once the response is handed over).
  WorkPermit permit;
};

// Screens the request line and headers. Without a rejection, the body may be read and the request
// handed to Dispatcher::Handle.
Screening ScreenRequest(const RequestHead& head, std::string_view request_id, const Router& router,
                        const Authenticator& authenticator, const GuardOptions& options);

// Extracts the token of an "Authorization: Bearer <token>" value. The value has been
// percent-decoded by the HTTP library, so the token is checked here, after decoding, against RFC
// 6750's token68 characters (no spaces, CR, LF or other bytes). Returns kInvalidArgument naming the
// problem.
Result<std::string_view> ParseBearerToken(std::string_view authorization);

}  // namespace patchcast::api
