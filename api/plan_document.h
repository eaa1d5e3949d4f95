// The plan document: a kept plan (forecasting::PlanRecord) as JSON, and back. It is what
// GET /v1/plans/{id} answers and what storage keeps. Every plan stored so far has this one format,
// so ReadPlanDocument reads every row; a change to it must keep reading the old one.
//
// Figures are rounded as the API shows them (demand and capacity to 0.01 logins/s, p_exceed to
// 1e-6), and the document leaves out what only the planner uses (each bucket's median and required
// units, the plan's depth of under-provisioning). So ReadPlanDocument(PlanDocument(r)) equals r
// once those are rounded and zeroed, and PlanDocument(ReadPlanDocument(d)) is d. Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"
#include "forecasting/plan_record.h"

namespace patchcast::api {

// {"id","series","forecast_id","as_of","generated_at","valid_until","step_seconds","mode",
//  "quantile","unit_capacity","buckets":[{"ts","demand","units","capacity","p_exceed","at_risk"
//  (,"shortfall":{"units","logins_per_second"})}],"actions":[{"at","ready","kind","units","late",
//  "reason","event_id"}],"summary":{"peak_units","unit_hours","cost","max_p_exceed",
//  "at_risk_buckets","under_provisioned_minutes","effective_max_units","vs_static":{…},
//  "vs_reactive":{…}},"fallback_units"}. Demand and capacity are in logins per second; times are
// RFC 3339 UTC; cost and event_id are null when absent.
nlohmann::json PlanDocument(const forecasting::PlanRecord& record);

// Reads the text of a plan document (PlanDocument's). Errors: kInternal "stored plan document
// 'plan-1': bucket 3 has no 'units'" and the like: not JSON, a member missing or of the wrong
// type, an unknown mode or action kind, a step below 1 s, no buckets, buckets out of order.
Result<forecasting::PlanRecord> ReadPlanDocument(std::string_view text);

}  // namespace patchcast::api
