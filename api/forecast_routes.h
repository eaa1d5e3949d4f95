// The forecasting routes: make a forecast (and store it), fetch stored forecasts, run a backtest.
#pragma once

#include <functional>
#include <string>

#include "api/router.h"
#include "core/clock.h"
#include "forecasting/document_repository.h"
#include "forecasting/forecast_service.h"

namespace patchcast::api {

struct ForecastRoutesContext {
  const forecasting::ForecastService& service;
  forecasting::DocumentRepository& forecasts;
  const Clock& clock;
  std::function<std::string()> new_forecast_id;  // unique ids, e.g. "fc-" + 16 hex digits
};

// Adds POST /v1/series/{id}/forecast, GET /v1/forecasts/{id}, GET /v1/series/{id}/forecasts/latest
// and POST /v1/series/{id}/backtest (all scope read). The context's references must outlive
// `router`.
void AddForecastRoutes(Router& router, ForecastRoutesContext context);

}  // namespace patchcast::api
