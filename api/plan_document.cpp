#include "api/plan_document.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "api/point_text.h"
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

// Reads the members of one object of a plan document. The first failure is kept, with the part
// of the document it was found in, and every later read does nothing: a reading lists its members
// and checks once at the end.
class Members {
 public:
  Members(const json& object, std::string part, std::optional<std::string>& failure)
      : object_(object), part_(std::move(part)), failure_(failure) {}

  void Read(const char* key, std::string& out) {
    if (const json* value = Find(key, &json::is_string)) out = value->get<std::string>();
  }
  void Read(const char* key, sys_seconds& out) {
    std::string text;
    Read(key, text);
    if (failed()) return;
    auto instant = ParseRfc3339Seconds(text);
    if (!instant) return Fail(key, instant.error().message);
    out = *instant;
  }
  void Read(const char* key, double& out) {
    if (const json* value = Find(key, &json::is_number)) out = value->get<double>();
  }
  // A number, or null for none.
  void Read(const char* key, std::optional<double>& out) {
    if (const json* value = Find(key, &json::is_primitive)) {
      if (value->is_null()) return out.reset();
      if (!value->is_number()) return Fail(key, "not a number or null");
      out = value->get<double>();
    }
  }
  void Read(const char* key, int& out) {
    std::int64_t wide = 0;
    if (const json* value = Find(key, &json::is_number_integer)) wide = value->get<std::int64_t>();
    if (failed()) return;
    if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
      return Fail(key, "out of range");
    }
    out = static_cast<int>(wide);
  }
  void Read(const char* key, std::size_t& out) {
    if (const json* value = Find(key, &json::is_number_unsigned)) out = value->get<std::size_t>();
  }
  void Read(const char* key, bool& out) {
    if (const json* value = Find(key, &json::is_boolean)) out = value->get<bool>();
  }
  // A string, or null for none (read as empty).
  void ReadTextOrNull(const char* key, std::string& out) {
    const json* value = Find(key, &json::is_primitive);
    if (value == nullptr || value->is_null()) return;
    if (!value->is_string()) return Fail(key, "not a string or null");
    out = value->get<std::string>();
  }
  // The member when it is an array (an object); null after a failure.
  const json* Array(const char* key) { return Find(key, &json::is_array); }
  const json* Object(const char* key) { return Find(key, &json::is_object); }

  void Fail(const char* key, const std::string& why) {
    if (!failed()) failure_ = part_ + "'" + key + "' is " + why;
  }
  bool failed() const { return failure_.has_value(); }

 private:
  const json* Find(const char* key, bool (json::*is)() const noexcept) {
    if (failed()) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end()) {
      failure_ = part_ + "has no '" + key + "'";
      return nullptr;
    }
    if (!((*it).*is)()) {
      failure_ = part_ + "'" + key + "' is of the wrong type";
      return nullptr;
    }
    return &*it;
  }

  const json& object_;
  const std::string part_;  // e.g. "bucket 3 ", empty for the top level
  std::optional<std::string>& failure_;
};

// The object at `index` of an array of the document, as `part` (e.g. "bucket 3 ").
std::optional<Members> Element(const json& array, std::size_t index, const std::string& name,
                               std::optional<std::string>& failure) {
  const std::string part = name + " " + std::to_string(index) + " ";
  if (!array[index].is_object()) {
    failure = part + "is not an object";
    return std::nullopt;
  }
  return Members(array[index], part, failure);
}

void ReadBucket(Members members, forecasting::PlanBucket& bucket) {
  members.Read("ts", bucket.ts);
  members.Read("demand", bucket.demand_logins_per_second);
  members.Read("units", bucket.units);
  members.Read("capacity", bucket.capacity_logins_per_second);
  members.Read("p_exceed", bucket.p_exceed);
  members.Read("at_risk", bucket.at_risk);
}

void ReadShortfall(Members members, forecasting::PlanBucket& bucket) {
  members.Read("units", bucket.shortfall_units);
  members.Read("logins_per_second", bucket.shortfall_logins_per_second);
}

void ReadAction(Members members, forecasting::PlanAction& action) {
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

void ReadFigures(Members members, forecasting::ProvisioningFigures& figures) {
  members.Read("unit_hours", figures.unit_hours);
  members.Read("cost", figures.cost);
  members.Read("under_provisioned_minutes", figures.under_provisioned_minutes);
  members.Read("depth_logins_per_second", figures.depth_logins_per_second);
}

void ReadSummary(Members members, forecasting::PlanSummary& summary,
                 std::optional<std::string>& failure) {
  members.Read("peak_units", summary.peak_units);
  members.Read("unit_hours", summary.unit_hours);
  members.Read("cost", summary.cost);
  members.Read("max_p_exceed", summary.max_p_exceed);
  members.Read("at_risk_buckets", summary.at_risk_buckets);
  members.Read("under_provisioned_minutes", summary.under_provisioned_minutes);
  members.Read("effective_max_units", summary.effective_max_units);
  if (const json* figures = members.Object("vs_static")) {
    ReadFigures(Members(*figures, "summary.vs_static ", failure), summary.vs_static);
  }
  if (const json* figures = members.Object("vs_reactive")) {
    ReadFigures(Members(*figures, "summary.vs_reactive ", failure), summary.vs_reactive);
  }
}

void ReadHeader(Members& top, forecasting::PlanRecord& record) {
  top.Read("id", record.id);
  top.Read("series", record.series_id);
  top.Read("forecast_id", record.forecast_id);
  top.Read("as_of", record.as_of);
  top.Read("generated_at", record.generated_at);
  top.Read("valid_until", record.valid_until);
  top.Read("quantile", record.quantile);
  top.Read("unit_capacity", record.unit_capacity);
}

void ReadPlan(Members& top, forecasting::CapacityPlan& plan, std::optional<std::string>& failure) {
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
  if (const json* buckets = top.Array("buckets")) {
    if (buckets->empty()) top.Fail("buckets", "empty");
    plan.buckets.resize(buckets->size());
    for (std::size_t i = 0; i < buckets->size() && !failure; ++i) {
      auto members = Element(*buckets, i, "bucket", failure);
      if (!members) break;
      ReadBucket(*members, plan.buckets[i]);
      if (plan.buckets[i].at_risk) {
        if (const json* shortfall = members->Object("shortfall")) {
          ReadShortfall(Members(*shortfall, "bucket " + std::to_string(i) + " shortfall ", failure),
                        plan.buckets[i]);
        }
      }
      if (!failure && i > 0 && plan.buckets[i].ts <= plan.buckets[i - 1].ts) {
        failure = "bucket " + std::to_string(i) + " does not start after the one before";
      }
    }
  }
  if (const json* actions = top.Array("actions")) {
    plan.actions.resize(actions->size());
    for (std::size_t i = 0; i < actions->size() && !failure; ++i) {
      if (auto members = Element(*actions, i, "action", failure))
        ReadAction(*members, plan.actions[i]);
    }
  }
  if (const json* summary = top.Object("summary")) {
    ReadSummary(Members(*summary, "summary ", failure), plan.summary, failure);
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
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Internal("stored plan document: not JSON");
  if (!document.is_object()) return Internal("stored plan document: not a JSON object");
  forecasting::PlanRecord record;
  std::optional<std::string> failure;
  Members top(document, "the document ", failure);
  ReadHeader(top, record);
  ReadPlan(top, record.plan, failure);
  if (failure) {
    const std::string which = record.id.empty() ? "" : " '" + record.id + "'";
    return Internal("stored plan document" + which + ": " + *failure);
  }
  return record;
}

}  // namespace patchcast::api
