// The JSON form of forecast scorecards and their summaries (forecasting/forecast_accuracy.h), as
// GET /v1/series/{id}/accuracy answers them. Errors and MAPE are ratios (-0.05 is 5 % under),
// coverages shares; what could not be scored is null. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "forecasting/forecast_accuracy.h"

namespace patchcast::api {

nlohmann::json WindowScoreJson(const forecasting::WindowScore& score);
nlohmann::json EventAccuracyJson(const forecasting::EventAccuracy& event);
nlohmann::json ScorecardJson(const forecasting::ForecastScorecard& card);
nlohmann::json AccuracySummaryJson(const forecasting::AccuracySummary& summary);

}  // namespace patchcast::api
