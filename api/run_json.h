// The JSON form of a logged scheduled run (forecasting/run_log.h), as GET /v1/series/{id}/runs
// lists it and POST /v1/series/{id}/runs answers it:
//
//   {"id": 12, "series": "logins", "trigger": "release", "trigger_at": "2026-12-08T18:00:00Z",
//    "started": "...", "finished": "...", "status": "ok", "forecast_id": "fc-…",
//    "plan_id": "plan-…", "error": null, "data_end": "2026-12-08T17:55:00Z"}
//
// What is absent (no forecast, no plan, no error, no points yet) is null. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "forecasting/run_log.h"

namespace patchcast::api {

nlohmann::json RunJson(const forecasting::RunRecord& run);

}  // namespace patchcast::api
