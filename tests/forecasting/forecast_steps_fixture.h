// Shared setup for the unit tests of ForecastDemand's steps (forecast_layout.h,
// forecast_baselines.h, forecast_learning.h, forecast_upcoming.h, forecast_quantiles.h,
// forecast_peaks.h): the state the steps pass along, filled by running them in ForecastDemand's
// order up to the step under test, and hand-made pieces (a flat or Pattern() baseline, a response
// curve) for tests that set the state by hand.
#pragma once

#include <date/tz.h>
#include <doctest/doctest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "calendars/event.h"
#include "forecasting/forecast.h"
#include "forecasting/forecast_baselines.h"
#include "forecasting/forecast_context.h"
#include "forecasting/forecast_layout.h"
#include "forecasting/forecast_learning.h"
#include "forecasting/forecast_quantiles.h"
#include "forecasting/forecast_upcoming.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting::testing {

// Monday 2024-01-01T00:00Z, where the steps' test series start.
inline std::chrono::sys_seconds SeriesStart() { return Utc("2024-01-01T00:00:00Z"); }

// Hourly Pattern() times scale(i) at step i, for `weeks` weeks from SeriesStart().
inline RegularSeries PatternWeeks(int weeks,
                                  const std::function<double(std::size_t)>& scale = nullptr) {
  RegularSeries series =
      MakeSeries(SeriesStart(), std::chrono::hours{1}, static_cast<std::size_t>(weeks) * 168,
                 [](std::chrono::sys_seconds t) { return Pattern(t); });
  if (scale) {
    for (std::size_t i = 0; i < series.size(); ++i) series.values[i] *= scale(i);
  }
  return series;
}

// Users in New York and Sydney, each logging in at a local hour (issue 11's zone mixes). US
// daylight saving starts on 2024-03-10 and Sydney's ends on 2024-04-07, so between the two Sydney's
// hours fall an hour later on New York's clock than in the weeks before. Hourly, from Monday
// 2024-02-05 for `weeks` weeks: `quiet`, plus `morning` in the hour of 09:00 Sydney time.
inline RegularSeries SydneyMornings(int weeks, double quiet, double morning) {
  return MakeSeries(Utc("2024-02-05T00:00:00Z"), std::chrono::hours{1},
                    static_cast<std::size_t>(weeks) * 168, [=](std::chrono::sys_seconds t) {
                      const date::zoned_seconds local(&Zone("Australia/Sydney"), t);
                      const auto time = local.get_local_time();
                      const auto hour =
                          date::floor<std::chrono::hours>(time - date::floor<date::days>(time));
                      return quiet + (hour == std::chrono::hours{9} ? morning : 0.0);
                    });
}

// The step of `series` containing `t` (t on or after its start).
inline std::int64_t StepOf(const RegularSeries& series, std::chrono::sys_seconds t) {
  return (t - series.start) / series.step;
}

// A baseline whose profile is `value` in every slot of the week, with no trend: At() is `value`.
inline WeeklyBaseline FlatBaseline(double value,
                                   std::chrono::seconds step = std::chrono::hours{1}) {
  WeeklyBaseline baseline;
  baseline.step = step;
  baseline.origin = SeriesStart();
  baseline.profile.assign(SlotsPerWeek(step), value);
  return baseline;
}

// An hourly baseline whose profile is Pattern() in UTC slots (slot 0: Monday 00:00), no trend.
inline WeeklyBaseline PatternBaseline() {
  WeeklyBaseline baseline = FlatBaseline(0);
  for (std::size_t slot = 0; slot < baseline.profile.size(); ++slot) {
    baseline.profile[slot] = Pattern(SeriesStart() + std::chrono::hours{slot});
  }
  return baseline;
}

// A response curve with this excess per offset (steps, from first_offset), nothing else learned.
inline ResponseCurve Curve(std::vector<double> excess, std::int64_t first_offset) {
  ResponseCurve curve;
  curve.first_offset = first_offset;
  curve.excess = std::move(excess);
  curve.spread.assign(curve.excess.size(), 0.0);
  curve.magnitudes = {1, 1, 1};  // learned from three past events of the median size
  return curve;
}

