#include "api/routes.h"

#include "api/accuracy_routes.h"
#include "api/admin_routes.h"
#include "api/alert_routes.h"
#include "api/calendar_routes.h"
#include "api/plan_routes.h"
#include "api/schedule_routes.h"
#include "api/series_routes.h"
#include "api/series_settings_routes.h"
#include "api/simulation_routes.h"
#include "api/system_routes.h"
#include "api/ui_routes.h"

namespace patchcast::api {

void AddAllRoutes(Router& router, const ApiServices& services) {
  AddSystemRoutes(router, {services.storage, services.metrics, router, services.version});
  AddAdminRoutes(router, services.storage, services.clock);
  AddCalendarRoutes(router, services.calendars, services.clock);
  AddSeriesRoutes(router, services.series, services.clock, services.series_limits);
  AddSeriesSettingsRoutes(router, {services.series, services.settings, services.clock});
  AddForecastRoutes(router, services.forecasts);
  AddPlanRoutes(router, services.plans);
  AddScheduleRoutes(router, services.schedules);
  AddAccuracyRoutes(router, services.accuracy);
  AddAlertRoutes(router, services.alerts);
  AddSimulationRoutes(router, {services.plans.plans, services.forecasts.forecasts});
  AddUiRoutes(router, services.ui);
}

}  // namespace patchcast::api
