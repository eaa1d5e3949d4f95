#include "forecasting/forecast.h"

#include <algorithm>
#include <utility>

#include "forecasting/forecast_baselines.h"
#include "forecasting/forecast_context.h"
#include "forecasting/forecast_layout.h"
#include "forecasting/forecast_learning.h"
#include "forecasting/forecast_peaks.h"
#include "forecasting/forecast_quantiles.h"
#include "forecasting/forecast_upcoming.h"

namespace patchcast::forecasting {
namespace {

// The quantile levels asked for, ascending and without repeats.
std::vector<double> SortedLevels(std::vector<double> levels) {
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  return levels;
}

}  // namespace

std::string_view ToString(ModelKind kind) {
  switch (kind) {
    case ModelKind::kLearned:
      return "learned";
    case ModelKind::kPrior:
      return "prior";
    case ModelKind::kBlended:
      return "blended";
  }
  return "learned";
}

Result<Forecast> ForecastDemand(const RegularSeries& history,
                                std::span<const calendars::Event> events,
                                const ForecastOptions& options) {
  using namespace forecast_steps;  // the steps below, and the state they pass along
  if (Status valid = Validate(history, options); !valid) return valid.error();
  Result<ZonePlan> zones = ResolveZones(options.zone_mix);
  if (!zones) return std::move(zones).error();
  Context ctx;
  ctx.history = &history;
  ctx.options = &options;
  ctx.step_seconds = history.step.count();
  Result<Grid> grid = LayOutGrid(ctx, *zones->dominant);
  if (!grid) return std::move(grid).error();
  ctx.weekend_slots = WeekendSlots(ctx, *zones);

  std::vector<EventRef> refs = IndexEvents(history, events, ctx.step_seconds);
  MarkEventWeekends(refs, ctx, *zones->dominant);
  AlignReleasesOnLocalNights(refs, *zones->dominant, ctx.step_seconds);
  MarkQuietSteps(ctx, refs);
  MarkClockSets(ctx, *zones, *grid);
  if (Status fitted = FitBaseline(ctx, QuietStepsOnTodaysClocks(ctx)); !fitted) {
    return fitted.error();
  }
  FitOtherClockBaselines(ctx);
  grid->baseline = ForecastBaselines(ctx, *zones, *grid, RecentClockCorrection(ctx));

  std::vector<Group> groups = GroupEvents(ctx, *grid, refs);
  Result<std::size_t> events_used = LearnResponses(ctx, refs, groups);
  if (!events_used) return std::move(events_used).error();
  std::vector<Upcoming> upcoming = SizeUpcomingEvents(ctx, refs, groups, *zones);
  if (Status applied = ApplyWhatIfs(options, refs, upcoming); !applied) return applied.error();
  const Waves waves = GroupWaves(refs, upcoming, options.merge_window);
  const ExcessModel excess(ctx, refs, groups);
  UpdateEventsUnderWay(ctx, refs, waves, excess, *zones->dominant, upcoming);

  Forecast forecast;
  forecast.quantile_levels = SortedLevels(options.quantiles);
  const std::vector<StepState> states =
      CombineEventsAtSteps(ctx, *grid, refs, upcoming, waves, excess,
                           options.explain ? &forecast.explanations : nullptr);
  const StepQuantiles quantiles(ctx, refs, groups, upcoming, states);
  forecast.points = QuantilePoints(ctx, *grid, states, quantiles, forecast.quantile_levels);
  const std::vector<double> quiet_peaks = QuietDailyPeakLogRatios(ctx);
  for (const Upcoming& up : upcoming) {
    const EventRef& ref = refs[up.ref];
    forecast.events.push_back(ForecastEventPeak(ctx, *grid, ref, groups[ref.group], up, states,
                                                quantiles, forecast, quiet_peaks));
    if (up.observed_share > 0) {  // following the sun: whose wave has been seen
      forecast.events.back().observed_zones =
          ZonesInstalledBy(zones->zones, options.prior, ref.event->start, grid->as_of);
    }
  }
  forecast.model = SummarizeModel(ctx, refs, groups, upcoming, *events_used);
  return forecast;
}

}  // namespace patchcast::forecasting
