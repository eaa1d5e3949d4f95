// JSON <-> the capacity model (forecasting/capacity_plan.h): the fields that a plan request and a
// series' stored capacity model take, and the model rendered back. Pure functions; thread-safe.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"
#include "forecasting/capacity_plan.h"

namespace patchcast::api {

// The members of a capacity model, as JSON names them.
inline constexpr std::array<std::string_view, 15> kCapacityModelFields = {
    "unit_capacity",
    "headroom",
    "quantile",
    "min_units",
    "max_units",
    "max_capacity_behavior",
    "raise_buffer",
    "lead_time_minutes",
    "max_step_units",
    "max_units_per_minute",
    "hold_after_event_minutes",
    "scale_in_step_fraction",
    "min_action_interval_minutes",
    "unit_cost_per_hour",
    "mode"};

// Reads the capacity-model members present in `object` over `model`; absent (or null) members keep
// the value `model` has. This checks types, names and the outer ranges that keep the planner's
// arithmetic finite (issue 13; openapi.yaml lists them: headroom and raise_buffer 0..10,
// quantile and scale_in_step_fraction 0..1, unit_capacity, max_units_per_minute and
// unit_cost_per_hour 0..1e9, unit counts up to 1e9, minutes 0..44640); ValidateCapacityModel
// applies the rules inside them. Errors (kInvalidArgument) name the field: "field 'headroom' must
// be a number, not string", "field 'headroom' must be between 0 and 10, not 1e+308", "field 'mode'
// must be forecast_only or recommend, not 'auto'".
Status ReadCapacityModel(const nlohmann::json& object, forecasting::CapacityModel& model);

// {"unit_capacity","headroom","quantile","min_units","max_units","max_capacity_behavior",
//  "raise_buffer","lead_time_minutes","max_step_units","max_units_per_minute",
//  "hold_after_event_minutes","scale_in_step_fraction","min_action_interval_minutes",
//  "unit_cost_per_hour","mode"}; unset optional members are null. ReadCapacityModel reads it back
// to an equal model.
nlohmann::json CapacityModelJson(const forecasting::CapacityModel& model);

}  // namespace patchcast::api
