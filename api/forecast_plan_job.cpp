#include "api/forecast_plan_job.h"

#include <nlohmann/json.hpp>

namespace patchcast::api {

Result<forecasting::JobOutcome> ForecastPlanJob::Run(
    const std::string& series_id, const forecasting::RunSchedule& schedule) const {
  auto model = context_.settings.CapacityModelFor(series_id);
  if (!model) return model.error();
  if (model->has_value()) {
    const nlohmann::json request = {
        {"horizon_hours", std::chrono::duration_cast<std::chrono::hours>(schedule.horizon).count()},
        {"calendars", schedule.calendars}};
    auto plan = context_.plan_maker.Make(series_id, request);
    if (!plan) return plan.error();
    return forecasting::JobOutcome{plan->forecast_id, plan->id};
  }
  forecasting::ForecastQuery query;
  query.series_id = series_id;
  query.horizon = schedule.horizon;
  query.calendars = schedule.calendars;
  auto forecast = context_.planning.MakeForecast(query, context_.mint.Forecast());
  if (!forecast) return forecast.error();
  return forecasting::JobOutcome{forecast->id, ""};
}

}  // namespace patchcast::api
