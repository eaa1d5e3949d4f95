// GET /v1/series/{id}/alerts?from&to&limit (issue 15): the series' surges above forecast
// (forecasting/surge_alert_log.h), newest first, each with the release and the forecast it was
// compared with, and whether one is open now.
#pragma once

#include "api/router.h"
#include "forecasting/series_repository.h"
#include "forecasting/surge_alert_log.h"

namespace patchcast::api {

struct AlertRoutesContext {
  const forecasting::SeriesRepository& series;
  const forecasting::SurgeAlertLog& alerts;
};

inline constexpr std::int64_t kMaxAlertsListed = 1000;
inline constexpr std::int64_t kDefaultAlertsListed = 100;

// Adds the route. The context's references must outlive `router`.
void AddAlertRoutes(Router& router, AlertRoutesContext context);

}  // namespace patchcast::api
