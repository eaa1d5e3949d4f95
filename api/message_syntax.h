// The request head's syntax as RFC 9112 and RFC 9110 require it, beyond what cpp-httplib checks.
//
// cpp-httplib 0.11.4 accepts heads that a stricter proxy in front may read otherwise, the seam
// request smuggling uses: "Transfer-Encoding : chunked" becomes a header named with a trailing
// space (so the request is served by its Content-Length while a proxy may have de-chunked it), an
// obs-fold continuation line becomes a header whose name starts with a space, and NUL or a bare CR
// stays inside a value. RFC 9112 section 5.1 wants 400 for whitespace before the colon, section
// 5.2 for obs-fold outside message/http, section 3.2 for an HTTP/1.1 request without exactly one
// Host. Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "api/http_types.h"

namespace patchcast::api {

// Returns what makes `head` malformed, or nullopt: "header name 'Transfer-Encoding ' is not an
// RFC 9110 token (whitespace before the colon, or an obs-fold line)", "header 'X-Note' has a
// control character (NUL, CR or another) in its value, as sent or percent-escaped" (the library
// decodes escapes in values), "HTTP/1.1 request without a Host header",
// "Host appears 2 times". Names and values are quoted cut to a short prefix.
std::optional<std::string> MessageSyntaxError(const RequestHead& head);

}  // namespace patchcast::api
