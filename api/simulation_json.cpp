#include "api/simulation_json.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "api/document_digests.h"
#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/point_text.h"
#include "api/quoted_input.h"
#include "forecasting/quantile_function.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// Integers are range-checked by the simulation, which names them; this bound keeps them in int.
constexpr std::int64_t kIntBound = 1'000'000'000;
// Rates in logins per second (demand values, unit capacity, admission limit), issue 13: far above
// any real service, and far enough below the largest double that the simulation's sums of rates
// x seconds x retries stay finite.
constexpr double kMaxRatePerSecond = 1e9;

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
      return InvalidArgument("field 'client.jitter' must be none, full or equal, not " +
                             QuotedInput(**jitter));
    }
  }
  return {};
}

// Checks that `steps` of `step` fit the simulation limit; `what` names the input.
Status CheckSimulationLength(const std::string& what, std::int64_t steps,
                             std::chrono::seconds step) {
  const std::int64_t covered = steps * step.count();
  if (covered > kMaxSimulation.count()) {
    return InvalidArgument(what + " covers " + std::to_string(covered) +
                           " s, more than the limit of 604800 s (7 days)");
  }
  return {};
}

Status DemandValueError(std::size_t index, const std::string& value_json) {
  return InvalidArgument("field 'demand.values'[" + std::to_string(index) +
                         "] must be a number between 0 and 1e+09, not " + QuotedInput(value_json));
}

// The elements of a "values" array in the document, as ParseSimulationBody would have read them.
DemandValues DemandValuesOf(const json& values) {
  DemandValues read;
  for (const json& element : values) AddDemandValue(read, element);
  return read;
}

// Reads "demand": {"step_seconds","values"} into `out`; the elements of "values" are `diverted`
// when ParseSimulationBody kept them out of the document.
Status ReadDemandValues(const json& demand, std::optional<DemandValues> diverted,
                        forecasting::RateSeries& out) {
  if (Status known = RejectUnknownFields(demand, {"step_seconds", "values"}); !known) {
    return FieldError("demand", known.error());
  }
  auto step = IntegerField(demand, "step_seconds", 1, 86'400);
  if (!step) return FieldError("demand", step.error());
  out.step = std::chrono::seconds{step->value_or(60)};
  auto values = demand.find("values");
  if (values == demand.end() || !values->is_array()) {
    return InvalidArgument("field 'demand.values' must be a non-empty array of numbers");
  }
  DemandValues read = diverted ? std::move(*diverted) : DemandValuesOf(*values);
  if (read.count == 0) {
    return InvalidArgument("field 'demand.values' must be a non-empty array of numbers");
  }
  if (Status limit = CheckSimulationLength("field 'demand.values'",
                                           static_cast<std::int64_t>(read.count), out.step);
      !limit) {
    return limit;
  }
  for (std::size_t i = 0; i < read.numbers.size(); ++i) {
    if (!(read.numbers[i] >= 0 && read.numbers[i] <= kMaxRatePerSecond)) {
      return DemandValueError(i, json(read.numbers[i]).dump());
    }
  }
  if (read.first_non_number) {
    return DemandValueError(*read.first_non_number, read.first_non_number_json);
  }
  out.per_second = std::move(read.numbers);
  return {};
}

}  // namespace

Result<forecasting::LoginStormInput> ParseSimulationRequest(
    const json& body, std::optional<forecasting::RateSeries> plan_capacity,
    std::optional<forecasting::RateSeries> forecast_demand) {
  return ParseSimulationRequest(SimulationBody{body, std::nullopt}, std::move(plan_capacity),
                                std::move(forecast_demand));
}

