// Request ids: echoed from a client's X-Request-Id when well-formed, otherwise generated.
#pragma once

#include <string>
#include <string_view>

namespace patchcast::server {

// Returns true if `id` is 1-128 characters of [A-Za-z0-9._:-]: safe to echo in headers and logs.
bool IsAcceptableRequestId(std::string_view id);

// Returns a fresh id: 32 hex digits from a per-thread generator seeded by the OS. Unique, not
// secret.
std::string NewRequestId();

}  // namespace patchcast::server
