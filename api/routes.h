// The complete route table of the service, in one place.
//
// main builds it with the real services; the OpenAPI test builds it with fakes and checks that
// openapi.yaml documents every route.
#pragma once

#include <string>

#include "api/accuracy_routes.h"
#include "api/alert_routes.h"
#include "api/forecast_routes.h"
#include "api/metrics_source.h"
#include "api/plan_routes.h"
#include "api/router.h"
#include "api/schedule_routes.h"
#include "api/series_routes.h"
#include "api/ui_routes.h"
#include "core/clock.h"
#include "forecasting/calendar_catalog.h"
#include "forecasting/series_repository.h"
#include "forecasting/series_settings_repository.h"
#include "forecasting/storage.h"

namespace patchcast::api {

// Everything the handlers reach. References must outlive the router.
struct ApiServices {
  Storage& storage;
  const MetricsSource& metrics;
  const Clock& clock;
  forecasting::CalendarCatalog& calendars;
  forecasting::SeriesRepository& series;
  forecasting::SeriesSettingsRepository& settings;  // a series' prior and capacity model
  ForecastRoutesContext forecasts;
  PlanRoutesContext plans;
  ScheduleRoutesContext schedules;
  AccuracyRoutesContext accuracy;
  AlertRoutesContext alerts;
  std::string version;
  SeriesLimits series_limits = {};
  UiRoutesContext ui = {};  // the dashboard; default: no chart library
};

// Adds every route of the service to `router`.
void AddAllRoutes(Router& router, const ApiServices& services);

}  // namespace patchcast::api
