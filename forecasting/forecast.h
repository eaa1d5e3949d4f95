// ForecastDemand: the domain entry point of issue 5 — given a series' history and the events of
// its calendars, forecast the coming days of demand at the series' step with quantiles, and say for
// each upcoming event when its peak comes and how high.
//
// A pure, deterministic function: no I/O, no clock (the reference instant is options.as_of), the
// same inputs always give bit-identical output. Thread-safe (it shares nothing). The types are
// values; thread-compatible.
//
// The model (each step is documented where it is implemented: forecast_layout.h for the grid and
// step 1, forecast_baselines.h for step 1 on the forecast's steps, forecast_learning.h for 2,
// forecast_upcoming.h for 3, 4 and 6, forecast_quantiles.h for 5, forecast_peaks.h for the
// events' peaks):
//  1. Baseline: weekly profile in the series' dominant local time, median per slot over recent
//     quiet weeks, times a Theil-Sen trend (weekly_baseline.h), its level moved toward the last
//     week's, or to the last two days' when the series has risen far above it. With zones whose
//     clocks change on different dates, only weeks on today's clock offsets between them, when
//     there is one; when today's offsets began under a week ago, the days since then correct the
//     profile's shape per time of day for the forecast's steps still on them. A slot with no
//     quiet data takes the same time on the other days of its kind, weekday or weekend for the
//     users awake then.
//  2. Event response: value / baseline - 1 around each past event's start, aggregated per
//     (calendar, kind) into a curve at the series' step (response_curve.h); a past event on other
//     clock offsets between the zones is measured against a baseline of its own set's weeks. A
//     release's curve is laid where its start falls on the dominant zone's usual local clock, so
//     that reboots at 03:00 local line up across daylight-saving changes that the release's
//     Pacific clock does not share. A past event is measured against the level of the quiet
//     weeks before it, moved, as the forecast's is, to the last two days' after a rise within them.
//     Steps where an event of another kind acts are left out of its row; an overlap with an event
//     of its own kind (back-to-back match days) stays in both, and is counted once ahead.
//  3. Magnitude: a size relation on what the advance notice announced (bulletins, critical
//     severity, restart required), or on whether the event falls on a weekend for the users, when
//     it beats the median out of sample (response_curve.h), times an optional what-if
//     multiplier. A release known to need no restart has no reboot wave in the prior.
//  4. Cold start: the reboot-wave prior (reboot_prior.h), shrunk away as events accumulate. Its
//     hours and size are uncertain (fleets install from 01:00 to 05:00), so the median line
//     carries its wave's per-step median over the prior's timing and size uncertainty, and the
//     event's peak the wave's top. Once a group has learned a curve, the prior's wave is first
//     moved (within that uncertainty) to the install hours the curve shows.
//  5. Uncertainty: empirical quantiles of rolling-origin baseline residuals by horizon day (quiet
//     steps) and of leave-one-event-out residuals (event windows). Where the prior drives an
//     event, a log-normal size factor, and upper quantiles that reach for the wave's height
//     anywhere within the prior's timing spread (peak_timing_spread_hours).
//  6. Events under way at as_of: the observed part of the window gives the realised size, shrunk
//     toward the expected one by the share of the curve observed, and narrows the quantiles.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/event.h"
#include "core/result.h"
#include "forecasting/reboot_prior.h"
#include "forecasting/regular_series.h"
#include "forecasting/response_curve.h"
#include "forecasting/series.h"
#include "forecasting/weekly_baseline.h"

namespace patchcast::forecasting {

// "What if this event is `multiplier` times as large as the model expects?"
struct WhatIf {
  std::string event_id;  // an Event::Id() among the events the forecast covers
  double multiplier = 1;
};

struct ForecastOptions {
  // How far ahead to forecast. Default 168 h; at most 366 days.
  std::chrono::seconds horizon{std::chrono::hours{168}};
  // Only steps that end at or before as_of are used; the forecast starts at the first step
  // starting at or after it. Default: the end of the history.
  std::optional<std::chrono::sys_seconds> as_of;
  // Quantile levels in (0, 1), any order; output is ascending. Default 0.5, 0.9, 0.99.
  std::vector<double> quantiles{0.5, 0.9, 0.99};
  // The series' users by zone; the largest share is the dominant zone whose wall clock the weekly
  // profile follows, and the prior's waves roll across all of them. Empty: UTC only.
  std::vector<ZoneShare> zone_mix;
  std::vector<WhatIf> what_if;
  RebootPrior prior;
  // False: never use the prior (events with too little history add nothing). Default true.
  bool use_prior = true;
  // True: fill Forecast::explanations (one per point). Default false.
  bool explain = false;
  // True: forecast the baseline alone (event windows are still left out of its fit). Default false.
  bool baseline_only = false;
  // The window around each event's start in which it acts: default -48 h .. +192 h (+8 days, so
  // that the +3 d and +7 d ring echoes are inside).
  std::chrono::seconds window_before{std::chrono::hours{48}};
  std::chrono::seconds window_after{std::chrono::hours{192}};
  // Events of any calendars starting within this span of each other are one reboot wave: their
  // uplifts combine by maximum, not by sum. Waves add up, but where two waves of one (calendar,
  // kind) act at the same step, the larger counts. Default 24 h.
  std::chrono::seconds merge_window{std::chrono::hours{24}};
  // Rolling weekly origins whose baseline residuals give the quiet quantiles. Default 6.
  int residual_weeks = 6;
  BaselineFitOptions baseline;
  ResponseLearningOptions response;
};

struct PeakWindow {
  std::chrono::sys_seconds p10{};
  std::chrono::sys_seconds p90{};

