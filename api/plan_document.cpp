#include "api/plan_document.h"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "api/document_members.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::sys_seconds;

json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }
json Optional(const std::optional<double>& value) { return value ? Number(*value) : json(nullptr); }
double Rounded(double value, double scale) { return std::round(value * scale) / scale; }

json FiguresJson(const forecasting::ProvisioningFigures& figures) {
  return {{"unit_hours", Rounded(figures.unit_hours, 100)},
          {"cost", Optional(figures.cost)},
          {"under_provisioned_minutes", figures.under_provisioned_minutes},
          {"depth_logins_per_second", Rounded(figures.depth_logins_per_second, 100)}};
}

json BucketJson(const forecasting::PlanBucket& bucket) {
  json row = {{"ts", FormatRfc3339(bucket.ts)},
              {"demand", Rounded(bucket.demand_logins_per_second, 100)},
              {"units", bucket.units},
              {"capacity", Rounded(bucket.capacity_logins_per_second, 100)},
              {"p_exceed", Rounded(bucket.p_exceed, 1e6)},
              {"at_risk", bucket.at_risk}};
  if (bucket.at_risk) {
    row["shortfall"] = {{"units", bucket.shortfall_units},
                        {"logins_per_second", Rounded(bucket.shortfall_logins_per_second, 100)}};
  }
  return row;
}

json ActionJson(const forecasting::PlanAction& action) {
  return {{"at", FormatRfc3339(action.at)},
          {"ready", FormatRfc3339(action.ready)},
          {"kind", forecasting::ToString(action.kind)},
          {"units", action.units},
          {"late", action.late},
          {"reason", action.reason},
          {"event_id", action.event_id.empty() ? json(nullptr) : json(action.event_id)}};
}

json SummaryJson(const forecasting::PlanSummary& summary) {
  return {{"peak_units", summary.peak_units},
          {"unit_hours", Rounded(summary.unit_hours, 100)},
          {"cost", Optional(summary.cost)},
          {"max_p_exceed", Rounded(summary.max_p_exceed, 1e6)},
          {"at_risk_buckets", summary.at_risk_buckets},
          {"under_provisioned_minutes", summary.under_provisioned_minutes},
          {"effective_max_units", summary.effective_max_units},
          {"vs_static", FiguresJson(summary.vs_static)},
          {"vs_reactive", FiguresJson(summary.vs_reactive)}};
}

void ReadBucket(DocumentMembers members, forecasting::PlanBucket& bucket) {
  members.Read("ts", bucket.ts);
  members.Read("demand", bucket.demand_logins_per_second);
  members.Read("units", bucket.units);
  members.Read("capacity", bucket.capacity_logins_per_second);
  members.Read("p_exceed", bucket.p_exceed);
  members.Read("at_risk", bucket.at_risk);
}

void ReadShortfall(DocumentMembers members, forecasting::PlanBucket& bucket) {
  members.Read("units", bucket.shortfall_units);
  members.Read("logins_per_second", bucket.shortfall_logins_per_second);
}

void ReadAction(DocumentMembers members, forecasting::PlanAction& action) {
  members.Read("at", action.at);
  members.Read("ready", action.ready);
  std::string kind;
  members.Read("kind", kind);
  if (kind == forecasting::ToString(forecasting::ActionKind::kScaleIn)) {
    action.kind = forecasting::ActionKind::kScaleIn;
  } else if (kind != forecasting::ToString(forecasting::ActionKind::kScaleOut)) {
    members.Fail("kind", "not scale_out or scale_in");
  }
  members.Read("units", action.units);
  members.Read("late", action.late);
  members.Read("reason", action.reason);
  members.ReadTextOrNull("event_id", action.event_id);
}

void ReadFigures(DocumentMembers members, forecasting::ProvisioningFigures& figures) {
  members.Read("unit_hours", figures.unit_hours);
  members.Read("cost", figures.cost);
  members.Read("under_provisioned_minutes", figures.under_provisioned_minutes);
  members.Read("depth_logins_per_second", figures.depth_logins_per_second);
}

void ReadSummary(DocumentMembers members, forecasting::PlanSummary& summary,
                 std::optional<std::string>& failure) {
  members.Read("peak_units", summary.peak_units);
  members.Read("unit_hours", summary.unit_hours);
  members.Read("cost", summary.cost);
  members.Read("max_p_exceed", summary.max_p_exceed);
  members.Read("at_risk_buckets", summary.at_risk_buckets);
  members.Read("under_provisioned_minutes", summary.under_provisioned_minutes);
  members.Read("effective_max_units", summary.effective_max_units);
  if (const json* figures = members.Object("vs_static")) {
    ReadFigures(DocumentMembers(*figures, "summary.vs_static ", failure), summary.vs_static);
  }
  if (const json* figures = members.Object("vs_reactive")) {
    ReadFigures(DocumentMembers(*figures, "summary.vs_reactive ", failure), summary.vs_reactive);
  }
}

