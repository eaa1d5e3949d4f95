// The capacity-planning routes of issue 6: make a plan from a fresh forecast (both stored), fetch
// stored plans as JSON, CSV, iCalendar or AWS scheduled actions (to put, and to delete; issue 12),
// backtest plans against the demand that came, and the KEDA metrics-api view of the current plan.
#pragma once

#include "api/plan_maker.h"
#include "api/router.h"
#include "api/series_settings.h"
#include "core/clock.h"
#include "forecasting/document_repository.h"
#include "forecasting/forecast_service.h"

namespace patchcast::api {

struct PlanRoutesContext {
  const forecasting::ForecastService& service;  // plan backtests
  forecasting::DocumentRepository& plans;
  const Clock& clock;
  const SeriesSettings& settings;  // the series' stored capacity model, for plan backtests
  const PlanMaker& maker;          // POST …/plan
};

// Adds POST /v1/series/{id}/plan, GET /v1/plans/{id}, GET /v1/series/{id}/plans/latest,
// POST /v1/series/{id}/plan-backtest and GET /v1/series/{id}/plan/current (all scope read). The
// three routes that answer with a plan take ?format= (json, csv, ics, aws-scheduled-actions,
// aws-delete-scheduled-actions) and, for the AWS formats, ?group=, ?at= (default: the clock's
// now), ?max_actions= and ?page= (aws_export_query.h). The context's references must outlive
// `router`.
void AddPlanRoutes(Router& router, PlanRoutesContext context);

}  // namespace patchcast::api
