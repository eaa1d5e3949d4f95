// ForecastRecord: a forecast once made and kept (document_repository.h), so that dashboards, plans
// and simulations can read it later: the forecast (forecast.h) with what it was made from. What
// its readers use of it is in forecast_in_service.h.
//
// A value; thread-compatible.
#pragma once

#include <chrono>
#include <string>

#include "forecasting/forecast.h"

namespace patchcast::forecasting {

struct ForecastRecord {
  std::string id;                           // unique, e.g. "fc-3f0c9a1b2c4d5e6f"
  std::string series_id;                    // the series it forecasts
  std::chrono::sys_seconds as_of{};         // the end of the history it learned from
  std::chrono::sys_seconds generated_at{};  // when it was made
  std::chrono::seconds step{60};            // between its points: the series' step
  // A what-if forecast (sizes changed by hand): never a series' latest.
  bool hypothetical = false;
  Forecast forecast;

  friend bool operator==(const ForecastRecord&, const ForecastRecord&) = default;
};

}  // namespace patchcast::forecasting
