#include "api/plan_maker.h"

#include "api/forecast_keeping.h"
#include "api/plan_document.h"

namespace patchcast::api {

Result<forecasting::StoredDocument> PlanMaker::Make(const std::string& series_id,
                                                    const nlohmann::json& body) const {
  auto request = ReadRequest(series_id, body);
  if (!request) return request.error();
  auto run = context_.service.Forecast(request->forecast);
  if (!run) return run.error();
  auto plan =
      forecasting::PlanCapacity(run->forecast, run->series.metadata.step_seconds, request->model);
  if (!plan) return plan.error();
  const auto now = std::chrono::floor<std::chrono::seconds>(context_.clock.Now());
  auto forecast = KeepForecast(context_.forecasts, *run, context_.new_forecast_id(), now);
  if (!forecast) return forecast.error();
  return SavePlan(*request, *run, std::move(*plan), forecast->id, now);
}

Result<PlanRequest> PlanMaker::ReadRequest(const std::string& series_id,
                                           const nlohmann::json& body) const {
  auto stored_model = context_.settings.CapacityModelFor(series_id);
  if (!stored_model) return stored_model.error();
  return ParsePlanRequest(series_id, body, stored_model->value_or(forecasting::CapacityModel{}));
}

Result<forecasting::StoredDocument> PlanMaker::SavePlan(const PlanRequest& request,
                                                        const forecasting::ForecastRun& run,
                                                        forecasting::CapacityPlan plan,
                                                        const std::string& forecast_id,
                                                        std::chrono::sys_seconds now) const {
  const forecasting::PlanRecord record{
      .id = context_.new_plan_id(),
      .series_id = run.series.metadata.id,
      .forecast_id = forecast_id,
      .as_of = run.as_of,
      .generated_at = now,
      .valid_until = forecasting::PlanValidUntil(run.as_of, request.forecast.horizon),
      .quantile = request.model.quantile,
      .unit_capacity = request.model.unit_capacity,
      .plan = std::move(plan)};
  forecasting::StoredDocument stored{.id = record.id,
                                     .series_id = record.series_id,
                                     .generated_at = now,
                                     .valid_until = record.valid_until,
                                     .document = PlanDocument(record).dump()};
  if (Status saved = context_.plans.Save(stored); !saved) return saved.error();
  return stored;
}

}  // namespace patchcast::api
