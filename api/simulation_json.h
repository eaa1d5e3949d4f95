// JSON <-> login-storm simulations (forecasting/login_storm.h): the request body of
// POST /v1/simulations and its report. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/simulation_body.h"
#include "core/result.h"
#include "forecasting/login_storm.h"

namespace patchcast::api {

// The longest simulation a request may ask for: 7 days of demand (604,800 seconds).
inline constexpr std::chrono::seconds kMaxSimulation{7 * 24 * 3600};

// Reads {"demand":{"step_seconds" (default 60),"values":[fresh logins per second…]},
// "capacity":{"units","unit_capacity"},"client":{"timeout_s","max_retries","backoff_base_s",
// "backoff_cap_s","jitter"},"admission_limit_per_s","server_drops_timed_out"}. `plan_capacity`,
// when given, replaces "capacity" (the caller resolved {"plan_id"} to it; without a forecast the
// plan's first bucket is simulation second 0). `forecast_demand`, when given, replaces "demand"
// (the caller resolved {"forecast_id",…} to it with RateFromStoredForecast). Errors
// (kInvalidArgument) name the field, and the limit: "field 'demand.values' covers 700000 s, more
// than the limit of 604800 s (7 days)".
Result<forecasting::LoginStormInput> ParseSimulationRequest(
    const nlohmann::json& body, std::optional<forecasting::RateSeries> plan_capacity,
    std::optional<forecasting::RateSeries> forecast_demand = std::nullopt);

// The same, from a body read by ParseSimulationBody (the route's way: its demand values never
// enter the document), with the same errors.
Result<forecasting::LoginStormInput> ParseSimulationRequest(
    SimulationBody body, std::optional<forecasting::RateSeries> plan_capacity,
    std::optional<forecasting::RateSeries> forecast_demand = std::nullopt);

// "demand": {"forecast_id","quantile","multiplier"}: a stored forecast's points as demand.
struct ForecastDemandRequest {
  std::string forecast_id;
  double quantile = 0.99;  // in (0, 1); need not be one of the forecast's levels
  double multiplier = 1;   // in (0, 100]: scales the forecast, e.g. 1.5 for a worse surge
};

// Reads body's "demand" when it names a forecast: {"forecast_id" (required),"quantile" (default
// 0.99),"multiplier" (default 1)}; nullopt when "demand" is absent or has no "forecast_id".
// Errors (kInvalidArgument) name the field: "field 'demand.quantile' must be a number in (0, 1),
// not 1.5"; "field 'demand.multiplier' must be a number in (0, 100], not 0"; a forecast_id that is
// not a non-empty string; other fields beside forecast_id ("values" included).
Result<std::optional<ForecastDemandRequest>> ParseForecastDemandRequest(const nlohmann::json& body);

// The demand of stored forecast document `document` (ForecastJson's text), as fresh logins per
// second: each point's count at `request.quantile` divided by step_seconds, times
// request.multiplier, at the forecast's step; it starts at the forecast's first point (simulation
// second 0). Between the forecast's levels the quantile is interpolated, and beyond them
// extrapolated, as the capacity planner does (forecasting::QuantileAt). Errors: kInvalidArgument
// "field 'demand.forecast_id': forecast 'fc-1' covers 1209600 s, more than the limit of 604800 s
// (7 days)"; kUnprocessable for a forecast without points; kInternal for a malformed document
// (points not step_seconds apart included).
Result<forecasting::TimedRate> RateFromStoredForecast(std::string_view document,
                                                      const ForecastDemandRequest& request);

// {"max_queue","p99_wait_s","failed_logins","retry_amplification","drain_seconds" (null: never
// drained),"metastable","fresh_logins","attempts","succeeded_logins","rejected_attempts",
// "wasted_work","recommendation":{"admission_limit_per_s" (null: none),"client":{…},
// "meets_target","outcome":{…}}}.
nlohmann::json SimulationJson(const forecasting::LoginStormReport& report,
                              const forecasting::StormRecommendation& recommendation);

}  // namespace patchcast::api
