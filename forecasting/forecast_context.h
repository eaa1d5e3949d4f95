// The state ForecastDemand's steps share (forecast.h lists the steps): the series and options, the
// usable history's quiet steps and baseline, the forecast grid, the events with their groups, and
// each upcoming event's sizing. Internal to the forecasting module; the types are plain values,
// filled in step by step, and the pointers in them borrow the caller's history, options and events.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "calendars/event.h"
#include "forecasting/forecast.h"
#include "forecasting/reboot_prior.h"
#include "forecasting/regular_series.h"
#include "forecasting/response_curve.h"
#include "forecasting/weekly_baseline.h"

namespace patchcast::forecasting::forecast_steps {

inline constexpr std::int64_t kSecondsPerDay = 86'400;
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Which of an upcoming event's prior waves a step reads (Upcoming): the wave at the prior's hours;
// its per-step median over the prior's timing and size uncertainty (the median line); or its
// expected value over the timing's uncertainty (where the upper bands reach).
enum class PriorTiming { kAtItsHours, kMedian, kSpread };

// The clock set of as_of (Context::clock_set).
inline constexpr std::uint8_t kTodaysClocks = 0;
// Quiet residuals are kept per horizon day 0..6; later days use day 6's.
inline constexpr std::size_t kHorizonDays = 7;

// Floor and ceiling of a / b for b > 0, for negative a too.
inline std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
inline std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return -FloorDiv(-a, b); }

// Whether the reboot-wave prior describes this kind of event: releases make machines restart;
// advance notices and custom events (matches, holidays) do not, and their prior is "no effect".
bool IsRebootKind(calendars::EventKind kind);

// One event of the input, placed on the series' steps.
struct EventRef {
  const calendars::Event* event = nullptr;
  std::string id;
  std::int64_t index = 0;  // the step containing the start, counted from history.start
  // The step the response curve's offset 0 is laid on: `index`, moved for a release to where its
  // start would fall on the users' usual local clock (AlignReleasesOnLocalNights).
  std::int64_t curve_index = 0;
  std::size_t group = 0;
  double level = kNaN;    // PastEventLevel, once computed
  bool weekend = false;   // its start is on a weekend for the series' users (MarkEventWeekends)
  bool past = false;      // learned from: its start lies in the usable history, and its window
                          // too unless it reaches into the forecast
  bool relevant = false;  // its window reaches into the forecast
};

// What was known of the event before it happened, the size relation's predictors: what its
// advance notice announced, and whether it falls on a weekend.
SizeAnnotations AnnotationsOf(const EventRef& ref);

// The events of one (calendar, kind), which share a response curve.
struct Group {
  std::string calendar_id;
  calendars::EventKind kind = calendars::EventKind::kRelease;
  std::vector<std::size_t> past;  // indices into the sorted EventRefs
  std::optional<ResponseCurve> curve;
  double prior_weight = 0;
  // Offsets (steps, relative to the start) where the group acts, for masking overlaps; empty
  // (from > to) when it has no visible effect.
  std::int64_t active_from = 1;
  std::int64_t active_to = 0;
  double active_threshold = 0.02;
  double peak_excess = 0;
};

// The history as the steps read it.
struct Context {
  const RegularSeries* history = nullptr;
  const ForecastOptions* options = nullptr;
  std::int64_t step_seconds = 3600;
  std::size_t usable = 0;            // steps [0, usable) end at or before as_of
  std::int64_t pre = 0;              // window steps before the start
  std::int64_t post = 0;             // window steps after the start
  std::vector<std::uint32_t> slots;  // each usable step's slot of the week
  std::vector<std::uint8_t> quiet;   // 1 where the baseline may learn from the step
  // Per slot of the week: 1 where it is the weekend for most of the users awake then
  // (WeekendSlots); empty before it is set.
  std::vector<std::uint8_t> weekend_slots;
  bool every_step_counts = false;  // no step was quiet lately, so quiet marks them all
  WeeklyBaseline baseline;
  // A zone mix's daily shape depends on the clock offsets between its zones (MarkClockSets):
  // clock_set[i] numbers step i's set of offsets, kTodaysClocks for those of as_of (empty for a
  // single zone), and clock_baselines[set] is the baseline fitted on that set's own quiet weeks,
  // when they were enough (FitOtherClockBaselines).
  std::vector<std::uint8_t> clock_set;
  std::vector<std::optional<WeeklyBaseline>> clock_baselines;
  double epsilon = 1e-9;  // keeps ratios of near-zero values finite

  // The baseline that describes step i of the history, taken as its nearest usable step: the
  // step's clock set's own, else `baseline`.
  const WeeklyBaseline& BaselineOfStep(std::int64_t i) const;
};

// The forecast's steps: [first_step, first_step + horizon_steps), counted from history.start.
struct Grid {
  std::chrono::sys_seconds as_of{};
  std::int64_t first_step = 0;
  std::size_t horizon_steps = 0;
  std::vector<std::uint32_t> slots;  // each forecast step's slot of the week
  std::vector<double> baseline;      // each forecast step's baseline, set by ForecastBaselines
  std::int64_t end() const { return first_step + static_cast<std::int64_t>(horizon_steps); }
};

// The series' users by zone: every zone drives the prior's waves; the largest share's zone is the
// dominant one, whose wall clock the weekly profile follows (UTC when there is no mix).
struct ZonePlan {
  std::vector<ZoneWeight> zones;
  const date::time_zone* dominant = nullptr;
};

// One upcoming event's contribution per forecast step.
struct Upcoming {
  std::size_t ref = 0;
  double magnitude = 1;        // size relation of the learned curve
  double prior_magnitude = 1;  // the prior's: 0 for a release known to need no restart
  double what_if = 1;
  // An event under way at as_of: its realised size relative to the expected one, as far as the
  // observed part of its curve tells (1 when nothing is observed), and that part's share of the
  // curve's expected extra demand.
  double observed_scale = 1;
  double observed_share = 0;
  // The prior's wave per window offset, at the prior's hours and of its median size (empty
  // without the prior); its per-step median over the prior's timing and size uncertainty, and its
  // expected value over the timing's. The median line follows the median wave, the upper bands
  // reach for the expected one, and the event's peak and the under-way update read the wave itself.
  std::vector<double> prior_excess;
  std::vector<double> prior_median_excess;
  std::vector<double> prior_spread_excess;
  double daily_volume = 0;
};

}  // namespace patchcast::forecasting::forecast_steps
