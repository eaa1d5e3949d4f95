#include "api/run_json.h"

#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

nlohmann::json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

nlohmann::json RunJson(const forecasting::RunRecord& run) {
  return {{"id", run.id},
          {"series", run.series_id},
          {"trigger", forecasting::ToString(run.trigger)},
          {"trigger_at", FormatRfc3339(run.trigger_at)},
          {"started", FormatRfc3339(run.started)},
          {"finished", FormatRfc3339(run.finished)},
          {"status", forecasting::ToString(run.status)},
          {"forecast_id", TextOrNull(run.forecast_id)},
          {"plan_id", TextOrNull(run.plan_id)},
          {"error", TextOrNull(run.error)},
          {"data_end",
           run.data_end ? nlohmann::json(FormatRfc3339(*run.data_end)) : nlohmann::json(nullptr)}};
}

}  // namespace patchcast::api
