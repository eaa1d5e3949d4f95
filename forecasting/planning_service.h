// PlanningService: makes the forecasts and plans the service keeps, for every maker of them: POST
// …/forecast and …/plan, and the `patchcast forecast` and `patchcast plan` commands. One sequence,
// written once: forecast the series (ForecastService), keep the forecast, plan capacity on it
// (PlanCapacity), keep the plan. A plan's forecast is kept first, so that its forecast_id always
// names a kept forecast.
//
// No clock and no id source of its own: the caller names each new record and says when it is
// made (NewRecord). Thread-safe when the service and the stores are.
#pragma once

#include <chrono>
#include <string>

#include "core/result.h"
#include "forecasting/capacity_plan.h"
#include "forecasting/forecast_service.h"
#include "forecasting/record_store.h"

namespace patchcast::forecasting {

// What a record about to be made is called, and when it is made.
struct NewRecord {
  std::string id;
  std::chrono::sys_seconds generated_at{};
};

// A plan and the forecast it was made from, both kept.
struct KeptPlan {
  ForecastRecord forecast;
  PlanRecord plan;
};

class PlanningService {
 public:
  // The service and stores must outlive this.
  PlanningService(const ForecastService& forecaster, ForecastStore& forecasts, PlanStore& plans)
      : forecaster_(forecaster), forecasts_(forecasts), plans_(plans) {}

  // Forecasts query.series_id and keeps the forecast as `made`: hypothetical (never the series'
  // latest) when the query changes sizes by hand (what_if). Errors: ForecastService::Forecast's;
  // the store's Keep errors (nothing is kept on an error).
  Result<ForecastRecord> MakeForecast(const ForecastQuery& query, const NewRecord& made) const;

  // Forecasts query.series_id afresh, plans capacity for it with `model` and keeps both, the
  // forecast as `forecast`, the plan as `plan`; the plan stays fresh for PlanValidUntil. Errors, in
  // order: ForecastService::Forecast's; PlanCapacity's (nothing is kept); the forecast store's Keep
  // errors; the plan store's (the forecast stays kept).
  Result<KeptPlan> MakePlan(const ForecastQuery& query, const CapacityModel& model,
                            const NewRecord& forecast, const NewRecord& plan) const;

 private:
  const ForecastService& forecaster_;
  ForecastStore& forecasts_;
  PlanStore& plans_;
};

}  // namespace patchcast::forecasting
