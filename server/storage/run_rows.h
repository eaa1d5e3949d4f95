// What the run logs of every engine (SQLite, PostgreSQL) share: the columns they read a run's row
// with, and how they read back a stored trigger or status name. Engine-neutral: no database
// headers.
#pragma once

#include <string_view>

#include "core/result.h"
#include "forecasting/run_log.h"

namespace patchcast::storage {

// The schedule_runs columns in the order the run logs read them.
inline constexpr const char* kRunColumns =
    "id, series_id, trigger, trigger_at, started_at, finished_at, status, forecast_id, plan_id, "
    "error, data_end, events_digest";

// The trigger or status named `text` in the table. A name this build cannot parse is a bug or a
// newer writer's: kInternal "schedule_runs: stored unknown run trigger 'x' (...)".
Result<forecasting::RunTrigger> StoredRunTrigger(std::string_view text);
Result<forecasting::RunStatus> StoredRunStatus(std::string_view text);

}  // namespace patchcast::storage
