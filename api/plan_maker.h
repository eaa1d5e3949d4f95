// PlanMaker: makes a capacity plan as POST /v1/series/{id}/plan does, for that route and for the
// `patchcast plan` command alike: reads the request over the series' stored capacity model, then
// has the planning service forecast the series afresh, plan capacity on that forecast and keep
// both (forecasting/planning_service.h). The plan is then the series' latest (GET …/plans/latest,
// …/plan/current).
//
// Holds references only; thread-safe when the service, the settings and the mint are.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/plan_request_json.h"
#include "api/record_mint.h"
#include "api/series_settings.h"
#include "core/result.h"
#include "forecasting/planning_service.h"

namespace patchcast::api {

struct PlanMakerContext {
  const forecasting::PlanningService& planning;
  const SeriesSettings& settings;  // the series' stored capacity model
  const RecordMint& mint;          // the new forecast's and plan's ids and time
};

class PlanMaker {
 public:
  // The context's references must outlive this.
  explicit PlanMaker(PlanMakerContext context) : context_(context) {}

  // Makes, keeps and returns the plan that `body` (a plan request, ParsePlanRequest in
  // plan_request_json.h) asks for `series_id`; PlanDocument renders it as it is kept. The capacity
  // fields `body` leaves out come from the series' stored capacity model. Does not check who may
  // see the series. Errors, in the order checked: the stored model's
  // (SeriesSettings::CapacityModelFor); ParsePlanRequest's, among them kInvalidArgument "field
  // 'unit_capacity' is required (or store the series' capacity model with PUT
  // /v1/series/<id>/capacity-model)" for a series that has no model when `body` gives no
  // unit_capacity (even for a series that does not exist); PlanningService::MakePlan's.
  Result<forecasting::PlanRecord> Make(const std::string& series_id,
                                       const nlohmann::json& body) const;

 private:
  PlanMakerContext context_;
};

}  // namespace patchcast::api
