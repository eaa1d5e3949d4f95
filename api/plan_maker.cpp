#include "api/plan_maker.h"

#include "api/forecast_json.h"

namespace patchcast::api {

Result<forecasting::StoredPlan> PlanMaker::Make(const std::string& series_id,
                                                const nlohmann::json& body) const {
  auto request = ReadRequest(series_id, body);
  if (!request) return request.error();
  auto run = context_.service.Forecast(request->forecast);
  if (!run) return run.error();
  auto plan =
      forecasting::PlanCapacity(run->forecast, run->series.metadata.step_seconds, request->model);
  if (!plan) return plan.error();
  const auto now = std::chrono::floor<std::chrono::seconds>(context_.clock.Now());
  auto forecast_id = SaveForecast(*run, now);
  if (!forecast_id) return forecast_id.error();
  return SavePlan(*request, *run, *plan, *forecast_id, now);
}

Result<PlanRequest> PlanMaker::ReadRequest(const std::string& series_id,
                                           const nlohmann::json& body) const {
  auto stored_model = context_.settings.CapacityModelFor(series_id);
  if (!stored_model) return stored_model.error();
  return ParsePlanRequest(series_id, body, stored_model->value_or(forecasting::CapacityModel{}));
}

Result<std::string> PlanMaker::SaveForecast(const forecasting::ForecastRun& run,
                                            std::chrono::sys_seconds now) const {
  const ForecastHeader header{context_.new_forecast_id(), run.series.metadata.id, run.as_of, now,
                              run.series.metadata.step_seconds};
  const forecasting::StoredForecast stored{header.id, header.series, now,
                                           ForecastJson(header, run.forecast).dump()};
  if (Status saved = context_.forecasts.Save(stored); !saved) return saved.error();
  return header.id;
}

Result<forecasting::StoredPlan> PlanMaker::SavePlan(const PlanRequest& request,
                                                    const forecasting::ForecastRun& run,
                                                    const forecasting::CapacityPlan& plan,
                                                    const std::string& forecast_id,
                                                    std::chrono::sys_seconds now) const {
  const PlanHeader header{context_.new_plan_id(),
                          run.series.metadata.id,
                          forecast_id,
                          run.as_of,
                          now,
                          PlanValidUntil(run.as_of, request.forecast.horizon)};
  forecasting::StoredPlan stored{header.id, header.series, now, header.valid_until,
                                 PlanJson(header, request.model, plan).dump()};
  if (Status saved = context_.plans.Save(stored); !saved) return saved.error();
  return stored;
}

}  // namespace patchcast::api
