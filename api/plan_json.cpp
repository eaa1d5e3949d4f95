#include "api/plan_json.h"

#include <algorithm>
#include <cmath>
#include <limits>

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

// Integers the capacity model takes are range-checked by ValidateCapacityModel, which names them;
// this bound only keeps them inside int.
constexpr std::int64_t kIntBound = 1'000'000'000;

Result<std::optional<double>> NumberField(const json& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::optional<double>{};
  if (!it->is_number()) {
    return InvalidArgument("field '" + std::string(name) + "' must be a number, not " +
                           it->type_name());
  }
  return std::optional<double>{it->get<double>()};
}

Result<std::optional<int>> IntField(const json& object, std::string_view name) {
  auto value = IntegerField(object, name, -kIntBound, kIntBound);
  if (!value) return value.error();
  if (!*value) return std::optional<int>{};
  return std::optional<int>{static_cast<int>(**value)};
}

// Reads the members of `object` into the setters, stopping at the first error.
Status ReadNumber(const json& object, std::string_view name, double& out) {
  auto value = NumberField(object, name);
  if (!value) return value.error();
  if (*value) out = **value;
  return {};
}

Status ReadInt(const json& object, std::string_view name, int& out) {
  auto value = IntField(object, name);
  if (!value) return value.error();
  if (*value) out = **value;
  return {};
}

Status ReadMinutes(const json& object, std::string_view name,
                   std::optional<std::chrono::minutes>& out) {
  auto value = IntField(object, name);
  if (!value) return value.error();
  if (*value) out = std::chrono::minutes{**value};
  return {};
}

Status ReadCapacityModel(const json& body, forecasting::CapacityModel& model) {
  auto unit_capacity = Required(NumberField(body, "unit_capacity"), "unit_capacity");
  if (!unit_capacity) return unit_capacity.error();
  model.unit_capacity = *unit_capacity;
  for (auto [name, out] : {std::pair<std::string_view, double*>{"headroom", &model.headroom},
                           {"quantile", &model.quantile},
                           {"raise_buffer", &model.raise_buffer},
                           {"scale_in_step_fraction", &model.scale_in_step_fraction}}) {
    if (Status read = ReadNumber(body, name, *out); !read) return read;
  }
  if (Status read = ReadInt(body, "min_units", model.min_units); !read) return read;
  if (Status read = ReadInt(body, "max_units", model.max_units); !read) return read;
  std::optional<std::chrono::minutes> minutes;
  if (Status read = ReadMinutes(body, "lead_time_minutes", minutes); !read) return read;
  if (minutes) model.lead_time = *minutes;
  minutes.reset();
  if (Status read = ReadMinutes(body, "min_action_interval_minutes", minutes); !read) return read;
  if (minutes) model.min_action_interval = *minutes;
  if (Status read = ReadMinutes(body, "hold_after_event_minutes", model.hold_after_event); !read) {
    return read;
  }
  auto max_step_units = IntField(body, "max_step_units");
  if (!max_step_units) return max_step_units.error();
  model.max_step_units = *max_step_units;
  auto per_minute = NumberField(body, "max_units_per_minute");
  if (!per_minute) return per_minute.error();
  model.max_units_per_minute = *per_minute;
  auto cost = NumberField(body, "unit_cost_per_hour");
  if (!cost) return cost.error();
  model.unit_cost_per_hour = *cost;
  auto behavior = StringField(body, "max_capacity_behavior");
  if (!behavior) return behavior.error();
  if (*behavior) {
    if (**behavior == "honor") {
      model.max_capacity_behavior = forecasting::MaxCapacityBehavior::kHonor;
    } else if (**behavior == "raise") {
      model.max_capacity_behavior = forecasting::MaxCapacityBehavior::kRaise;
    } else {
      return InvalidArgument("field 'max_capacity_behavior' must be honor or raise, not '" +
                             **behavior + "'");
    }
  }
  auto mode = StringField(body, "mode");
  if (!mode) return mode.error();
  if (*mode) {
    if (**mode == "recommend") {
      model.mode = forecasting::PlanMode::kRecommend;
    } else if (**mode == "forecast_only") {
      model.mode = forecasting::PlanMode::kForecastOnly;
    } else {
      return InvalidArgument("field 'mode' must be forecast_only or recommend, not '" + **mode +
                             "'");
    }
  }
  return {};
}

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

