// JSON <-> forecasts: the request body of POST …/forecast and …/backtest, and the documents the
// service returns and stores. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "forecasting/backtest.h"
#include "forecasting/forecast.h"
#include "forecasting/forecast_service.h"

namespace patchcast::api {

// The longest horizon a request may ask for: 31 days.
inline constexpr std::chrono::hours kMaxHorizon{31 * 24};

// Reads {"horizon_hours","as_of","quantiles","calendars","what_if":{"event_id","multiplier"}}, all
// optional, into a query for `series_id`. Errors (kInvalidArgument) name the field: "field
// 'horizon_hours' must be between 1 and 744, not 0"; "field 'quantiles'[1] must be a number in (0,
// 1), not 1.5"; "field 'quantiles'[1] is too close to [0]: both would be named p50" (two levels
// that differ but share a QuantileKey; exact repeats collapse); unknown fields.
Result<forecasting::ForecastQuery> ParseForecastRequest(const std::string& series_id,
                                                        const nlohmann::json& body);

// Reads {"events" (default 12, 1..60),"horizon_hours" (default 168),"calendars"} for a backtest.
Result<forecasting::BacktestQuery> ParseBacktestRequest(const std::string& series_id,
                                                        const nlohmann::json& body);

// The name of quantile `level` in documents: "p" + its percentage, shortest form: 0.5 -> "p50",
// 0.99 -> "p99", 0.999 -> "p99.9".
std::string QuantileKey(double level);

// Keys that identify a rendered forecast.
struct ForecastHeader {
  std::string id;
  std::string series;
  std::chrono::sys_seconds as_of{};
  std::chrono::sys_seconds generated_at{};
  std::chrono::seconds step{60};
  bool hypothetical = false;  // a what-if forecast: never a series' latest
};

// {"id","series","as_of","generated_at","step_seconds","quantiles":[…],
//  "points":[{"ts","baseline","p50","p90","p99"(,"explain":{"baseline","uplift":{id:v},
//  "severity"})}],"events":[{"id","calendar","kind","start","peak":{"ts","p50",…,"window":{"p10",
//  "p90"}},"lift_p50","magnitude"}],"model":{"kind","events_used","prior_weight","history_from",
//  "history_to"}}.
nlohmann::json ForecastJson(const ForecastHeader& header, const forecasting::Forecast& forecast);

// The CSV of a rendered forecast document: "ts,baseline,p50,p90,p99" then one row a point.
// Errors: kInternal if `document` is not a forecast document.
Result<std::string> ForecastCsv(const nlohmann::json& document);

// {"series","events":[{"event_id","start","as_of","actual_peak","actual_peak_ts","window_steps",
//  "model":{…score…},"baseline_only":{…},"seasonal_naive":{…}}],"summary":{…}}. Scores that could
// not be computed are null.
nlohmann::json BacktestJson(const std::string& series, const forecasting::BacktestResult& result);

}  // namespace patchcast::api
