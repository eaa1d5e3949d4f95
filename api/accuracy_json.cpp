#include "api/accuracy_json.h"

#include <cmath>

#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

}  // namespace

json WindowScoreJson(const forecasting::WindowScore& score) {
  return {{"peak_error", Number(score.peak_error)},
          {"peak_timing_error_minutes", Number(score.peak_timing_error_minutes)},
          {"mape", Number(score.mape)},
          {"coverage_p50", Number(score.coverage_p50)},
          {"coverage_p90", Number(score.coverage_p90)},
          {"coverage_p99", Number(score.coverage_p99)},
          {"steps", score.steps}};
}

json EventAccuracyJson(const forecasting::EventAccuracy& event) {
  const bool peaked = std::isfinite(event.actual_peak);
  return {{"event_id", event.event_id},
          {"start", FormatRfc3339(event.start)},
          {"actual_peak", Number(event.actual_peak)},
          {"actual_peak_at", peaked ? json(FormatRfc3339(event.actual_peak_ts)) : json(nullptr)},
          {"forecast", WindowScoreJson(event.forecast)},
          {"seasonal_naive", WindowScoreJson(event.seasonal_naive)}};
}

json ScorecardJson(const forecasting::ForecastScorecard& card) {
  json events = json::array();
  for (const forecasting::EventAccuracy& event : card.events) {
    events.push_back(EventAccuracyJson(event));
  }
  return {{"forecast_id", card.forecast_id},
          {"as_of", FormatRfc3339(card.as_of)},
          {"generated_at", FormatRfc3339(card.generated_at)},
          {"horizon_end", FormatRfc3339(card.horizon_end)},
          {"scored_at", FormatRfc3339(card.scored_at)},
          {"complete", card.complete()},
          {"next_score_at",
           card.next_score_at ? json(FormatRfc3339(*card.next_score_at)) : json(nullptr)},
          {"forecast", WindowScoreJson(card.forecast)},
          {"seasonal_naive", WindowScoreJson(card.seasonal_naive)},
          {"events", std::move(events)}};
}

json AccuracySummaryJson(const forecasting::AccuracySummary& summary) {
  return {{"scored", summary.scored},
          {"median_abs_peak_error", Number(summary.median_abs_peak_error)},
          {"median_abs_peak_timing_error_minutes",
           Number(summary.median_abs_peak_timing_error_minutes)},
          {"median_mape", Number(summary.median_mape)},
          {"coverage_p50", Number(summary.coverage_p50)},
          {"coverage_p90", Number(summary.coverage_p90)},
          {"coverage_p99", Number(summary.coverage_p99)},
          {"seasonal_naive_median_mape", Number(summary.seasonal_naive_median_mape)},
          {"beats_seasonal_naive", Number(summary.beats_seasonal_naive)}};
}

}  // namespace patchcast::api
