#include "forecasting/scale_windows.h"

#include <algorithm>

namespace patchcast::forecasting {
namespace {

// The routine peak: the most units a scale-out that names no event brings. Without such an
// action, the fewest units of any bucket.
int RestingUnits(const CapacityPlan& plan) {
  int resting = -1;
  for (const PlanAction& action : plan.actions) {
    if (action.kind == ActionKind::kScaleOut && action.event_id.empty()) {
      resting = std::max(resting, action.units);
    }
  }
  if (resting >= 0) return resting;
  return std::min_element(
             plan.buckets.begin(), plan.buckets.end(),
             [](const PlanBucket& a, const PlanBucket& b) { return a.units < b.units; })
      ->units;
}

// The window of buckets above `resting_units` from `first` on, with its peaks, but not yet its
// start and actions.
ScaleWindow BucketsAboveRest(const CapacityPlan& plan, std::size_t first, int resting_units) {
  const std::vector<PlanBucket>& buckets = plan.buckets;
  ScaleWindow window;
  window.first_bucket = window.peak_bucket = window.peak_demand_bucket = first;
  std::size_t i = first;
  for (; i < buckets.size() && buckets[i].units > resting_units; ++i) {
    const PlanBucket& bucket = buckets[i];
    if (bucket.units > buckets[window.peak_bucket].units) window.peak_bucket = i;
    if (bucket.demand_logins_per_second >
        buckets[window.peak_demand_bucket].demand_logins_per_second) {
      window.peak_demand_bucket = i;
    }
    if (bucket.at_risk) ++window.at_risk_buckets;
  }
  window.end_bucket = i;
  window.start = buckets[first].ts;
  window.end = i < buckets.size() ? buckets[i].ts : buckets.back().ts + plan.step;
  window.peak_units = buckets[window.peak_bucket].units;
  window.peak_demand = buckets[window.peak_demand_bucket].demand_logins_per_second;
  return window;
}

// Gives `window` the actions ready within it; the first scale-out among them starts it.
void AttachActions(const CapacityPlan& plan, ScaleWindow& window) {
  const std::chrono::sys_seconds first_ts = plan.buckets[window.first_bucket].ts;
  for (std::size_t a = 0; a < plan.actions.size(); ++a) {
    const PlanAction& action = plan.actions[a];
    if (action.ready < first_ts || action.ready > window.end) continue;
    window.actions.push_back(a);
    if (action.kind == ActionKind::kScaleOut) window.start = std::min(window.start, action.at);
  }
}

}  // namespace

ScaleWindows FindScaleWindows(const CapacityPlan& plan) {
  if (plan.buckets.empty()) return {};
  ScaleWindows out{RestingUnits(plan), {}};
  for (std::size_t i = 0; i < plan.buckets.size();) {
    if (plan.buckets[i].units <= out.resting_units) {
      ++i;
      continue;
    }
    ScaleWindow window = BucketsAboveRest(plan, i, out.resting_units);
    AttachActions(plan, window);
    i = window.end_bucket;
    out.windows.push_back(std::move(window));
  }
  return out;
}

std::optional<std::size_t> PeakAction(const CapacityPlan& plan, const ScaleWindow& window) {
  std::optional<std::size_t> first_scale_out;
  for (std::size_t a : window.actions) {
    const PlanAction& action = plan.actions[a];
    if (action.kind != ActionKind::kScaleOut) continue;
    if (!first_scale_out) first_scale_out = a;
    if (action.units >= window.peak_units) return a;
  }
  return first_scale_out;
}

}  // namespace patchcast::forecasting
