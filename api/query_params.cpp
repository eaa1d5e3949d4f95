#include "api/query_params.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "api/point_text.h"
#include "api/quoted_input.h"

namespace patchcast::api {
namespace {

std::string JoinNames(std::initializer_list<std::string_view> names) {
  std::string joined;
  for (std::string_view name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

}  // namespace

Status CheckQuery(const Request& request, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : request.query) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return InvalidArgument("unknown query parameter " + QuotedInput(name) +
                             (known.size() == 0 ? std::string(" (this route takes none)")
                                                : " (this route takes " + JoinNames(known) + ")"));
    }
    if (request.query.count(name) > 1) {
      return InvalidArgument("query parameter " + QuotedInput(name) + " is given more than once");
    }
  }
  return {};
}

Error ParameterError(std::string_view name, Error error) {
  error.message = "query parameter '" + std::string(name) + "': " + error.message;
  return error;
}

Result<std::optional<std::chrono::sys_seconds>> InstantParameter(const Request& request,
                                                                 std::string_view name) {
  auto text = request.Query(name);
  if (!text) return std::optional<std::chrono::sys_seconds>{};
  std::chrono::sys_seconds instant;
  if (TimestampError error = ParseTimestampText(*text, instant); error != TimestampError::kNone) {
    return InvalidArgument("query parameter '" + std::string(name) +
                           "': " + DescribeTimestampError(error, *text));
  }
  return std::optional<std::chrono::sys_seconds>{instant};
}

Result<std::optional<std::int64_t>> IntegerParameter(const Request& request, std::string_view name,
                                                     std::int64_t min, std::int64_t max) {
  auto text = request.Query(name);
  if (!text) return std::optional<std::int64_t>{};
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || error != std::errc() || end != text->data() + text->size() || value < min ||
      value > max) {
    return InvalidArgument("query parameter '" + std::string(name) + "' must be an integer from " +
                           std::to_string(min) + " to " + std::to_string(max) + ", not '" +
                           std::string(*text) + "'");
  }
  return std::optional<std::int64_t>{value};
}

Result<ListingQuery> ParseListingQuery(const Request& request, std::int64_t default_limit,
                                       std::int64_t max_limit) {
  if (Status query = CheckQuery(request, {"from", "to", "limit"}); !query) return query.error();
  auto from = InstantParameter(request, "from");
  if (!from) return from.error();
  auto to = InstantParameter(request, "to");
  if (!to) return to.error();
  auto limit = IntegerParameter(request, "limit", 1, max_limit);
  if (!limit) return limit.error();
  ListingQuery listing;
  if (*from) listing.from = **from;
  if (*to) listing.to = **to;
  listing.limit = static_cast<std::size_t>(limit->value_or(default_limit));
  return listing;
}

}  // namespace patchcast::api
