// JSON <-> login-storm simulations (forecasting/login_storm.h): the request body of
// POST /v1/simulations and its report. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "calendars/result.h"
#include "forecasting/login_storm.h"

namespace patchcast::api {

// The longest simulation a request may ask for: 7 days of demand (604,800 seconds).
inline constexpr std::chrono::seconds kMaxSimulation{7 * 24 * 3600};

// Reads {"demand":{"step_seconds" (default 60),"values":[fresh logins per second…]},
// "capacity":{"units","unit_capacity"},"client":{"timeout_s","max_retries","backoff_base_s",
// "backoff_cap_s","jitter"},"admission_limit_per_s","server_drops_timed_out"}. `plan_capacity`,
// when given, replaces "capacity" (the caller resolved {"plan_id"} to it; the plan's first bucket
// is simulation second 0). Errors (kInvalidArgument) name the field, and the limit: "field
// 'demand.values' covers 700000 s, more than the limit of 604800 s (7 days)".
Result<forecasting::LoginStormInput> ParseSimulationRequest(
    const nlohmann::json& body, std::optional<forecasting::RateSeries> plan_capacity);

// {"max_queue","p99_wait_s","failed_logins","retry_amplification","drain_seconds" (null: never
// drained),"metastable","fresh_logins","attempts","succeeded_logins","rejected_attempts",
// "wasted_work","recommendation":{"admission_limit_per_s" (null: none),"client":{…},
// "meets_target","outcome":{…}}}.
nlohmann::json SimulationJson(const forecasting::LoginStormReport& report,
                              const forecasting::StormRecommendation& recommendation);

}  // namespace patchcast::api