json ReportJson(const forecasting::LoginStormReport& report) {
  return {{"max_queue", Rounded(report.max_queue, 10)},
          {"p99_wait_s", Rounded(report.p99_wait_seconds, 10)},
          {"failed_logins", Rounded(report.failed_logins, 1)},
          {"retry_amplification", Rounded(report.retry_amplification, 1000)},
          {"drain_seconds", report.drain ? json(report.drain->count()) : json(nullptr)},
          {"metastable", report.metastable},
          {"fresh_logins", Rounded(report.fresh_logins, 1)},
          {"attempts", Rounded(report.attempts, 1)},
          {"succeeded_logins", Rounded(report.succeeded_logins, 1)},
          {"rejected_attempts", Rounded(report.rejected_attempts, 1)},
          {"wasted_work", Rounded(report.wasted_work, 1)},
          {"surge_end_s", report.surge_end ? json(report.surge_end->count()) : json(nullptr)}};
}

json ClientJson(const forecasting::ClientPolicy& client) {
  return {{"timeout_s", client.timeout.count()},
          {"max_retries", client.max_retries},
          {"backoff_base_s", client.backoff_base.count()},
          {"backoff_cap_s", client.backoff_cap.count()},
          {"jitter", forecasting::ToString(client.jitter)}};
}

Status ReadClient(const json& body, forecasting::ClientPolicy& client) {
  auto it = body.find("client");
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_object()) return InvalidArgument("field 'client' must be an object");
  if (Status known = RejectUnknownFields(
          *it, {"timeout_s", "max_retries", "backoff_base_s", "backoff_cap_s", "jitter"});
      !known) {
    return FieldError("client", known.error());
  }
  const auto seconds = [&](std::string_view name, std::chrono::seconds& out) -> Status {
    auto value = IntegerField(*it, name, -kIntBound, kIntBound);
    if (!value) return FieldError("client", value.error());
    if (*value) out = std::chrono::seconds{**value};
    return {};
  };
  if (Status read = seconds("timeout_s", client.timeout); !read) return read;
  if (Status read = seconds("backoff_base_s", client.backoff_base); !read) return read;
  if (Status read = seconds("backoff_cap_s", client.backoff_cap); !read) return read;
  if (Status read = ReadInt(*it, "max_retries", client.max_retries); !read) {
    return FieldError("client", read.error());
  }
  auto jitter = StringField(*it, "jitter");
  if (!jitter) return FieldError("client", jitter.error());
  if (*jitter) {
    if (**jitter == "none") {
      client.jitter = forecasting::Jitter::kNone;
    } else if (**jitter == "full") {
      client.jitter = forecasting::Jitter::kFull;
    } else if (**jitter == "equal") {
      client.jitter = forecasting::Jitter::kEqual;
    } else {
      return InvalidArgument("field 'client.jitter' must be none, full or equal, not '" + **jitter +
                             "'");
    }
  }
  return {};
}

}  // namespace

