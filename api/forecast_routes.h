// The forecasting routes: make a forecast (and store it), fetch stored forecasts, run a backtest.
#pragma once

#include "api/record_mint.h"
#include "api/router.h"
#include "forecasting/document_repository.h"
#include "forecasting/forecast_service.h"
#include "forecasting/planning_service.h"

namespace patchcast::api {

struct ForecastRoutesContext {
  const forecasting::ForecastService& service;   // backtests
  const forecasting::PlanningService& planning;  // makes and keeps forecasts
  forecasting::DocumentRepository& forecasts;    // the kept forecasts, served as kept
  const RecordMint& mint;                        // a new forecast's id and time
};

// Adds POST /v1/series/{id}/forecast, GET /v1/forecasts/{id}, GET /v1/series/{id}/forecasts/latest
// and POST /v1/series/{id}/backtest (all scope read). The context's references must outlive
// `router`.
void AddForecastRoutes(Router& router, ForecastRoutesContext context);

}  // namespace patchcast::api
