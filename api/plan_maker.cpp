#include "api/plan_maker.h"

#include <utility>

namespace patchcast::api {

Result<forecasting::PlanRecord> PlanMaker::Make(const std::string& series_id,
                                                const nlohmann::json& body) const {
  auto stored_model = context_.settings.CapacityModelFor(series_id);
  if (!stored_model) return stored_model.error();
  auto request =
      ParsePlanRequest(series_id, body, stored_model->value_or(forecasting::CapacityModel{}));
  if (!request) return request.error();
  const RecordMint::ForecastAndPlan made = context_.mint.Plan();
  auto kept =
      context_.planning.MakePlan(request->forecast, request->model, made.forecast, made.plan);
  if (!kept) return std::move(kept).error();
  return std::move(kept->plan);
}

}  // namespace patchcast::api
