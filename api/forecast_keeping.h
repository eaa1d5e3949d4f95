// KeepForecast: stores a forecast as it is made, rendered as the API serves it (forecast_json.h).
// One sequence (header, document, save) for every maker of forecasts: the forecast route, the plan
// maker (which keeps the forecast its plan is made from) and the `patchcast forecast` command.
// Thread-safe when the repository is.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "forecasting/document_repository.h"
#include "forecasting/forecast_service.h"

namespace patchcast::api {

// Renders `run` as forecast `id`, generated at `now` (hypothetical for a what-if: never the
// series' latest), and saves it in `forecasts`. Returns what was stored. Errors: the repository's
// Save errors (kNotFound for a series deleted meanwhile, kConflict for a duplicate id).
Result<forecasting::StoredDocument> KeepForecast(forecasting::DocumentRepository& forecasts,
                                                 const forecasting::ForecastRun& run,
                                                 std::string id, std::chrono::sys_seconds now,
                                                 bool hypothetical = false);

}  // namespace patchcast::api
