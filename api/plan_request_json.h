// The request body of POST /v1/series/{id}/plan and of `patchcast plan`: the forecast to plan on
// and the capacity model. The plan made is rendered by plan_document.h. Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "forecasting/capacity_plan.h"
#include "forecasting/forecast_service.h"

namespace patchcast::api {

struct PlanRequest {
  forecasting::ForecastQuery forecast;  // quantiles include model.quantile
  forecasting::CapacityModel model;
};

// Reads {"horizon_hours" (default 168, 1..744),"as_of","calendars", and the capacity model over
// `base` (the series' stored model, or CapacityModel's defaults): "unit_capacity" (required unless
// `base` has one), "headroom","quantile","min_units","max_units",
// "max_capacity_behavior" ("honor"|"raise"),"raise_buffer","lead_time_minutes","max_step_units",
// "max_units_per_minute","hold_after_event_minutes","scale_in_step_fraction",
// "min_action_interval_minutes","unit_cost_per_hour","mode" ("forecast_only"|"recommend")}.
// The model is validated against the horizon
// (ValidateCapacityModel). Errors (kInvalidArgument) name the field: unknown fields, wrong types,
// "unit_capacity: must be positive and finite (got 0)", "min_units: 5 exceeds max_units 3",
// "quantile: must be in (0, 1) (got 1.5)", "field 'horizon_hours' must be between 1 and 744, not
// 800".
Result<PlanRequest> ParsePlanRequest(const std::string& series_id, const nlohmann::json& body,
                                     const forecasting::CapacityModel& base = {});

}  // namespace patchcast::api
