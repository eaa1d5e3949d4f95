#include "forecasting/forecast_in_service.h"

#include <algorithm>
#include <span>

#include "forecasting/quantile_function.h"

namespace patchcast::forecasting {

ForecastQuantiles QuantilesOf(const Forecast& forecast, std::chrono::seconds step) {
  ForecastQuantiles view{step, forecast.quantile_levels, {}, {}};
  view.starts.reserve(forecast.points.size());
  view.values.reserve(forecast.points.size() * view.levels.size());
  for (const ForecastPoint& point : forecast.points) {
    view.starts.push_back(point.ts);
    view.values.insert(view.values.end(), point.quantiles.begin(), point.quantiles.end());
  }
  return view;
}

std::vector<LevelValue> ValuesAt(const ForecastQuantiles& forecast, std::chrono::sys_seconds now) {
  const auto after = std::upper_bound(forecast.starts.begin(), forecast.starts.end(), now);
  if (after == forecast.starts.begin()) return {};
  const auto point = static_cast<std::size_t>(after - forecast.starts.begin()) - 1;
  if (now >= forecast.starts[point] + forecast.step) return {};
  const std::size_t width = forecast.levels.size();
  std::vector<LevelValue> values;
  values.reserve(width);
  for (std::size_t q = 0; q < width; ++q) {
    values.push_back({forecast.levels[q], forecast.values[point * width + q]});
  }
  return values;
}

TimedRate DemandRate(const ForecastQuantiles& forecast, double quantile, double multiplier) {
  TimedRate demand{forecast.starts.empty() ? std::chrono::sys_seconds{} : forecast.starts.front(),
                   {forecast.step, {}}};
  const std::size_t width = forecast.levels.size();
  const auto step_seconds = static_cast<double>(forecast.step.count());
  demand.rate.per_second.reserve(forecast.starts.size());
  for (std::size_t i = 0; i < forecast.starts.size(); ++i) {
    const std::span<const double> values(forecast.values.data() + i * width, width);
    const double count = QuantileAt(forecast.levels, values, quantile);
    demand.rate.per_second.push_back(std::max(0.0, count) / step_seconds * multiplier);
  }
  return demand;
}

std::size_t PointsOneStepApart(const ForecastQuantiles& forecast) {
  for (std::size_t i = 1; i < forecast.starts.size(); ++i) {
    if (forecast.starts[i] != forecast.starts[i - 1] + forecast.step) return i;
  }
  return forecast.starts.size();
}

}  // namespace patchcast::forecasting
