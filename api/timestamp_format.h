// Writing timestamps fast: a query can return half a million points, and date::format's stream
// machinery costs about a microsecond a call. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <string>

namespace patchcast::api {

// Appends `instant` as RFC 3339 UTC ("2026-11-01T00:00:00Z") to `out`. Precondition: the year is
// 0000..9999.
void AppendRfc3339(std::string& out, std::chrono::sys_seconds instant);

// Returns AppendRfc3339's text.
std::string FormatRfc3339(std::chrono::sys_seconds instant);

}  // namespace patchcast::api
