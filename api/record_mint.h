// RecordMint: names the forecasts and plans about to be made and stamps them with the clock's
// current second (forecasting::NewRecord), for every maker of them: the forecast and plan routes
// and the `patchcast forecast` and `plan` commands. A plan and its forecast share the second.
//
// Holds a reference to the clock; thread-safe when the clock and the id sources are.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "core/clock.h"
#include "forecasting/planning_service.h"

namespace patchcast::api {

class RecordMint {
 public:
  // `clock` must outlive this; the sources give unique ids, e.g. "fc-" / "plan-" + 16 hex digits.
  RecordMint(const Clock& clock, std::function<std::string()> new_forecast_id,
             std::function<std::string()> new_plan_id)
      : clock_(clock),
        new_forecast_id_(std::move(new_forecast_id)),
        new_plan_id_(std::move(new_plan_id)) {}

  forecasting::NewRecord Forecast() const;

  struct ForecastAndPlan {
    forecasting::NewRecord forecast;
    forecasting::NewRecord plan;
  };
  ForecastAndPlan Plan() const;

 private:
  std::chrono::sys_seconds Now() const;

  const Clock& clock_;
  std::function<std::string()> new_forecast_id_;
  std::function<std::string()> new_plan_id_;
};

}  // namespace patchcast::api
