// Strong entity tags for GET responses, and If-None-Match evaluation (RFC 9110
// sections 8.8.3, 13.1.2).
//
// Dashboards poll; a matching If-None-Match turns a full JSON body into an empty 304.
#pragma once

#include <string>
#include <string_view>

namespace patchcast::api {

// Returns a strong entity tag (quoted) that changes whenever `body` changes: a 64-bit FNV-1a hash
// of the bytes, with the body length, in hex.
std::string StrongEtag(std::string_view body);

// Returns true if the If-None-Match header value `condition` matches `etag`: "*" or any listed tag
// equal under the weak comparison RFC 9110 prescribes for If-None-Match (W/ prefixes ignored).
bool IfNoneMatchHits(std::string_view condition, std::string_view etag);

}  // namespace patchcast::api
