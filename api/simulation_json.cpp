#include "api/simulation_json.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "api/json_body.h"
#include "api/json_fields.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// Integers are range-checked by the simulation, which names them; this bound keeps them in int.
constexpr std::int64_t kIntBound = 1'000'000'000;

json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }
json Optional(const std::optional<double>& value) { return value ? Number(*value) : json(nullptr); }
double Rounded(double value, double scale) { return std::round(value * scale) / scale; }

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
  auto retries = IntegerField(*it, "max_retries", -kIntBound, kIntBound);
  if (!retries) return FieldError("client", retries.error());
  if (*retries) client.max_retries = static_cast<int>(**retries);
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
