#include "api/plan_json.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "api/capacity_model_json.h"
#include "api/forecast_json.h"
#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/point_text.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }
json Optional(const std::optional<double>& value) { return value ? Number(*value) : json(nullptr); }
double Rounded(double value, double scale) { return std::round(value * scale) / scale; }

json FiguresJson(const forecasting::ProvisioningFigures& figures) {
  return {{"unit_hours", Rounded(figures.unit_hours, 100)},
          {"cost", Optional(figures.cost)},
          {"under_provisioned_minutes", figures.under_provisioned_minutes},
          {"depth_logins_per_second", Rounded(figures.depth_logins_per_second, 100)}};
}

Result<std::chrono::sys_seconds> DocumentTime(const json& document, const char* key) {
  auto it = document.find(key);
  if (it == document.end() || !it->is_string()) {
    return Internal(std::string("stored plan document has no ") + key);
  }
  return ParseRfc3339Seconds(it->get<std::string>());
}

Result<const json*> DocumentArray(const json& document, const char* key) {
  auto it = document.find(key);
  if (it == document.end() || !it->is_array()) {
    return Internal(std::string("stored plan document has no ") + key);
  }
  return &*it;
}

}  // namespace

Result<PlanRequest> ParsePlanRequest(const std::string& series_id, const json& body,
                                     const forecasting::CapacityModel& base) {
  std::vector<std::string_view> known = {"horizon_hours", "as_of", "calendars"};
  known.insert(known.end(), kCapacityModelFields.begin(), kCapacityModelFields.end());
  if (Status unknown = RejectUnknownFields(body, known); !unknown) return unknown.error();
  json forecast_body = json::object();
  for (const char* key : {"horizon_hours", "as_of", "calendars"}) {
    if (auto it = body.find(key); it != body.end()) forecast_body[key] = *it;
  }
  auto query = ParseForecastRequest(series_id, forecast_body);
  if (!query) return query.error();
  PlanRequest request{std::move(*query), base};
  if (Status read = ReadCapacityModel(body, request.model); !read) return read.error();
  if (request.model.unit_capacity == 0 && !body.contains("unit_capacity")) {
    return InvalidArgument(
        "field 'unit_capacity' is required (or store the series' capacity model with PUT "
        "/v1/series/" +
        series_id + "/capacity-model)");
  }
  if (Status valid = forecasting::ValidateCapacityModel(request.model, request.forecast.horizon);
      !valid) {
    return valid.error();
  }
  std::vector<double>& levels = request.forecast.quantiles;
  levels.push_back(request.model.quantile);
  std::sort(levels.begin(), levels.end());
  // One level per document name (QuantileKey): a model quantile within 1e-8 of a forecast level
  // is read from that level's neighbourhood as any other quantile is (QuantileAt).
  levels.erase(std::unique(levels.begin(), levels.end(),
                           [](double a, double b) { return QuantileKey(a) == QuantileKey(b); }),
               levels.end());
  return request;
}

std::chrono::sys_seconds PlanValidUntil(std::chrono::sys_seconds as_of,
                                        std::chrono::seconds horizon) {
  return as_of + std::min<std::chrono::seconds>(kPlanValidity, horizon);
}

