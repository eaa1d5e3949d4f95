#include "server/storage/run_rows.h"

namespace patchcast::storage {

Result<forecasting::RunTrigger> StoredRunTrigger(std::string_view text) {
  Result<forecasting::RunTrigger> trigger = forecasting::ParseRunTrigger(text);
  if (!trigger) return Internal("schedule_runs: stored " + trigger.error().message);
  return trigger;
}

Result<forecasting::RunStatus> StoredRunStatus(std::string_view text) {
  Result<forecasting::RunStatus> status = forecasting::ParseRunStatus(text);
  if (!status) return Internal("schedule_runs: stored " + status.error().message);
  return status;
}

}  // namespace patchcast::storage
