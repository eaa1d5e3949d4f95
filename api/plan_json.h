// JSON <-> capacity plans: the request body of POST …/plan, the plan document the service stores,
// and the views of a stored plan (CSV, the KEDA metrics-api answer, the capacity it puts in
// service; the AWS export is aws_scheduled_actions.h). Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/result.h"
#include "forecasting/capacity_plan.h"
#include "forecasting/forecast_service.h"
#include "forecasting/login_storm.h"

namespace patchcast::api {

// How long a plan stays fresh after its as_of: 24 h, or the end of its horizon when sooner.
inline constexpr std::chrono::hours kPlanValidity{24};

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

struct PlanHeader {
  std::string id;
  std::string series;
  std::string forecast_id;
  std::chrono::sys_seconds as_of{};
  std::chrono::sys_seconds generated_at{};
  std::chrono::sys_seconds valid_until{};
};

// as_of + kPlanValidity, or as_of + horizon when sooner.
std::chrono::sys_seconds PlanValidUntil(std::chrono::sys_seconds as_of,
                                        std::chrono::seconds horizon);

// {"id","series","forecast_id","as_of","generated_at","valid_until","step_seconds","mode",
//  "quantile","unit_capacity","buckets":[{"ts","demand","units","capacity","p_exceed","at_risk"
//  (,"shortfall")}],"actions":[{"at","ready","kind","units","late","reason","event_id"}],
//  "summary":{"peak_units","unit_hours","cost","max_p_exceed","at_risk_buckets",
//  "effective_max_units","vs_static":{…},"vs_reactive":{…}},"fallback_units"}. Demand and
//  capacity are in logins per second.
nlohmann::json PlanJson(const PlanHeader& header, const forecasting::CapacityModel& model,
                        const forecasting::CapacityPlan& plan);

// "ts,demand,units,capacity,p_exceed,at_risk" then one row a bucket. Errors: kInternal if
// `document` is not a plan document.
Result<std::string> PlanCsv(const nlohmann::json& document);

// The KEDA metrics-api answer for a stored plan at `now` (the clock's, or an instant asked for):
// {"replicas","at","plan_id","age_seconds","stale_seconds","fallback_replicas","stale"}. replicas
// are the units of the bucket containing `now` (the first bucket before the plan starts;
// fallback_units after it ends). age_seconds runs from the plan's generated_at (0 for an instant
// before it). The plan is stale after valid_until, by stale_seconds (0 while fresh); a stale plan
// still answers, with stale true and never fewer replicas than fallback_units. Errors: kInternal
// for a malformed document.
Result<nlohmann::json> CurrentReplicas(const nlohmann::json& document,
                                       std::chrono::sys_seconds now);

// The capacity a stored plan document puts in service: its bucket capacities at its step.
// Errors: kInternal for a malformed document.
Result<forecasting::RateSeries> PlanDocumentCapacity(const nlohmann::json& document);

}  // namespace patchcast::api
