// JSON <-> forecasting requests: the bodies of POST …/forecast and …/backtest, the names of
// quantile levels in documents, and the backtest scorecard. The forecast document itself is
// forecast_document.h. Pure functions; thread-safe.
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

// {"series","events":[{"event_id","start","as_of","actual_peak","actual_peak_ts","window_steps",
//  "model":{…score…},"baseline_only":{…},"seasonal_naive":{…}}],"summary":{…}}. Scores that could
// not be computed are null.
nlohmann::json BacktestJson(const std::string& series, const forecasting::BacktestResult& result);

}  // namespace patchcast::api
