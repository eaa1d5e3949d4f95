#include "forecasting/forecast_baselines.h"

#include <algorithm>
#include <cmath>

#include "forecasting/clock_offsets.h"
#include "forecasting/forecast_layout.h"
#include "forecasting/robust_stats.h"

namespace patchcast::forecasting::forecast_steps {
namespace {

using std::chrono::sys_seconds;

constexpr double kLowestCorrection = 0.25;
constexpr double kHighestCorrection = 4.0;

// The first step of the run of today's clocks that ends the usable history.
std::size_t TodaysClocksSince(const Context& ctx) {
  std::size_t since = ctx.usable;
  while (since > 0 && ctx.clock_set[since - 1] == kTodaysClocks) --since;
  return since;
}

// Ratios of the quiet steps in [since, usable) to the baseline, by slot of the day.
std::vector<std::vector<double>> RatiosBySlotOfDay(const Context& ctx, std::size_t since,
                                                   std::size_t slots_per_day) {
  const RegularSeries& history = *ctx.history;
  std::vector<std::vector<double>> ratios(slots_per_day);
  for (std::size_t i = since; i < ctx.usable; ++i) {
    const double value = history.values[i];
    if (ctx.quiet[i] == 0 || std::isnan(value)) continue;
    const double expected = ctx.baseline.At(ctx.slots[i], history.TimeAt(i));
    if (!(expected > ctx.epsilon)) continue;
    ratios[ctx.slots[i] % slots_per_day].push_back(value / expected);
  }
  return ratios;
}

}  // namespace

std::vector<double> RecentClockCorrection(const Context& ctx) {
  if (ProfileOnTodaysClocks(ctx)) return {};
  const RegularSeries& history = *ctx.history;
  const std::size_t slots_per_day = static_cast<std::size_t>(kSecondsPerDay / ctx.step_seconds);
  const std::size_t since = TodaysClocksSince(ctx);
  const std::vector<std::vector<double>> ratios = RatiosBySlotOfDay(ctx, since, slots_per_day);
  std::vector<double> all;
  for (const std::vector<double>& slot : ratios) all.insert(all.end(), slot.begin(), slot.end());
  if (all.size() < 2 * slots_per_day) return {};
  const double overall = MedianInPlace(all);
  if (!(overall > 0)) return {};

  const std::size_t pool =
      history.step < std::chrono::hours{1}
          ? static_cast<std::size_t>(ctx.options->baseline.pool_seconds / history.step / 2)
          : 0;
  const double days = static_cast<double>(ctx.usable - since) *
                      static_cast<double>(ctx.step_seconds) / static_cast<double>(kSecondsPerDay);
  const double trust = days / (days + 1);  // four days since a Sunday change: 0.8
  std::vector<double> correction(slots_per_day, 1.0);
  std::vector<double> pooled;
  for (std::size_t s = 0; s < slots_per_day; ++s) {
    pooled.clear();
    for (std::size_t d = 0; d <= 2 * pool; ++d) {
      const std::vector<double>& at = ratios[(s + slots_per_day + d - pool) % slots_per_day];
      pooled.insert(pooled.end(), at.begin(), at.end());
    }
    if (pooled.empty()) continue;
    const double ratio = MedianInPlace(pooled) / overall;
    correction[s] = std::clamp(1 + trust * (ratio - 1), kLowestCorrection, kHighestCorrection);
  }
  return correction;
}

std::vector<double> ForecastBaselines(const Context& ctx, const ZonePlan& zones, const Grid& grid,
                                      std::span<const double> correction) {
  const RegularSeries& history = *ctx.history;
  std::vector<double> out(grid.horizon_steps);
  ClockOffsets clocks(zones.zones);
  const std::vector<std::int64_t> todays = clocks.At(grid.as_of);
  for (std::size_t j = 0; j < grid.horizon_steps; ++j) {
    const sys_seconds ts =
        history.start + history.step * (grid.first_step + static_cast<std::int64_t>(j));
    out[j] = ctx.baseline.At(grid.slots[j], ts);
    if (!correction.empty() && clocks.At(ts) == todays) {
      out[j] *= correction[grid.slots[j] % correction.size()];
    }
  }
  return out;
}

}  // namespace patchcast::forecasting::forecast_steps
