// Strict reading of JSON request bodies: what the body must be, and errors that say where it is
// not.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "api/json_limits.h"
#include "core/result.h"

namespace patchcast::api {

// Parses `body` as one JSON object, building it only after CheckJsonLimits found it within
// `limits`. An empty body gives an empty object when `allow_empty`. Returns kInvalidArgument:
// CheckJsonLimits's errors ("request body is not valid JSON: ... at byte N", a limit exceeded at
// byte N), or "request body must be a JSON object".
Result<nlohmann::json> ParseJsonObject(std::string_view body, bool allow_empty = false,
                                       const JsonLimits& limits = {});

// As above, with nlohmann's parser callback `filter`, which sees each value as it is parsed and
// keeps it out of the document by returning false.
Result<nlohmann::json> ParseJsonObject(std::string_view body, bool allow_empty,
                                       const JsonLimits& limits,
                                       const nlohmann::json::parser_callback_t& filter);

// Returns kInvalidArgument naming the first member of `object` not in `known`, so a misspelt
// field is an error instead of being ignored.
Status RejectUnknownFields(const nlohmann::json& object, std::span<const std::string_view> known);
inline Status RejectUnknownFields(const nlohmann::json& object,
                                  std::initializer_list<std::string_view> known) {
  return RejectUnknownFields(object,
                             std::span<const std::string_view>(known.begin(), known.size()));
}

// Returns the string member `name`, "" when absent; kInvalidArgument when present but not a string.
Result<std::string> OptionalString(const nlohmann::json& object, std::string_view name);

}  // namespace patchcast::api
