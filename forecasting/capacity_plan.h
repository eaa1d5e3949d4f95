// PlanCapacity: the capacity planner of issue 6 — turns a demand forecast (forecast.h) into the
// units to run per step, the scaling actions that get them in service in time, and what the plan
// costs against static and reactive provisioning. plan_score.h scores a plan against the demand
// that actually came.
//
// Pure, deterministic functions: no I/O, no clock (times come from the forecast), the same inputs
// always give the same plan. Thread-safe (they share nothing). The types are values;
// thread-compatible.
//
// Units. A forecast holds counts per step (logins per step_seconds); a unit serves
// unit_capacity logins per second at its target utilisation. Demand is converted to logins per
// second (count / step_seconds) before it meets capacity.
//
// The plan, step by step (each step is documented where it is implemented):
//  1. Demand at the plan quantile per bucket, interpolated from the forecast's quantiles
//     (QuantileAt, quantile_function.h).
//  2. Required units = ceil(demand x (1 + headroom) / unit_capacity), clamped to
//     [min_units, max_units]; a bucket that max_units clamps is at risk, with its shortfall.
//  3. Growth limits: where capacity could not grow fast enough, earlier buckets are raised so that
//     the ramp starts earlier (a backward pass).
//  4. A forward pass issues the actions: scale-out lead_time before the bucket that needs it;
//     scale-in only outside an event's hold, in capped steps, never below what the next
//     lead_time + min_action_interval will need, and never sooner than min_action_interval after
//     the previous action; scale-outs closer than min_action_interval merge into the earlier one.
//  5. p_exceed per bucket from the forecast's quantile function (ExceedanceProbability), and
//     the summary against static peak and reactive provisioning.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/forecast.h"
#include "forecasting/regular_series.h"

namespace patchcast::forecasting {

// What happens when the required units exceed max_units (after AWS predictive scaling's
// MaxCapacityBreachBehavior).
enum class MaxCapacityBehavior {
  kHonor,  // clamp to max_units; the bucket is at risk
  kRaise,  // let the plan exceed max_units; the effective maximum becomes units x (1 +
           // raise_buffer)
};
// "honor", "raise".
std::string_view ToString(MaxCapacityBehavior behavior);

enum class PlanMode {
  kForecastOnly,  // buckets and summary only; no actions (review before trusting the planner)
  kRecommend,     // buckets, summary and the scaling actions
};
// "forecast_only", "recommend".
std::string_view ToString(PlanMode mode);

// The capacity model of one plan request. Errors name these fields in snake_case (the JSON names).
struct CapacityModel {
  // Logins per second one unit serves at its target utilisation. Required: > 0.
  double unit_capacity = 0;
  // Extra capacity over the demand at `quantile`, as a fraction (0.2 = 20 %). Default 0.2; >= 0.
  double headroom = 0.2;
  // The forecast quantile the plan covers, in (0, 1). Default 0.99.
  double quantile = 0.99;
  // Bounds on the units in service. Defaults 1 and 10,000; 0 <= min_units <= max_units, max >= 1.
  int min_units = 1;
  int max_units = 10'000;
  MaxCapacityBehavior max_capacity_behavior = MaxCapacityBehavior::kHonor;
  // With kRaise: the buffer over the planned units that the raised maximum allows. Default 0.1.
  double raise_buffer = 0.1;
  // Provisioning plus warm-up: how long before it is needed a unit must be requested. Default
  // 15 min; >= 0 and not longer than the forecast horizon.
  std::chrono::minutes lead_time{15};
  // How fast capacity can grow: at most max_step_units added per step, and at most
  // max_units_per_minute x step minutes per step. Default: unlimited.
  std::optional<int> max_step_units;
  std::optional<double> max_units_per_minute;
  // No scale-in from an event's forecast peak until this long after it. Default (nullopt): until
  // the median forecast returns within 5 % of the baseline (the end of the horizon if it never
  // does).
  std::optional<std::chrono::minutes> hold_after_event;
  // One scale-in action sheds at most this fraction of the units in service (at least one unit).
  // Default 0.25; in (0, 1].
  double scale_in_step_fraction = 0.25;
  // Anti-flapping: no two actions closer than this (scale-outs merge, scale-ins wait). Default
  // 30 min; >= 0.
  std::chrono::minutes min_action_interval{30};
  // Cost of one unit for one hour, any currency. Optional; >= 0.
  std::optional<double> unit_cost_per_hour;
  PlanMode mode = PlanMode::kRecommend;
};

struct PlanBucket {
  std::chrono::sys_seconds ts{};          // the step starts here and lasts CapacityPlan::step
  double demand_logins_per_second = 0;    // forecast demand at the plan quantile
  double median_logins_per_second = 0;    // forecast demand at 0.5
  int required_units = 0;                 // ceil(demand x (1 + headroom) / unit_capacity), clamped
  int units = 0;                          // units in service in this step (>= required_units)
  double capacity_logins_per_second = 0;  // units x unit_capacity
  // P(demand > capacity) in this step, from the forecast's quantile function.
  double p_exceed = 0;
  // True when max_units (kHonor) held the units below what the demand needs.
  bool at_risk = false;
  int shortfall_units = 0;                 // required before clamping - max_units; 0 if not at risk
  double shortfall_logins_per_second = 0;  // max(0, demand - capacity); 0 if not at risk

