// Scale windows: when a kept plan (plan_record.h) runs the service above its usual size, how far
// and why. The iCalendar view of a plan (one event per window) and any reader that wants "when is
// the next surge" share them.
//
// The resting level of a plan is the most units that its routine scale-outs bring (scale-out
// actions that name no event: "baseline demand rising"), that is the ordinary daily peak; a plan
// without such actions (mode forecast_only, or no routine rise in its horizon) rests at the fewest
// units any of its buckets runs. The windows thus show what an event makes the service run beyond
// an ordinary day, not the daily cycle. (The fewest units over the horizon, or the units at the
// plan's start, would make every day's cycle a window: on the demo series a 7-day plan gave three
// windows of one to four days each, most of it ordinary daytime demand.) A scale window is a
// maximal run of consecutive buckets with more units than the resting level. It starts, for
// humans, when its first scale-out action is issued (`at`, lead_time before the units are needed),
// or at its first bucket when no action starts it (a plan that starts above rest); it ends when
// capacity is back at rest (the start of the first bucket at or below the resting level), or at
// the plan's end.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "forecasting/plan_record.h"

namespace patchcast::forecasting {

struct ScaleWindow {
  std::size_t first_bucket = 0;      // the first bucket above the resting level
  std::size_t end_bucket = 0;        // one past the last (the bucket count when it never ends)
  std::chrono::sys_seconds start{};  // the first scale-out's `at`, or the first bucket's ts
  std::chrono::sys_seconds end{};    // the first bucket back at rest, or the plan's end
  int peak_units = 0;
  std::size_t peak_bucket = 0;         // the first bucket with peak_units
  double peak_demand = 0;              // logins per second at the plan quantile, the window's most
  std::size_t peak_demand_bucket = 0;  // the first bucket with peak_demand
  std::size_t at_risk_buckets = 0;     // buckets that max_units held below the demand
  // Indices into the plan's actions whose `ready` lies in [first bucket ts, end]: the scale-outs
  // that build the window and the scale-ins that shed it, in the plan's order.
  std::vector<std::size_t> actions;

  friend bool operator==(const ScaleWindow&, const ScaleWindow&) = default;
};

struct ScaleWindows {
  int resting_units = 0;             // the resting level described above
  std::vector<ScaleWindow> windows;  // by start

  friend bool operator==(const ScaleWindows&, const ScaleWindows&) = default;
};

// The scale windows of `plan`. A plan whose units never change, or that has no buckets, has none.
// O(buckets x windows + actions x windows).
ScaleWindows FindScaleWindows(const CapacityPlan& plan);

// The scale-out of `window` that first brings it to its peak (its first scale-out when none
// reaches the peak); nullopt when the window has no scale-out. An index into plan.actions.
std::optional<std::size_t> PeakAction(const CapacityPlan& plan, const ScaleWindow& window);

}  // namespace patchcast::forecasting
