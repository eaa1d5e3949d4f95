#include "api/plan_backtest_json.h"

#include <cmath>
#include <string_view>
#include <vector>

#include "api/capacity_model_json.h"
#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/plan_request_json.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

double Rounded(double value, double scale) { return std::round(value * scale) / scale; }
json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json StrategyJson(double unit_hours, double vs_oracle, double coverage, double under_minutes,
                  double depth) {
  return {{"unit_hours", Rounded(unit_hours, 100)},
          {"vs_oracle", Number(Rounded(vs_oracle, 1e4))},
          {"coverage", Number(Rounded(coverage, 1e6))},
          {"under_provisioned_minutes", under_minutes},
          {"depth_logins_per_second", Rounded(depth, 100)}};
}

json SummaryStrategyJson(const forecasting::PlanBacktestSummary::Strategy& strategy) {
  json out = StrategyJson(strategy.unit_hours, strategy.vs_oracle, strategy.coverage,
                          strategy.under_provisioned_minutes, strategy.depth_logins_per_second);
  out["median_vs_oracle"] = Number(Rounded(strategy.median_vs_oracle, 1e4));
  return out;
}

json EventJson(const forecasting::PlanBacktestEvent& event) {
  const forecasting::PlanScore& s = event.score;
  return {{"event_id", event.event_id},
          {"start", FormatRfc3339(event.start)},
          {"as_of", FormatRfc3339(event.as_of)},
          {"peak_units", event.peak_units},
          {"actions", event.actions},
          {"buckets", s.buckets},
          {"coverage", Number(Rounded(s.coverage, 1e6))},
          {"under_provisioned_minutes", s.under_provisioned_minutes},
          {"depth_logins_per_second", Rounded(s.depth_logins_per_second, 100)},
          {"plan_unit_hours", Rounded(s.plan_unit_hours, 100)},
          {"oracle_unit_hours", Rounded(s.oracle_unit_hours, 100)},
          {"plan_vs_oracle", Number(Rounded(s.plan_vs_oracle, 1e4))},
          {"static",
           StrategyJson(s.static_unit_hours, s.static_vs_oracle, s.static_coverage,
                        s.static_under_provisioned_minutes, s.static_depth_logins_per_second)},
          {"reactive",
           StrategyJson(s.reactive_unit_hours, s.reactive_vs_oracle, s.reactive_coverage,
                        s.reactive_under_provisioned_minutes, s.reactive_depth_logins_per_second)}};
}

}  // namespace

Result<forecasting::PlanBacktestQuery> ParsePlanBacktestRequest(
    const std::string& series_id, const json& body, const forecasting::CapacityModel& base) {
  std::vector<std::string_view> known = {"events", "horizon_hours", "calendars"};
  known.insert(known.end(), kCapacityModelFields.begin(), kCapacityModelFields.end());
  if (Status unknown = RejectUnknownFields(body, known); !unknown) return unknown.error();
  auto events = IntegerField(body, "events", 1, kMaxPlanBacktestEvents);
  if (!events) return events.error();
  // The rest is a plan request without as_of: the same fields, defaults and errors.
  json plan_body = body;
  plan_body.erase("events");
  auto plan = ParsePlanRequest(series_id, plan_body, base);
  if (!plan) return plan.error();
  forecasting::PlanBacktestQuery query;
  query.series_id = series_id;
  query.events = static_cast<std::size_t>(events->value_or(12));
  query.horizon = plan->forecast.horizon;
  query.calendars = std::move(plan->forecast.calendars);
  query.model = plan->model;
  return query;
}

json PlanBacktestJson(const forecasting::PlanBacktestQuery& query,
                      const forecasting::PlanBacktestResult& result) {
  json events = json::array();
  for (const forecasting::PlanBacktestEvent& event : result.events) {
    events.push_back(EventJson(event));
  }
  const forecasting::PlanBacktestSummary& summary = result.summary;
  return {{"series", query.series_id},
          {"events_requested", query.events},
          {"horizon_hours", std::chrono::duration_cast<std::chrono::hours>(query.horizon).count()},
          {"model", CapacityModelJson(query.model)},
          {"events", std::move(events)},
          {"summary",
           {{"events", summary.events},
            {"buckets", summary.buckets},
            {"oracle_unit_hours", Rounded(summary.oracle_unit_hours, 100)},
            {"plan", SummaryStrategyJson(summary.plan)},
            {"static", SummaryStrategyJson(summary.static_peak)},
            {"reactive", SummaryStrategyJson(summary.reactive)}}}};
}

}  // namespace patchcast::api