Result<forecasting::LoginStormInput> ParseSimulationRequest(
    SimulationBody simulation_body, std::optional<forecasting::RateSeries> plan_capacity,
    std::optional<forecasting::RateSeries> forecast_demand) {
  const json& body = simulation_body.document;
  if (Status known = RejectUnknownFields(body, {"demand", "capacity", "client",
                                                "admission_limit_per_s", "server_drops_timed_out"});
      !known) {
    return known.error();
  }
  forecasting::LoginStormInput input;
  auto demand = body.find("demand");
  if (forecast_demand) {
    input.demand = std::move(*forecast_demand);
  } else if (demand == body.end() || !demand->is_object()) {
    return InvalidArgument(
        "field 'demand' is required: {\"step_seconds\",\"values\"} or "
        "{\"forecast_id\",\"quantile\",\"multiplier\"}");
  } else if (Status demand_read =
                 ReadDemandValues(*demand, std::move(simulation_body.demand_values), input.demand);
             !demand_read) {
    return demand_read.error();
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
    auto unit_capacity = Required(NumberField(*capacity, "unit_capacity", 0, kMaxRatePerSecond),
                                  "capacity.unit_capacity");
    if (!unit_capacity) return unit_capacity.error();
    if (!(*unit_capacity > 0)) {
      return InvalidArgument("field 'capacity.unit_capacity' must be positive");
    }
    input.capacity.step = std::chrono::seconds{1};
    input.capacity.per_second = {static_cast<double>(*units) * *unit_capacity};
  }
  if (Status read = ReadClient(body, input.client); !read) return read.error();
  auto limit = NumberField(body, "admission_limit_per_s", 0, kMaxRatePerSecond);
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

Result<std::optional<ForecastDemandRequest>> ParseForecastDemandRequest(const json& body) {
  auto demand = body.find("demand");
  if (demand == body.end() || !demand->is_object() || !demand->contains("forecast_id")) {
    return std::optional<ForecastDemandRequest>();
  }
  if (Status known = RejectUnknownFields(*demand, {"forecast_id", "quantile", "multiplier"});
      !known) {
    return FieldError("demand", known.error());
  }
  ForecastDemandRequest request;
  const json& id = (*demand)["forecast_id"];
  if (!id.is_string() || id.get<std::string>().empty() ||
      id.get<std::string>().size() > kMaxNameBytes) {
    return InvalidArgument("field 'demand.forecast_id' must be a string of 1 to 200 bytes, not " +
                           QuotedInput(id.dump()));
  }
  request.forecast_id = id.get<std::string>();
  if (auto it = demand->find("quantile"); it != demand->end()) {
    if (!it->is_number() || !(it->get<double>() > 0 && it->get<double>() < 1)) {
      return InvalidArgument("field 'demand.quantile' must be a number in (0, 1), not " +
                             it->dump());
    }
    request.quantile = it->get<double>();
  }
  if (auto it = demand->find("multiplier"); it != demand->end()) {
    if (!it->is_number() || !(it->get<double>() > 0 && it->get<double>() <= 100)) {
      return InvalidArgument("field 'demand.multiplier' must be a number in (0, 100], not " +
                             it->dump());
    }
    request.multiplier = it->get<double>();
  }
  return std::optional<ForecastDemandRequest>(std::move(request));
}

Result<forecasting::TimedRate> RateFromStoredForecast(std::string_view document,
                                                      const ForecastDemandRequest& request) {
  auto digest = DigestForecastDocument(document);
  if (!digest) return digest.error();
  const std::size_t points = digest->starts.size();
  if (points == 0) {
    return Unprocessable("forecast '" + request.forecast_id + "' has no points to simulate");
  }
  if (Status limit = CheckSimulationLength(
          "field 'demand.forecast_id': forecast '" + request.forecast_id + "'",
          static_cast<std::int64_t>(points), digest->step);
      !limit) {
    return limit.error();
  }
  if (const std::size_t gap = forecasting::PointsOneStepApart(*digest); gap != points) {
    return Internal("stored forecast document '" + request.forecast_id + "': point " +
                    std::to_string(gap) + " is not step_seconds after the one before");
  }
  return forecasting::DemandRate(*digest, request.quantile, request.multiplier);
}

}  // namespace patchcast::api