Result<PlanRequest> ParsePlanRequest(const std::string& series_id, const json& body) {
  if (Status known = RejectUnknownFields(
          body,
          {"horizon_hours", "as_of", "calendars", "unit_capacity", "headroom", "quantile",
           "min_units", "max_units", "max_capacity_behavior", "raise_buffer", "lead_time_minutes",
           "max_step_units", "max_units_per_minute", "hold_after_event_minutes",
           "scale_in_step_fraction", "min_action_interval_minutes", "unit_cost_per_hour", "mode"});
      !known) {
    return known.error();
  }
  json forecast_body = json::object();
  for (const char* key : {"horizon_hours", "as_of", "calendars"}) {
    if (auto it = body.find(key); it != body.end()) forecast_body[key] = *it;
  }
  auto query = ParseForecastRequest(series_id, forecast_body);
  if (!query) return query.error();
  PlanRequest request{std::move(*query), {}};
  if (Status read = ReadCapacityModel(body, request.model); !read) return read.error();
  if (Status valid = forecasting::ValidateCapacityModel(request.model, request.forecast.horizon);
      !valid) {
    return valid.error();
  }
  std::vector<double>& levels = request.forecast.quantiles;
  levels.push_back(request.model.quantile);
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
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

Result<json> AwsScheduledActions(const json& document, const std::string& group,
                                 std::size_t* omitted) {
  if (group.empty()) {
    return InvalidArgument(
        "query parameter 'group' is required for format aws-scheduled-actions (the Auto Scaling "
        "group name)");
  }
  auto actions = DocumentArray(document, "actions");
  if (!actions) return actions.error();
  if ((*actions)->empty()) {
    return Unprocessable("plan '" + document.value("id", std::string()) +
                         "' has no scaling actions (mode forecast_only or steady demand)");
  }
  const std::string prefix = "patchcast-" + document.value("id", std::string()) + "-";
  json scheduled = json::array();
  const std::size_t count = std::min((*actions)->size(), kMaxAwsActions);
  for (std::size_t i = 0; i < count; ++i) {
    const json& action = (**actions)[i];
    scheduled.push_back({{"ScheduledActionName", prefix + std::to_string(i + 1)},
                         {"StartTime", action["at"]},
                         {"MinSize", action["units"]},
                         {"DesiredCapacity", action["units"]}});
  }
  if (omitted) *omitted = (*actions)->size() - count;
  return json{{"AutoScalingGroupName", group},
              {"ScheduledUpdateGroupActions", std::move(scheduled)}};
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
              {"age_seconds", (now - *generated_at).count()},
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

Result<forecasting::LoginStormInput> ParseSimulationRequest(
    const json& body, std::optional<forecasting::RateSeries> plan_capacity) {
  if (Status known = RejectUnknownFields(body, {"demand", "capacity", "client",
                                                "admission_limit_per_s", "server_drops_timed_out"});
      !known) {
    return known.error();
  }
  forecasting::LoginStormInput input;
  auto demand = body.find("demand");
  if (demand == body.end() || !demand->is_object()) {
    return InvalidArgument("field 'demand' is required: {\"step_seconds\",\"values\"}");
  }
  if (Status known = RejectUnknownFields(*demand, {"step_seconds", "values"}); !known) {
    return FieldError("demand", known.error());
  }
  auto step = IntegerField(*demand, "step_seconds", 1, 86'400);
  if (!step) return FieldError("demand", step.error());
  input.demand.step = std::chrono::seconds{step->value_or(60)};
  auto values = demand->find("values");
  if (values == demand->end() || !values->is_array() || values->empty()) {
    return InvalidArgument("field 'demand.values' must be a non-empty array of numbers");
  }
  const auto covered = static_cast<std::int64_t>(values->size()) * input.demand.step.count();
  if (covered > kMaxSimulation.count()) {
    return InvalidArgument("field 'demand.values' covers " + std::to_string(covered) +
                           " s, more than the limit of 604800 s (7 days)");
  }
  input.demand.per_second.reserve(values->size());
  for (std::size_t i = 0; i < values->size(); ++i) {
    const json& value = (*values)[i];
    if (!value.is_number() || !(value.get<double>() >= 0)) {
      return InvalidArgument("field 'demand.values'[" + std::to_string(i) +
                             "] must be a number >= 0, not " + value.dump());
    }
    input.demand.per_second.push_back(value.get<double>());
  }
  if (plan_capacity) {
    input.capacity = std::move(*plan_capacity);
  } else {
    auto capacity = body.find("capacity");
    if (capacity == body.end() || !capacity->is_object()) {
      return InvalidArgument(
          "field 'capacity' is required: {\"units\",\"unit_capacity\"} or {\"plan_id\"}");
    }
    if (Status known = RejectUnknownFields(*capacity, {"units", "unit_capacity"}); !known) {
      return FieldError("capacity", known.error());
    }
    auto units = Required(IntegerField(*capacity, "units", 1, 1'000'000), "capacity.units");
    if (!units) return units.error();
    auto unit_capacity =
        Required(NumberField(*capacity, "unit_capacity"), "capacity.unit_capacity");
    if (!unit_capacity) return unit_capacity.error();
    if (!(*unit_capacity > 0)) {
      return InvalidArgument("field 'capacity.unit_capacity' must be positive");
    }
    input.capacity.step = std::chrono::seconds{1};
    input.capacity.per_second = {static_cast<double>(*units) * *unit_capacity};
  }
  if (Status read = ReadClient(body, input.client); !read) return read.error();
  auto limit = NumberField(body, "admission_limit_per_s");
  if (!limit) return limit.error();
  input.admission_limit_per_second = *limit;
  auto drops = BoolField(body, "server_drops_timed_out");
  if (!drops) return drops.error();
  input.server_drops_timed_out = drops->value_or(false);
  return input;
}

json SimulationJson(const forecasting::LoginStormReport& report,
                    const forecasting::StormRecommendation& recommendation) {
  json out = ReportJson(report);
  out["recommendation"] = {
      {"admission_limit_per_s", Optional(recommendation.admission_limit_per_second)},
      {"client", ClientJson(recommendation.client)},
      {"meets_target", recommendation.meets_target},
      {"outcome", ReportJson(recommendation.outcome)}};
  return out;
}

}  // namespace patchcast::api
