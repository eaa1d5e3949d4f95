// JSON <-> the plan backtest (forecasting/plan_backtest.h): the request body of
// POST /v1/series/{id}/plan-backtest and its per-event scorecard. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "forecasting/capacity_plan.h"
#include "forecasting/forecast_service.h"
#include "forecasting/plan_backtest.h"

namespace patchcast::api {

// The most releases one plan backtest replays: a year of Patch Tuesdays, weekly if ever needed.
inline constexpr std::int64_t kMaxPlanBacktestEvents = 52;

// Reads {"events" (1..52, default 12),"horizon_hours" (1..744, default 168),"calendars"
// (default ["microsoft"]), and the capacity-model fields over `base` (the series' stored model, or
// CapacityModel's defaults)} as ParsePlanRequest does: "unit_capacity" is required unless `base`
// has one, and the model is validated against the horizon. Errors (kInvalidArgument) name the
// field: unknown fields (as_of among them: each replay's as_of is its advance-notice Thursday),
// "field 'events' must be between 1 and 52, not 60", "field 'horizon_hours' must be between 1 and
// 744, not 800", and ParsePlanRequest's capacity-model errors ("unit_capacity: must be positive
// and finite (got 0)", "min_units: 5 exceeds max_units 3", …).
Result<forecasting::PlanBacktestQuery> ParsePlanBacktestRequest(
    const std::string& series_id, const nlohmann::json& body,
    const forecasting::CapacityModel& base = {});

// {"series","events_requested","horizon_hours","model":{CapacityModelJson},
//  "events":[{"event_id","start","as_of","peak_units","actions","buckets","coverage",
//             "under_provisioned_minutes","depth_logins_per_second","plan_unit_hours",
//             "oracle_unit_hours","plan_vs_oracle",
//             "static":{"unit_hours","vs_oracle","coverage","under_provisioned_minutes",
//                       "depth_logins_per_second"},
//             "reactive":{…the same…}}],
//  "summary":{"events","buckets","oracle_unit_hours",
//             "plan":{"unit_hours","vs_oracle","median_vs_oracle","coverage",
//                     "under_provisioned_minutes","depth_logins_per_second"},
//             "static":{…the same…},"reactive":{…the same…}}}.
// Coverage is a share in [0, 1]; depth in logins per second; unit-hours to a hundredth.
nlohmann::json PlanBacktestJson(const forecasting::PlanBacktestQuery& query,
                                const forecasting::PlanBacktestResult& result);

}  // namespace patchcast::api
