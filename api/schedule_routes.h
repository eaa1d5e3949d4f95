// The routes of a series' run schedule and its log of runs (issue 15):
//   GET/PUT/DELETE /v1/series/{id}/schedule   the schedule (schedule_json.h) and its next run
//   GET  /v1/series/{id}/runs?from&to&limit     the logged runs, newest first (run_json.h)
//   POST /v1/series/{id}/runs                   run the series' job now, as its schedule says
#pragma once

#include "api/router.h"
#include "core/clock.h"
#include "forecasting/calendar_catalog.h"
#include "forecasting/run_log.h"
#include "forecasting/schedule_store.h"
#include "forecasting/scheduled_work.h"
#include "forecasting/series_repository.h"

namespace patchcast::api {

struct ScheduleRoutesContext {
  const forecasting::SeriesRepository& series;
  forecasting::ScheduleStore& schedules;
  const forecasting::RunLog& runs;
  forecasting::RunOnDemand& run_now;
  const forecasting::CalendarCatalog& calendars;  // checks a schedule's calendars; its next run
  const Clock& clock;
};

// The most runs one GET returns, and the default.
inline constexpr std::int64_t kMaxRunsListed = 1000;
inline constexpr std::int64_t kDefaultRunsListed = 100;

// Adds the routes above. The context's references must outlive `router`.
void AddScheduleRoutes(Router& router, ScheduleRoutesContext context);

}  // namespace patchcast::api
