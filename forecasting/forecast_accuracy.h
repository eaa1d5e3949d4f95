// Forecast accountability (issue 15): a kept forecast scored against what happened, next to
// seasonal naive on the same steps: each event in it once the series' points cover the event's
// window, and the whole horizon once they cover that; and rolling summaries of the scorecards.
//
// Pure functions of their inputs (the caller passes the instant of scoring); value types,
// thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "forecasting/forecast_record.h"
#include "forecasting/regular_series.h"

namespace patchcast::forecasting {

// How far after an event's start its surge is scored: the install night in every zone, the next
// morning's boots and the stragglers (as run_schedule.h's kUnderWayWindow).
inline constexpr std::chrono::hours kEventScoreWindow{72};

// One method on one window of steps. NaN when the window had nothing to score.
struct WindowScore {
  // (forecast p50 peak - actual peak) / actual peak: -0.05 is 5 % under.
  double peak_error = std::numeric_limits<double>::quiet_NaN();
  // Forecast peak time minus actual peak time, minutes.
  double peak_timing_error_minutes = std::numeric_limits<double>::quiet_NaN();
  // Mean |p50 - actual| / actual over the steps with actual > 0 (0.08 is 8 %).
  double mape = std::numeric_limits<double>::quiet_NaN();
  // Share of the steps with an actual at or below the forecast's 0.5, 0.9 and 0.99 quantiles; NaN
  // for a level the forecast lacks.
  double coverage_p50 = std::numeric_limits<double>::quiet_NaN();
  double coverage_p90 = std::numeric_limits<double>::quiet_NaN();
  double coverage_p99 = std::numeric_limits<double>::quiet_NaN();
  std::size_t steps = 0;  // steps with an actual value

  friend bool operator==(const WindowScore&, const WindowScore&) = default;
};

// An event of the forecast, scored on [start, start + kEventScoreWindow) within the horizon.
struct EventAccuracy {
  std::string event_id;
  std::chrono::sys_seconds start{};
  double actual_peak = std::numeric_limits<double>::quiet_NaN();
  std::chrono::sys_seconds actual_peak_ts{};
  WindowScore forecast;  // its peak is the event's p50 peak (EventForecast::peak)
  WindowScore seasonal_naive;

  friend bool operator==(const EventAccuracy&, const EventAccuracy&) = default;
};

struct ForecastScorecard {
  std::string forecast_id;
  std::string series_id;
  std::chrono::sys_seconds as_of{};
  std::chrono::sys_seconds generated_at{};
  std::chrono::sys_seconds scored_at{};
  std::chrono::sys_seconds horizon_end{};  // the forecast's last point
  // None once the whole horizon is scored. Until then the card holds only the events whose window
  // the points covered, the horizon's scores are empty, and this is the next ScoringMilestones
  // instant: once the series' latest point reaches it, there is more to score.
  std::optional<std::chrono::sys_seconds> next_score_at{};
  WindowScore forecast;               // over the whole horizon
  WindowScore seasonal_naive;         // the same steps, the last known week repeated
  std::vector<EventAccuracy> events;  // by start

  bool complete() const { return !next_score_at.has_value(); }

  friend bool operator==(const ForecastScorecard&, const ForecastScorecard&) = default;
};

// The forecast's last point; as_of when it has none.
std::chrono::sys_seconds HorizonEnd(const ForecastRecord& record);

// The instants at which a forecast has more to score, ascending and distinct: the last step of each
// event's window (the events starting from its first point to its last), then its last point.
// When a series' latest point reaches the first, the forecast can first be scored.
std::vector<std::chrono::sys_seconds> ScoringMilestones(const ForecastRecord& record);

// Scores `record` against `actual`, the series at the forecast's step from at least the week(s)
// before as_of that seasonal naive repeats (ceil(horizon / 1 week) weeks) through HorizonEnd, or
// through as far as the points go: the events whose window `actual` covers are scored, and the
// whole horizon when it covers that (else the card is partial: see next_score_at). Seasonal naive
// at step t is the value the fewest whole weeks before t that lands before as_of. Steps missing
// from `actual` are not scored. Errors: kInvalidArgument when `actual`'s step is not the
// forecast's; kUnprocessable "the points do not reach the end of forecast 'x''s first window to
// score yet (…)" when `actual` ends before the first ScoringMilestones instant.
Result<ForecastScorecard> ScoreForecast(const ForecastRecord& record, const RegularSeries& actual,
                                        std::chrono::sys_seconds scored_at);

// Medians of absolute peak error, absolute timing error and MAPE, and coverages pooled over the
// steps, for the forecast and for seasonal naive; NaN where nothing was scored.
struct AccuracySummary {
  std::size_t scored = 0;  // scorecards (or events) summarized
  double median_abs_peak_error = std::numeric_limits<double>::quiet_NaN();
  double median_abs_peak_timing_error_minutes = std::numeric_limits<double>::quiet_NaN();
  double median_mape = std::numeric_limits<double>::quiet_NaN();
  double coverage_p50 = std::numeric_limits<double>::quiet_NaN();
  double coverage_p90 = std::numeric_limits<double>::quiet_NaN();
  double coverage_p99 = std::numeric_limits<double>::quiet_NaN();
  double seasonal_naive_median_mape = std::numeric_limits<double>::quiet_NaN();
  // Share of the scored items whose MAPE beat seasonal naive's.
  double beats_seasonal_naive = std::numeric_limits<double>::quiet_NaN();

  friend bool operator==(const AccuracySummary&, const AccuracySummary&) = default;
};

// The scorecards whose horizon ended in (now - span, now], summarized on their whole horizons.
AccuracySummary SummarizeRecent(std::span<const ForecastScorecard> cards,
                                std::chrono::sys_seconds now, std::chrono::seconds span);

// Each event's score from the forecast in force when it began: among the scorecards that scored
// the event, the one whose forecast was generated last at or before its start (else the earliest
// generated after it). By start.
std::vector<EventAccuracy> EventsInForce(std::span<const ForecastScorecard> cards);

// The last `count` of EventsInForce, summarized on their event windows.
AccuracySummary SummarizeLastEvents(std::span<const ForecastScorecard> cards, std::size_t count);

}  // namespace patchcast::forecasting
