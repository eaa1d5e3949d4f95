// ScorePlan: how one capacity plan fared against the demand that then came, beside static peak
// provisioning, a reactive autoscaler and an oracle that knew the demand (issue 6). BacktestPlans
// (plan_backtest.h) replays plans over past events and scores each with it. Pure; thread-safe.
#pragma once

#include <cstddef>

#include "core/result.h"
#include "forecasting/capacity_plan.h"
#include "forecasting/regular_series.h"

namespace patchcast::forecasting {

// How a plan fared against the demand that came.
struct PlanScore {
  std::size_t buckets = 0;  // plan buckets with an actual value (not NaN, inside the series)
  std::size_t covered = 0;  // of which actual logins per second <= planned capacity
  double coverage = 0;      // covered / buckets
  double under_provisioned_minutes = 0;
  double depth_logins_per_second = 0;  // the largest actual - capacity over uncovered buckets
  double plan_unit_hours = 0;          // over the compared buckets
  // An oracle that knew the demand: max(min_units, ceil(actual x (1 + headroom) /
  // unit_capacity)) per bucket (no max_units: it shows what the demand needed).
  double oracle_unit_hours = 0;
  double static_unit_hours = 0;  // fallback_units in every compared bucket
  double static_coverage = 0;
  double static_under_provisioned_minutes = 0;
  double static_depth_logins_per_second = 0;
  double plan_vs_oracle = 0;    // plan_unit_hours / oracle_unit_hours (0 when the oracle is 0)
  double static_vs_oracle = 0;  // static_unit_hours / oracle_unit_hours
  // A reactive autoscaler that follows the actual demand: in each compared bucket, the units the
  // actual demand ceil(lead_time / step) steps earlier needed (ceil(actual x (1 + headroom) /
  // unit_capacity), at least min_units, at most max_units with kHonor): it sees demand only when
  // it arrives and its units need lead_time to come into service. Where that earlier value is
  // missing it keeps its previous units (at first the plan's first units).
  double reactive_unit_hours = 0;
  double reactive_coverage = 0;
  double reactive_under_provisioned_minutes = 0;
  double reactive_depth_logins_per_second = 0;
  double reactive_vs_oracle = 0;  // reactive_unit_hours / oracle_unit_hours
};

// Scores `plan` against `actual` (counts per step, NaN = no data) with the `model` it was made
// with. Buckets are matched by start time; `actual` may start before the plan (the reactive
// autoscaler reads the demand before the plan's first bucket). Errors: kInvalidArgument when
// actual.step differs from plan.step, or ValidateCapacityModel's for the model over the plan's
// horizon; kUnprocessable when no plan bucket has an actual value.
Result<PlanScore> ScorePlan(const CapacityPlan& plan, const RegularSeries& actual,
                            const CapacityModel& model);

}  // namespace patchcast::forecasting