json PlanJson(const PlanHeader& header, const forecasting::CapacityModel& model,
              const forecasting::CapacityPlan& plan) {
  json buckets = json::array();
  for (const forecasting::PlanBucket& bucket : plan.buckets) {
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
    buckets.push_back(std::move(row));
  }
  json actions = json::array();
  for (const forecasting::PlanAction& action : plan.actions) {
    actions.push_back(
        {{"at", FormatRfc3339(action.at)},
         {"ready", FormatRfc3339(action.ready)},
         {"kind", forecasting::ToString(action.kind)},
         {"units", action.units},
         {"late", action.late},
         {"reason", action.reason},
         {"event_id", action.event_id.empty() ? json(nullptr) : json(action.event_id)}});
  }
  const forecasting::PlanSummary& summary = plan.summary;
  return {{"id", header.id},
          {"series", header.series},
          {"forecast_id", header.forecast_id},
          {"as_of", FormatRfc3339(header.as_of)},
          {"generated_at", FormatRfc3339(header.generated_at)},
          {"valid_until", FormatRfc3339(header.valid_until)},
          {"step_seconds", plan.step.count()},
          {"mode", forecasting::ToString(plan.mode)},
          {"quantile", model.quantile},
          {"unit_capacity", model.unit_capacity},
          {"buckets", std::move(buckets)},
          {"actions", std::move(actions)},
          {"summary",
           {{"peak_units", summary.peak_units},
            {"unit_hours", Rounded(summary.unit_hours, 100)},
            {"cost", Optional(summary.cost)},
            {"max_p_exceed", Rounded(summary.max_p_exceed, 1e6)},
            {"at_risk_buckets", summary.at_risk_buckets},
            {"under_provisioned_minutes", summary.under_provisioned_minutes},
            {"effective_max_units", summary.effective_max_units},
            {"vs_static", FiguresJson(summary.vs_static)},
            {"vs_reactive", FiguresJson(summary.vs_reactive)}}},
          {"fallback_units", plan.fallback_units}};
}

Result<std::string> PlanCsv(const json& document) {
  auto buckets = DocumentArray(document, "buckets");
  if (!buckets) return buckets.error();
  std::string csv = "ts,demand,units,capacity,p_exceed,at_risk\n";
  for (const json& bucket : **buckets) {
    csv += bucket["ts"].get<std::string>() + "," + bucket["demand"].dump() + "," +
           bucket["units"].dump() + "," + bucket["capacity"].dump() + "," +
           bucket["p_exceed"].dump() + "," + bucket["at_risk"].dump() + "\n";
  }
  return csv;
}

Result<json> CurrentReplicas(const json& document, std::chrono::sys_seconds now) {
  auto buckets = DocumentArray(document, "buckets");
  if (!buckets) return buckets.error();
  auto generated_at = DocumentTime(document, "generated_at");
  if (!generated_at) return generated_at.error();
  auto valid_until = DocumentTime(document, "valid_until");
  if (!valid_until) return valid_until.error();
  const int fallback = document.value("fallback_units", 0);
  const std::chrono::seconds step{document.value("step_seconds", 300)};
  if ((*buckets)->empty()) return Internal("stored plan document has no buckets");
  // The last bucket starting at or before now; the first one before the plan starts.
  const json* current = &(**buckets)[0];
  bool after_end = false;
  for (const json& bucket : **buckets) {
    auto ts = ParseRfc3339Seconds(bucket["ts"].get<std::string>());
    if (!ts) return Internal("stored plan document: " + ts.error().message);
    if (*ts > now) break;
    current = &bucket;
    after_end = now >= *ts + step;
  }
  int replicas = after_end ? fallback : (*current)["units"].get<int>();
  const bool stale = now > *valid_until;
  if (stale) replicas = std::max(replicas, fallback);
  return json{{"replicas", replicas},
              {"at", after_end ? json(nullptr) : (*current)["ts"]},
              {"plan_id", document.value("id", std::string())},
              {"age_seconds", std::max<std::int64_t>(0, (now - *generated_at).count())},
              {"stale_seconds", std::max<std::int64_t>(0, (now - *valid_until).count())},
              {"fallback_replicas", fallback},
              {"stale", stale}};
}

Result<forecasting::RateSeries> PlanDocumentCapacity(const json& document) {
  auto buckets = DocumentArray(document, "buckets");
  if (!buckets) return buckets.error();
  forecasting::RateSeries capacity;
  capacity.step = std::chrono::seconds{document.value("step_seconds", 300)};
  for (const json& bucket : **buckets) capacity.per_second.push_back(bucket["capacity"]);
  if (capacity.per_second.empty()) return Internal("stored plan document has no buckets");
  return capacity;
}

}  // namespace patchcast::api
