#include "forecasting/plan_score.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

double Hours(seconds duration) { return static_cast<double>(duration.count()) / 3600; }

// The actual demand in logins per second in the step starting at `ts`, when `actual` has a value
// there.
std::optional<double> DemandAt(const RegularSeries& actual, sys_seconds ts) {
  const seconds offset = ts - actual.start;
  if (offset < seconds{0} || offset % actual.step != seconds{0}) return std::nullopt;
  const auto index = static_cast<std::size_t>(offset / actual.step);
  if (index >= actual.size() || RegularSeries::IsMissing(actual.values[index])) {
    return std::nullopt;
  }
  return actual.values[index] / static_cast<double>(actual.step.count());
}

// One way of provisioning, tallied over the compared buckets.
struct Tally {
  double unit_steps = 0;
  std::size_t covered = 0;
  double under_minutes = 0;
  double depth = 0;

  void Add(int units, double demand, double unit_capacity, double step_minutes) {
    unit_steps += units;
    const double gap = demand - units * unit_capacity;
    if (gap <= 0) {
      ++covered;
    } else {
      under_minutes += step_minutes;
      depth = std::max(depth, gap);
    }
  }
};

// The plan, static peak provisioning, a reactive autoscaler and the oracle over the buckets that
// have an actual value.
struct Tallies {
  std::size_t buckets = 0;
  Tally plan;
  Tally fixed;
  Tally reactive;
  double oracle_unit_steps = 0;
};

Tallies TallyBuckets(const CapacityPlan& plan, const RegularSeries& actual,
                     const CapacityModel& model) {
  const double step_minutes = static_cast<double>(plan.step.count()) / 60;
  // The reactive autoscaler sees the demand of the step lead_time (rounded up to steps) earlier.
  const seconds lag =
      plan.step *
      ((std::chrono::duration_cast<seconds>(model.lead_time) + plan.step - seconds{1}) / plan.step);
  const bool honor = model.max_capacity_behavior == MaxCapacityBehavior::kHonor;
  int reactive_units = plan.buckets.empty() ? 0 : plan.buckets.front().units;
  Tallies tallies;
  for (const PlanBucket& bucket : plan.buckets) {
    if (const std::optional<double> seen = DemandAt(actual, bucket.ts - lag)) {
      reactive_units = RequiredUnits(*seen, model);
      if (honor) reactive_units = std::min(reactive_units, model.max_units);
    }
    const std::optional<double> demand = DemandAt(actual, bucket.ts);
    if (!demand) continue;
    ++tallies.buckets;
    tallies.oracle_unit_steps += RequiredUnits(*demand, model);
    tallies.plan.Add(bucket.units, *demand, model.unit_capacity, step_minutes);
    tallies.fixed.Add(plan.fallback_units, *demand, model.unit_capacity, step_minutes);
    tallies.reactive.Add(reactive_units, *demand, model.unit_capacity, step_minutes);
  }
  return tallies;
}

PlanScore ScoreFrom(const Tallies& tallies, seconds step) {
  const double step_hours = Hours(step);
  const double count = static_cast<double>(tallies.buckets);
  PlanScore score;
  score.buckets = tallies.buckets;
  score.oracle_unit_hours = tallies.oracle_unit_steps * step_hours;
  const auto vs_oracle = [&](double unit_hours) {
    return score.oracle_unit_hours > 0 ? unit_hours / score.oracle_unit_hours : 0.0;
  };
  score.covered = tallies.plan.covered;
  score.coverage = static_cast<double>(tallies.plan.covered) / count;
  score.under_provisioned_minutes = tallies.plan.under_minutes;
  score.depth_logins_per_second = tallies.plan.depth;
  score.plan_unit_hours = tallies.plan.unit_steps * step_hours;
  score.plan_vs_oracle = vs_oracle(score.plan_unit_hours);
  score.static_unit_hours = tallies.fixed.unit_steps * step_hours;
  score.static_coverage = static_cast<double>(tallies.fixed.covered) / count;
  score.static_under_provisioned_minutes = tallies.fixed.under_minutes;
  score.static_depth_logins_per_second = tallies.fixed.depth;
  score.static_vs_oracle = vs_oracle(score.static_unit_hours);
  score.reactive_unit_hours = tallies.reactive.unit_steps * step_hours;
  score.reactive_coverage = static_cast<double>(tallies.reactive.covered) / count;
  score.reactive_under_provisioned_minutes = tallies.reactive.under_minutes;
  score.reactive_depth_logins_per_second = tallies.reactive.depth;
  score.reactive_vs_oracle = vs_oracle(score.reactive_unit_hours);
  return score;
}

}  // namespace

Result<PlanScore> ScorePlan(const CapacityPlan& plan, const RegularSeries& actual,
                            const CapacityModel& model) {
  if (actual.step != plan.step) {
    return InvalidArgument("actual: step " + std::to_string(actual.step.count()) +
                           " s differs from the plan's " + std::to_string(plan.step.count()) +
                           " s");
  }
  const seconds horizon = plan.step * static_cast<std::int64_t>(plan.buckets.size());
  if (Status valid = ValidateCapacityModel(model, horizon); !valid) return valid.error();
  const Tallies tallies = TallyBuckets(plan, actual, model);
  if (tallies.buckets == 0) {
    return Unprocessable("actual: no value at any of the plan's " +
                         std::to_string(plan.buckets.size()) + " steps");
  }
  return ScoreFrom(tallies, plan.step);
}

}  // namespace patchcast::forecasting
