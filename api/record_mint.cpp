#include "api/record_mint.h"

namespace patchcast::api {

std::chrono::sys_seconds RecordMint::Now() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.Now());
}

forecasting::NewRecord RecordMint::Forecast() const { return {new_forecast_id_(), Now()}; }

RecordMint::ForecastAndPlan RecordMint::Plan() const {
  const std::chrono::sys_seconds now = Now();
  return {.forecast = {new_forecast_id_(), now}, .plan = {new_plan_id_(), now}};
}

}  // namespace patchcast::api