// The steps' shared state, filled by running ForecastDemand's steps in its order. Not copyable: the
// context points at the fixture's own history and options, and the refs at its events.
struct StepsFixture {
  StepsFixture(RegularSeries series, std::vector<calendars::Event> event_list,
               ForecastOptions forecast_options)
      : history(std::move(series)),
        events(std::move(event_list)),
        options(std::move(forecast_options)) {
    ctx.history = &history;
    ctx.options = &options;
    ctx.step_seconds = history.step.count();
  }
  StepsFixture(const StepsFixture&) = delete;
  StepsFixture& operator=(const StepsFixture&) = delete;

  // Validate, ResolveZones, LayOutGrid, WeekendSlots, IndexEvents, MarkEventWeekends,
  // AlignReleasesOnLocalNights.
  void Place() {
    const Status valid = forecast_steps::Validate(history, options);
    REQUIRE_MESSAGE(valid.has_value(), (valid ? "" : valid.error().message));
    Result<forecast_steps::ZonePlan> plan = forecast_steps::ResolveZones(options.zone_mix);
    REQUIRE(plan.has_value());
    zones = *plan;
    Result<forecast_steps::Grid> laid = forecast_steps::LayOutGrid(ctx, *zones.dominant);
    REQUIRE_MESSAGE(laid.has_value(), (laid ? "" : laid.error().message));
    grid = *laid;
    ctx.weekend_slots = forecast_steps::WeekendSlots(ctx, zones);
    refs = forecast_steps::IndexEvents(history, events, ctx.step_seconds);
    forecast_steps::MarkEventWeekends(refs, ctx, *zones.dominant);
    forecast_steps::AlignReleasesOnLocalNights(refs, *zones.dominant, ctx.step_seconds);
  }

  // Place, then MarkQuietSteps, MarkClockSets, FitBaseline on QuietStepsOnTodaysClocks,
  // FitOtherClockBaselines and ForecastBaselines with the RecentClockCorrection.
  void Fit() {
    Place();
    forecast_steps::MarkQuietSteps(ctx, refs);
    forecast_steps::MarkClockSets(ctx, zones, grid);
    const Status fitted =
        forecast_steps::FitBaseline(ctx, forecast_steps::QuietStepsOnTodaysClocks(ctx));
    REQUIRE_MESSAGE(fitted.has_value(), (fitted ? "" : fitted.error().message));
    forecast_steps::FitOtherClockBaselines(ctx);
    grid.baseline = forecast_steps::ForecastBaselines(ctx, zones, grid,
                                                      forecast_steps::RecentClockCorrection(ctx));
  }

  // Fit, then GroupEvents and LearnResponses.
  void Learn() {
    Fit();
    groups = forecast_steps::GroupEvents(ctx, grid, refs);
    Result<std::size_t> used = forecast_steps::LearnResponses(ctx, refs, groups);
    REQUIRE(used.has_value());
    events_used = *used;
  }

  // Learn, then SizeUpcomingEvents, ApplyWhatIfs, GroupWaves, the ExcessModel and
  // UpdateEventsUnderWay.
  void Size() {
    Learn();
    upcoming = forecast_steps::SizeUpcomingEvents(ctx, refs, groups, zones);
    const Status applied = forecast_steps::ApplyWhatIfs(options, refs, upcoming);
    REQUIRE(applied.has_value());
    waves = forecast_steps::GroupWaves(refs, upcoming, options.merge_window);
    excess.emplace(ctx, refs, groups);
    forecast_steps::UpdateEventsUnderWay(ctx, refs, waves, *excess, *zones.dominant, upcoming);
  }

  // Size, then CombineEventsAtSteps (with explanations).
  void Combine() {
    Size();
    states = forecast_steps::CombineEventsAtSteps(ctx, grid, refs, upcoming, waves, *excess,
                                                  &explanations);
  }

  RegularSeries history;
  std::vector<calendars::Event> events;
  ForecastOptions options;
  forecast_steps::ZonePlan zones;
  forecast_steps::Context ctx;
  forecast_steps::Grid grid;
  std::vector<forecast_steps::EventRef> refs;
  std::vector<forecast_steps::Group> groups;
  std::size_t events_used = 0;
  std::vector<forecast_steps::Upcoming> upcoming;
  forecast_steps::Waves waves;
  std::optional<forecast_steps::ExcessModel> excess;
  std::vector<forecast_steps::StepState> states;
  std::vector<PointExplanation> explanations;
};

}  // namespace patchcast::forecasting::testing