  friend bool operator==(const PlanBucket&, const PlanBucket&) = default;
};

enum class ActionKind { kScaleOut, kScaleIn };
// "scale_out", "scale_in".
std::string_view ToString(ActionKind kind);

struct PlanAction {
  // When to issue the action. Scale-out: lead_time before `ready`; scale-in: at `ready`.
  std::chrono::sys_seconds at{};
  std::chrono::sys_seconds ready{};  // the first step with the new units in service
  ActionKind kind = ActionKind::kScaleOut;
  int units = 0;  // units in service after the action (a target, not a delta)
  // True when `at` would precede the plan's start: it is issued at the start instead and the units
  // arrive lead_time later than `ready`.
  bool late = false;
  // The cause, e.g. "microsoft 2026-12-08 release: +48 h wave", "baseline demand rising".
  std::string reason;
  std::string event_id;  // the event the reason names; empty when none

  friend bool operator==(const PlanAction&, const PlanAction&) = default;
};

// One way of provisioning the horizon, measured against the forecast demand at the plan quantile.
struct ProvisioningFigures {
  double unit_hours = 0;
  std::optional<double> cost;  // unit_hours x unit_cost_per_hour, when the cost is given
  // Minutes of steps whose capacity is below the demand at the plan quantile, and the deepest
  // such gap in logins per second.
  double under_provisioned_minutes = 0;
  double depth_logins_per_second = 0;

  friend bool operator==(const ProvisioningFigures&, const ProvisioningFigures&) = default;
};

struct PlanSummary {
  int peak_units = 0;
  double unit_hours = 0;
  std::optional<double> cost;
  double max_p_exceed = 0;
  std::size_t at_risk_buckets = 0;
  double under_provisioned_minutes = 0;  // as in ProvisioningFigures, for the plan
  double depth_logins_per_second = 0;
  // kRaise: the largest ceil(units x (1 + raise_buffer)), at least max_units. kHonor: max_units.
  int effective_max_units = 0;
  // Static provisioning: peak_units in every step.
  ProvisioningFigures vs_static;
  // A reactive autoscaler: in each step, the required units of the step lead_time earlier (it
  // sees demand only when it arrives, and its units need lead_time to come into service).
  ProvisioningFigures vs_reactive;

  friend bool operator==(const PlanSummary&, const PlanSummary&) = default;
};

struct CapacityPlan {
  std::chrono::seconds step{300};
  PlanMode mode = PlanMode::kRecommend;
  std::vector<PlanBucket> buckets;  // one per forecast point, in order
  std::vector<PlanAction> actions;  // by `at`; empty with kForecastOnly
  PlanSummary summary;
  // The most units any step needs: what to run if the plan goes stale.
  int fallback_units = 0;

  friend bool operator==(const CapacityPlan&, const CapacityPlan&) = default;
};

// Checks `model` for a forecast horizon of `horizon`. Errors (kInvalidArgument) name the field:
// "unit_capacity: must be positive and finite (got 0)", "min_units: 5 exceeds max_units 3",
// "quantile: must be in (0, 1) (got 1)", "lead_time_minutes: 600 exceeds the forecast horizon of
// 480 minutes", and likewise headroom, raise_buffer, max_step_units, max_units_per_minute,
// hold_after_event_minutes, scale_in_step_fraction, min_action_interval_minutes,
// unit_cost_per_hour.
Status ValidateCapacityModel(const CapacityModel& model, std::chrono::seconds horizon);

// The units that serve `demand_logins_per_second` with the model's headroom:
// ceil(demand x (1 + headroom) / unit_capacity), at least min_units and at most 1e9, not clamped to
// max_units (step 2). A demand within 1e-9 (relative) above a whole number of units needs that
// number. unit_capacity must be positive.
int RequiredUnits(double demand_logins_per_second, const CapacityModel& model);

// Plans capacity for `forecast`, whose points are `step` apart (forecast.h does not store the
// step). forecast.events supply the reasons and the holds. Errors (kInvalidArgument):
//  - "step: ..." not positive;
//  - "forecast: ..." no points; quantile levels empty, not ascending or outside (0, 1); a point
//    with a different number of quantiles, a negative, non-finite or descending quantile, or not
//    one step after the previous point;
//  - any ValidateCapacityModel error, with horizon = points x step.
// Runs in O(points + events x points).
Result<CapacityPlan> PlanCapacity(const Forecast& forecast, std::chrono::seconds step,
                                  const CapacityModel& model);

}  // namespace patchcast::forecasting