  friend bool operator==(const PeakWindow&, const PeakWindow&) = default;
};

struct EventPeak {
  std::chrono::sys_seconds ts{};  // the step at which the median forecast peaks
  std::vector<double> quantiles;  // the peak's height at each quantile level
  PeakWindow window;              // p10..p90 of when the peak comes

  friend bool operator==(const EventPeak&, const EventPeak&) = default;
};

struct EventForecast {
  std::string id;
  std::string calendar_id;
  calendars::EventKind kind = calendars::EventKind::kRelease;
  std::chrono::sys_seconds start{};
  EventPeak peak;
  // The largest ratio of the median forecast to the baseline within the event's window (1 = no
  // surge): how much the event multiplies demand where it acts most, which need not be at the peak
  // of total demand (a 03:00 reboot wave can triple a quiet hour and stay below the midday peak).
  double lift_p50 = 1;
  // The event's expected size relative to the median past event: the size relation's magnitude
  // and the prior's (0 for a release known to need no restart, else 1), weighted as the curve is,
  // times what its observed part says (an event under way at as_of), times the what-if multiplier.
  double magnitude = 1;
  // For an event under way at as_of: the share of its expected extra demand that lies before
  // as_of, observed; its size and quantiles are updated by that much. 0 when it has not started.
  double observed_share = 0;
  // For an event under way: the factor by which what has been observed resized it (in
  // `magnitude`), 1 when nothing has been, and the zones of the mix whose install night had begun
  // by as_of, whose wave it was seen in (following the sun, the others' is still to come).
  double observed_scale = 1;
  std::vector<std::string> observed_zones;
  double prior_weight = 0;      // weight of the reboot-wave prior in this event's curve
  std::size_t events_used = 0;  // past events of its calendar and kind that were learned from

  friend bool operator==(const EventForecast&, const EventForecast&) = default;
};

struct ForecastPoint {
  std::chrono::sys_seconds ts{};
  double baseline = 0;
  std::vector<double> quantiles;  // one per Forecast::quantile_levels, ascending, >= 0

  friend bool operator==(const ForecastPoint&, const ForecastPoint&) = default;
};

struct EventUplift {
  std::string event_id;
  double uplift = 0;  // series units, median forecast

  friend bool operator==(const EventUplift&, const EventUplift&) = default;
};

// Why a point has its median value: baseline + sum of uplifts (after overlapping events are
// combined). severity_term is the part of the uplifts due to what was announced about the events
// (bulletins, severity, restart required): the uplift minus the uplift a median past event would
// have had, through the size relation and the prior's restart rule, in series units.
struct PointExplanation {
  double baseline = 0;
  std::vector<EventUplift> uplifts;
  double severity_term = 0;

  friend bool operator==(const PointExplanation&, const PointExplanation&) = default;
};

enum class ModelKind { kLearned, kPrior, kBlended };
// "learned", "prior", "blended".
std::string_view ToString(ModelKind kind);

struct ModelSummary {
  ModelKind kind = ModelKind::kLearned;  // by prior_weight: 0 learned, 1 prior, else blended
  std::size_t events_used = 0;           // past events learned from, all calendars and kinds
  double prior_weight = 0;               // the largest weight of the prior in an upcoming event
  std::chrono::sys_seconds history_from{};
  std::chrono::sys_seconds history_to{};  // end of the last step used (<= as_of)

  friend bool operator==(const ModelSummary&, const ModelSummary&) = default;
};

struct Forecast {
  std::vector<double> quantile_levels;  // ascending
  std::vector<ForecastPoint> points;
  std::vector<EventForecast> events;  // events whose window reaches into the horizon, by start
  ModelSummary model;
  std::vector<PointExplanation> explanations;  // empty unless options.explain

  friend bool operator==(const Forecast&, const Forecast&) = default;
};

// Forecasts `history` from options.as_of for options.horizon. `events` are the calendars' events,
// past and upcoming, already filtered by the caller (any order; duplicates by Id() count once).
// Errors:
//  - kInvalidArgument: a step that does not divide a day; a quantile outside (0, 1); horizon not in
//    (0, 366 days]; a negative or non-finite what-if multiplier, or one naming an event whose
//    window does not reach the horizon ("what_if: event 'x' does not act within the forecast
//    horizon"); an unknown zone in zone_mix (LocateZone's message); a negative window.
//  - kUnprocessable: no data before as_of; less than a week of history before as_of; a weekly
//    profile with data for fewer than half its slots (FitWeeklyBaseline's messages).
Result<Forecast> ForecastDemand(const RegularSeries& history,
                                std::span<const calendars::Event> events,
                                const ForecastOptions& options);

}  // namespace patchcast::forecasting
