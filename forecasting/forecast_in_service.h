// What a kept forecast says about demand, as its readers use it: the values of the step containing
// an instant (the /metrics demand gauges) and the demand at a quantile as a rate (a simulation
// replaying the forecast). Both read ForecastQuantiles, a compact view of a forecast's points (8 +
// 8 x levels bytes a point) that a reader can keep for many forecasts at hand.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <vector>

#include "forecasting/forecast.h"
#include "forecasting/login_storm.h"

namespace patchcast::forecasting {

struct ForecastQuantiles {
  std::chrono::seconds step{60};
  std::vector<double> levels;                    // ascending
  std::vector<std::chrono::sys_seconds> starts;  // each point's ts, ascending
  std::vector<double> values;  // point-major: values[i * levels.size() + q], logins per step

  friend bool operator==(const ForecastQuantiles&, const ForecastQuantiles&) = default;
};

// The view of `forecast`, whose points are `step` apart.
ForecastQuantiles QuantilesOf(const Forecast& forecast, std::chrono::seconds step);

struct LevelValue {
  double quantile = 0;         // a level of the forecast, e.g. 0.99
  double logins_per_step = 0;  // the forecast's value: a count per step, not a rate

  friend bool operator==(const LevelValue&, const LevelValue&) = default;
};

// The forecast's values in the step containing `now` ([ts, ts + step) of one of its points), one
// per level in ascending order; empty when no step contains now (before the forecast starts or
// after it ends). O(log points).
std::vector<LevelValue> ValuesAt(const ForecastQuantiles& forecast, std::chrono::sys_seconds now);

// The demand at `quantile` as fresh logins per second, times `multiplier`: each point's count at
// that quantile (interpolated between the levels, extrapolated beyond them: QuantileAt), at least
// 0, divided by the step; from the first point on. Preconditions: the points are one step apart
// (check with PointsOneStepApart) and step >= 1 s.
TimedRate DemandRate(const ForecastQuantiles& forecast, double quantile, double multiplier);

// The index of the first point that does not start one step after the one before; the point count
// when every point does.
std::size_t PointsOneStepApart(const ForecastQuantiles& forecast);

}  // namespace patchcast::forecasting
