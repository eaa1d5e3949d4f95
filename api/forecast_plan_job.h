// ForecastPlanJob: the work of a scheduled run (forecasting/scheduled_work.h), as `patchcast
// forecast --all --plan` does it for one series: a series with a stored capacity model is planned
// as POST /v1/series/{id}/plan plans it (the plan keeps its fresh forecast), any other is
// forecast as POST /v1/series/{id}/forecast forecasts it. Both from the end of the data, over the
// schedule's horizon and calendars.
//
// Holds references only; thread-safe when they are.
#pragma once

#include "api/plan_maker.h"
#include "api/record_mint.h"
#include "api/series_settings.h"
#include "forecasting/planning_service.h"
#include "forecasting/scheduled_work.h"

namespace patchcast::api {

struct ForecastPlanJobContext {
  const forecasting::PlanningService& planning;
  const SeriesSettings& settings;  // which series have a capacity model
  const PlanMaker& plan_maker;
  const RecordMint& mint;
};

class ForecastPlanJob final : public forecasting::ScheduledJob {
 public:
  // The context's references must outlive this.
  explicit ForecastPlanJob(ForecastPlanJobContext context) : context_(context) {}

  Result<forecasting::JobOutcome> Run(const std::string& series_id,
                                      const forecasting::RunSchedule& schedule) const override;

 private:
  ForecastPlanJobContext context_;
};

}  // namespace patchcast::api
