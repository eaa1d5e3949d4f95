// Backtest: replays ForecastDemand "as of" the advance-notice Thursday before each of a series'
// last N releases and scores each forecast on the event's window against what happened, next to
// two references: the model's baseline without events, and the seasonal-naive forecast (the same
// step a whole number of weeks earlier).
//
// Pure and deterministic like ForecastDemand; thread-safe. Value types; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "calendars/event.h"
#include "core/result.h"
#include "forecasting/forecast.h"
#include "forecasting/regular_series.h"

namespace patchcast::forecasting {

// One method's score on one event. NaN when the window had no data to score.
struct MethodScore {
  // (forecast peak - actual peak) / actual peak * 100, peaks taken over [start, start + after].
  double peak_error_pct = std::numeric_limits<double>::quiet_NaN();
  // Forecast peak time minus actual peak time, minutes.
  double peak_timing_error_minutes = std::numeric_limits<double>::quiet_NaN();
  // Mean |p50 - actual| / actual * 100 over the event window's steps with actual > 0.
  double mape_pct = std::numeric_limits<double>::quiet_NaN();
  // Share of the window's steps at or below the forecast's 0.9 and 0.99 quantiles.
  double coverage_p90 = std::numeric_limits<double>::quiet_NaN();
  double coverage_p99 = std::numeric_limits<double>::quiet_NaN();
};

struct EventScorecard {
  std::string event_id;
  std::chrono::sys_seconds start{};
  std::chrono::sys_seconds as_of{};  // the advance-notice Thursday, same local time of day
  double actual_peak = 0;
  std::chrono::sys_seconds actual_peak_ts{};
  std::size_t window_steps = 0;  // steps scored: window within the horizon, with data
  ModelKind model_kind = ModelKind::kLearned;
  std::size_t events_used = 0;
  MethodScore model;           // ForecastDemand; the peak is its EventForecast's p50 peak
  MethodScore baseline_only;   // ForecastDemand with baseline_only
  MethodScore seasonal_naive;  // value a whole number of weeks before, the last known week
};

// The scorecards' medians, and coverages pooled over every scored step.
struct BacktestSummary {
  struct Method {
    double median_abs_peak_error_pct = 0;
    double median_abs_timing_error_minutes = 0;
    double median_mape_pct = 0;
    double coverage_p90 = 0;
    double coverage_p99 = 0;
  };
  std::size_t events = 0;
  Method model;
  Method baseline_only;
  Method seasonal_naive;
};

struct BacktestResult {
  std::vector<EventScorecard> events;  // by start
  BacktestSummary summary;
};

// The instant a backtest replays a forecast from: the Thursday before `event`'s local date (one to
// seven days back, as Microsoft's advance notice comes), at the event's local time of day in its
// zone (UTC when it has none).
std::chrono::sys_seconds AdvanceNoticeThursday(const calendars::Event& event);

// The releases a backtest replays: the last `n_events` events of kind kRelease in `events` whose
// window [start - options.window_before, start + options.window_after] ends within the history and
// whose AdvanceNoticeThursday leaves at least a week of history; by start, one per Event::Id().
// Pointers into `events`. Errors: kInvalidArgument for n_events == 0 or a step that does not
// divide a day; kUnprocessable "no release in the history has a complete event window and a week
// of history before its advance-notice Thursday" when none qualify.
Result<std::vector<const calendars::Event*>> BacktestReleases(
    const RegularSeries& history, std::span<const calendars::Event> events,
    const ForecastOptions& options, std::size_t n_events);

// Backtests the last `n_events` events of kind kRelease in `events` whose window
// [start - window_before, start + window_after] ends within the history and whose as_of leaves at
// least a week of history. Each forecast uses `options` (quantiles forced to 0.5, 0.9, 0.99; no
// what-if, no explanation) with as_of = the Thursday before the release, at the release's local
// time of day in its zone, and `horizon`; it sees every event in `events`. The event window is
// scored where it lies within the horizon.
// Errors: kInvalidArgument for n_events == 0 or a horizon ForecastDemand refuses; kUnprocessable
// "no release in the history has a complete event window and a week of history before its
// advance-notice Thursday" when none qualify; any ForecastDemand error, prefixed with the event id.
Result<BacktestResult> Backtest(const RegularSeries& history,
                                std::span<const calendars::Event> events,
                                const ForecastOptions& options, std::size_t n_events,
                                std::chrono::seconds horizon);

}  // namespace patchcast::forecasting
