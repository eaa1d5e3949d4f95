// PlanMaker: makes a capacity plan as POST /v1/series/{id}/plan does, for that route and for the
// `patchcast plan` command alike: reads the request over the series' stored capacity model,
// forecasts the series afresh, plans capacity on that forecast and stores both, the forecast first
// (so a plan's forecast_id always names a stored forecast). The plan is then the series' latest
// (GET …/plans/latest, …/plan/current).
//
// Holds references only; thread-safe when the ports, the clock and the id generators are.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "api/plan_request_json.h"
#include "api/series_settings.h"
#include "core/clock.h"
#include "core/result.h"
#include "forecasting/document_repository.h"
#include "forecasting/forecast_service.h"

namespace patchcast::api {

struct PlanMakerContext {
  const forecasting::ForecastService& service;
  const SeriesSettings& settings;  // the series' stored capacity model
  forecasting::DocumentRepository& forecasts;
  forecasting::DocumentRepository& plans;
  const Clock& clock;                            // generated_at of the forecast and the plan
  std::function<std::string()> new_forecast_id;  // unique ids, e.g. "fc-" + 16 hex digits
  std::function<std::string()> new_plan_id;      // unique ids, e.g. "plan-" + 16 hex digits
};

class PlanMaker {
 public:
  // The context's references must outlive this.
  explicit PlanMaker(PlanMakerContext context) : context_(std::move(context)) {}

  // Makes, stores and returns the plan that `body` (a plan request, ParsePlanRequest in
  // plan_request_json.h) asks for `series_id`; its document is PlanDocument's. The capacity fields
  // `body` leaves out come from the series' stored capacity model. Does not check who may see the
  // series. Errors, in the order checked: the stored model's (SeriesSettings::CapacityModelFor);
  // ParsePlanRequest's, among them kInvalidArgument "field 'unit_capacity' is required (or store
  // the series' capacity model with PUT /v1/series/<id>/capacity-model)" for a series that has no
  // model when `body` gives no unit_capacity (even for a series that does not exist);
  // ForecastService::Forecast's (kNotFound for the series or a calendar, kUnprocessable for too
  // little history); PlanCapacity's; the repositories' Save errors. Nothing is stored on an
  // error before the forecast's Save; a plan whose Save fails leaves its forecast stored.
  Result<forecasting::StoredDocument> Make(const std::string& series_id,
                                           const nlohmann::json& body) const;

 private:
  // ParsePlanRequest over the series' stored capacity model (CapacityModel's defaults without).
  Result<PlanRequest> ReadRequest(const std::string& series_id, const nlohmann::json& body) const;
  // Stores `plan`, made from forecast `forecast_id`, as generated at `now`.
  Result<forecasting::StoredDocument> SavePlan(const PlanRequest& request,
                                               const forecasting::ForecastRun& run,
                                               forecasting::CapacityPlan plan,
                                               const std::string& forecast_id,
                                               std::chrono::sys_seconds now) const;

  PlanMakerContext context_;
};

}  // namespace patchcast::api
