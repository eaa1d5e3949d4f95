// Strict reading of query strings: an unknown or repeated parameter is an error that names it, so
// a misspelt `?form=` is never silently ignored.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "api/http_types.h"
#include "core/result.h"

namespace patchcast::api {

// Fails (kInvalidArgument) naming the first query parameter of `request` that is not in `known`
// ("unknown query parameter 'form' (this route takes from, to)") or is given more than once.
Status CheckQuery(const Request& request, std::initializer_list<std::string_view> known);

// Reads query parameter `name` as an RFC 3339 instant or integer Unix seconds; nullopt when
// absent. Error: kInvalidArgument "query parameter 'from': ..." saying what is wrong with it.
Result<std::optional<std::chrono::sys_seconds>> InstantParameter(const Request& request,
                                                                 std::string_view name);

// Reads query parameter `name` as an integer in [min, max]; nullopt when absent. Error:
// kInvalidArgument "query parameter 'limit' must be an integer from 1 to 1000, not 'x'".
Result<std::optional<std::int64_t>> IntegerParameter(const Request& request, std::string_view name,
                                                     std::int64_t min, std::int64_t max);

// The query of a listing: ?from&to (instants, default: all time) and ?limit.
struct ListingQuery {
  std::chrono::sys_seconds from = std::chrono::sys_seconds::min();
  std::chrono::sys_seconds to = std::chrono::sys_seconds::max();
  std::size_t limit = 0;
};

// Reads ?from, ?to and ?limit (1 to `max_limit`, default `default_limit`), refusing any other
// parameter. Errors: CheckQuery's, InstantParameter's and IntegerParameter's.
Result<ListingQuery> ParseListingQuery(const Request& request, std::int64_t default_limit,
                                       std::int64_t max_limit);

// Returns `error` with its message prefixed by the parameter it is about
// ("query parameter 'at': ..."), its code unchanged.
Error ParameterError(std::string_view name, Error error);

}  // namespace patchcast::api
