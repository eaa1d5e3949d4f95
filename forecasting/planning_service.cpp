#include "forecasting/planning_service.h"

#include <utility>

namespace patchcast::forecasting {
namespace {

ForecastRecord RecordOf(ForecastRun run, const NewRecord& made, bool hypothetical) {
  return {.id = made.id,
          .series_id = run.series.metadata.id,
          .as_of = run.as_of,
          .generated_at = made.generated_at,
          .step = run.series.metadata.step_seconds,
          .hypothetical = hypothetical,
          .forecast = std::move(run.forecast)};
}

PlanRecord RecordOf(CapacityPlan plan, const ForecastRecord& forecast, const ForecastQuery& query,
                    const CapacityModel& model, const NewRecord& made) {
  return {.id = made.id,
          .series_id = forecast.series_id,
          .forecast_id = forecast.id,
          .as_of = forecast.as_of,
          .generated_at = made.generated_at,
          .valid_until = PlanValidUntil(forecast.as_of, query.horizon),
          .quantile = model.quantile,
          .unit_capacity = model.unit_capacity,
          .plan = std::move(plan)};
}

}  // namespace

Result<ForecastRecord> PlanningService::MakeForecast(const ForecastQuery& query,
                                                     const NewRecord& made) const {
  auto run = forecaster_.Forecast(query);
  if (!run) return std::move(run).error();
  ForecastRecord record = RecordOf(std::move(*run), made, /*hypothetical=*/!query.what_if.empty());
  if (Status kept = forecasts_.Keep(record); !kept) return kept.error();
  return record;
}

Result<KeptPlan> PlanningService::MakePlan(const ForecastQuery& query, const CapacityModel& model,
                                           const NewRecord& forecast, const NewRecord& plan) const {
  auto run = forecaster_.Forecast(query);
  if (!run) return std::move(run).error();
  auto capacity = PlanCapacity(run->forecast, run->series.metadata.step_seconds, model);
  if (!capacity) return std::move(capacity).error();
  KeptPlan kept{.forecast = RecordOf(std::move(*run), forecast, !query.what_if.empty()),
                .plan = {}};
  if (Status saved = forecasts_.Keep(kept.forecast); !saved) return saved.error();
  kept.plan = RecordOf(std::move(*capacity), kept.forecast, query, model, plan);
  if (Status saved = plans_.Keep(kept.plan); !saved) return saved.error();
  return kept;
}

}  // namespace patchcast::forecasting