// The buckets, each with its shortfall when at risk, in order of ts; at least one.
void ReadBuckets(const json& array, std::vector<forecasting::PlanBucket>& buckets,
                 std::optional<std::string>& failure) {
  if (array.empty() && !failure) failure = "the document's 'buckets' is empty";
  buckets.resize(array.size());
  for (std::size_t i = 0; i < array.size() && !failure; ++i) {
    auto members = DocumentMembers::Element(array, i, "bucket", failure);
    if (!members) break;
    ReadBucket(*members, buckets[i]);
    if (buckets[i].at_risk) {
      if (const json* shortfall = members->Object("shortfall")) {
        ReadShortfall(
            DocumentMembers(*shortfall, "bucket " + std::to_string(i) + " shortfall ", failure),
            buckets[i]);
      }
    }
    if (!failure && i > 0 && buckets[i].ts <= buckets[i - 1].ts) {
      failure = "bucket " + std::to_string(i) + " does not start after the one before";
    }
  }
}

void ReadActions(const json& array, std::vector<forecasting::PlanAction>& actions,
                 std::optional<std::string>& failure) {
  actions.resize(array.size());
  for (std::size_t i = 0; i < array.size() && !failure; ++i) {
    if (auto members = DocumentMembers::Element(array, i, "action", failure)) {
      ReadAction(*members, actions[i]);
    }
  }
}

void ReadHeader(DocumentMembers& top, forecasting::PlanRecord& record) {
  top.Read("id", record.id);
  top.Read("series", record.series_id);
  top.Read("forecast_id", record.forecast_id);
  top.Read("as_of", record.as_of);
  top.Read("generated_at", record.generated_at);
  top.Read("valid_until", record.valid_until);
  top.Read("quantile", record.quantile);
  top.Read("unit_capacity", record.unit_capacity);
}

void ReadPlan(DocumentMembers& top, forecasting::CapacityPlan& plan,
              std::optional<std::string>& failure) {
  int step = 0;
  top.Read("step_seconds", step);
  if (!top.failed() && step < 1) top.Fail("step_seconds", "below 1");
  plan.step = std::chrono::seconds{step};
  std::string mode;
  top.Read("mode", mode);
  if (mode == forecasting::ToString(forecasting::PlanMode::kForecastOnly)) {
    plan.mode = forecasting::PlanMode::kForecastOnly;
  } else if (mode != forecasting::ToString(forecasting::PlanMode::kRecommend)) {
    top.Fail("mode", "not forecast_only or recommend");
  }
  top.Read("fallback_units", plan.fallback_units);
  if (const json* buckets = top.Array("buckets")) ReadBuckets(*buckets, plan.buckets, failure);
  if (const json* actions = top.Array("actions")) ReadActions(*actions, plan.actions, failure);
  if (const json* summary = top.Object("summary")) {
    ReadSummary(DocumentMembers(*summary, "summary ", failure), plan.summary, failure);
  }
}

}  // namespace

json PlanDocument(const forecasting::PlanRecord& record) {
  const forecasting::CapacityPlan& plan = record.plan;
  json buckets = json::array();
  for (const forecasting::PlanBucket& bucket : plan.buckets) buckets.push_back(BucketJson(bucket));
  json actions = json::array();
  for (const forecasting::PlanAction& action : plan.actions) actions.push_back(ActionJson(action));
  return {{"id", record.id},
          {"series", record.series_id},
          {"forecast_id", record.forecast_id},
          {"as_of", FormatRfc3339(record.as_of)},
          {"generated_at", FormatRfc3339(record.generated_at)},
          {"valid_until", FormatRfc3339(record.valid_until)},
          {"step_seconds", plan.step.count()},
          {"mode", forecasting::ToString(plan.mode)},
          {"quantile", record.quantile},
          {"unit_capacity", record.unit_capacity},
          {"buckets", std::move(buckets)},
          {"actions", std::move(actions)},
          {"summary", SummaryJson(plan.summary)},
          {"fallback_units", plan.fallback_units}};
}

Result<forecasting::PlanRecord> ReadPlanDocument(std::string_view text) {
  return ReadStoredDocument<forecasting::PlanRecord>(
      text, "plan",
      [](DocumentMembers& top, forecasting::PlanRecord& record,
         std::optional<std::string>& failure) {
        ReadHeader(top, record);
        ReadPlan(top, record.plan, failure);
      });
}

}  // namespace patchcast::api
