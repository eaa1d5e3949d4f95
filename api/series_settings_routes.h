// The routes of a series' own model settings (issues 5 and 6): its reboot-wave prior, which
// forecasts use while it has seen few events, and its capacity model, which plan requests start
// from. GET answers the setting in force (stored, or the defaults); PUT replaces it; DELETE
// returns to the defaults.
#pragma once

#include "api/router.h"
#include "core/clock.h"
#include "forecasting/series_repository.h"
#include "forecasting/series_settings_repository.h"

namespace patchcast::api {

struct SeriesSettingsRoutesContext {
  const forecasting::SeriesRepository& series;
  forecasting::SeriesSettingsRepository& settings;
  const Clock& clock;
};

// Adds GET (read), PUT and DELETE (write) /v1/series/{id}/reboot-prior and
// /v1/series/{id}/capacity-model. The context's references must outlive `router`.
void AddSeriesSettingsRoutes(Router& router, SeriesSettingsRoutesContext context);

}  // namespace patchcast::api
