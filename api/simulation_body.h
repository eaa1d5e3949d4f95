// SimulationBody: the body of POST /v1/simulations, read with its demand values kept out of the
// JSON document.
//
// A demand may hold one value per second of 7 days, 604,800 numbers. In nlohmann's document each
// costs 16 bytes, before the 8 the simulation keeps, so the parse alone used to cost about 4x a
// compact body. Here the elements of "demand"."values" go straight into a vector of doubles as
// they are parsed, and the rest of the body, a few dozen values, is built as usual. Pure
// functions; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json_limits.h"
#include "core/result.h"

namespace patchcast::api {

// The elements of "demand"."values", in order.
struct DemandValues {
  std::vector<double> numbers;  // the elements before the first that is not a number
  std::size_t count = 0;        // every element, numbers or not
  std::optional<std::size_t> first_non_number;  // the index of the first that is not a number
  std::string first_non_number_json;            // and that element, as JSON
};

// Adds `element`, the next element of "demand"."values", to `values`.
void AddDemandValue(DemandValues& values, const nlohmann::json& element);

struct SimulationBody {
  nlohmann::json document;  // the body, with "demand"."values" left as an empty array
  std::optional<DemandValues> demand_values;  // set when "demand"."values" is an array
};

// Parses `text` as ParseJsonObject does (one JSON object within `limits`, the same errors), with
// the elements of "demand"."values" read into demand_values instead of the document. Should the
// body give "values" twice, the last array counts, as it would in the document.
Result<SimulationBody> ParseSimulationBody(std::string_view text, const JsonLimits& limits);

}  // namespace patchcast::api
