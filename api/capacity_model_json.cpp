#include "api/capacity_model_json.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "api/json_fields.h"
#include "api/quoted_input.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// The ranges of the members (issue 13, documented in openapi.yaml). They keep every product in
// PlanCapacity finite: demand (at most 1e15 logins per step) x (1 + headroom) / unit_capacity
// stays far below the largest double, and CeilUnits clamps units to kMaxUnits.
// ValidateCapacityModel then applies the rules inside them (unit_capacity > 0, min_units <=
// max_units, ...).
constexpr std::int64_t kMaxUnits = 1'000'000'000;
constexpr double kMaxRate = 1e9;                    // unit_capacity, max_units_per_minute
constexpr double kMaxFraction = 10;                 // headroom and raise_buffer: up to 1000 %
constexpr double kMaxUnitCostPerHour = 1e9;         // any currency
constexpr std::int64_t kMaxMinutes = 31 * 24 * 60;  // the longest horizon, kMaxHorizon

Result<std::optional<int>> IntField(const json& object, std::string_view name, std::int64_t min,
                                    std::int64_t max) {
  auto value = IntegerField(object, name, min, max);
  if (!value) return value.error();
  if (!*value) return std::optional<int>{};
  return std::optional<int>{static_cast<int>(**value)};
}

// Each Read* leaves `out` alone when the member is absent.
Status ReadNumber(const json& object, std::string_view name, double max, double& out) {
  auto value = NumberField(object, name, 0, max);
  if (!value) return value.error();
  if (*value) out = **value;
  return {};
}

Status ReadOptionalNumber(const json& object, std::string_view name, double max,
                          std::optional<double>& out) {
  auto value = NumberField(object, name, 0, max);
  if (!value) return value.error();
  if (*value) out = *value;
  return {};
}

Status ReadInt(const json& object, std::string_view name, std::int64_t min, int& out) {
  auto value = IntField(object, name, min, kMaxUnits);
  if (!value) return value.error();
  if (*value) out = **value;
  return {};
}

Status ReadOptionalInt(const json& object, std::string_view name, std::optional<int>& out) {
  auto value = IntField(object, name, 1, kMaxUnits);
  if (!value) return value.error();
  if (*value) out = *value;
  return {};
}

Status ReadMinutes(const json& object, std::string_view name, std::chrono::minutes& out) {
  auto value = IntField(object, name, 0, kMaxMinutes);
  if (!value) return value.error();
  if (*value) out = std::chrono::minutes{**value};
  return {};
}

Status ReadOptionalMinutes(const json& object, std::string_view name,
                           std::optional<std::chrono::minutes>& out) {
  auto value = IntField(object, name, 0, kMaxMinutes);
  if (!value) return value.error();
  if (*value) out = std::chrono::minutes{**value};
  return {};
}

Status ReadBehavior(const json& object, forecasting::MaxCapacityBehavior& out) {
  auto text = StringField(object, "max_capacity_behavior");
  if (!text) return text.error();
  if (!*text) return {};
  if (**text == "honor") {
    out = forecasting::MaxCapacityBehavior::kHonor;
  } else if (**text == "raise") {
    out = forecasting::MaxCapacityBehavior::kRaise;
  } else {
    return InvalidArgument("field 'max_capacity_behavior' must be honor or raise, not " +
                           QuotedInput(**text));
  }
  return {};
}

Status ReadMode(const json& object, forecasting::PlanMode& out) {
  auto text = StringField(object, "mode");
  if (!text) return text.error();
  if (!*text) return {};
  if (**text == "recommend") {
    out = forecasting::PlanMode::kRecommend;
  } else if (**text == "forecast_only") {
    out = forecasting::PlanMode::kForecastOnly;
  } else {
    return InvalidArgument("field 'mode' must be forecast_only or recommend, not " +
                           QuotedInput(**text));
  }
  return {};
}

json OptionalJson(const auto& value) { return value ? json(*value) : json(nullptr); }

}  // namespace

Status ReadCapacityModel(const json& object, forecasting::CapacityModel& model) {
  const Status reads[] = {
      ReadNumber(object, "unit_capacity", kMaxRate, model.unit_capacity),
      ReadNumber(object, "headroom", kMaxFraction, model.headroom),
      ReadNumber(object, "quantile", 1, model.quantile),
      ReadInt(object, "min_units", 0, model.min_units),
      ReadInt(object, "max_units", 1, model.max_units),
      ReadBehavior(object, model.max_capacity_behavior),
      ReadNumber(object, "raise_buffer", kMaxFraction, model.raise_buffer),
      ReadMinutes(object, "lead_time_minutes", model.lead_time),
      ReadOptionalInt(object, "max_step_units", model.max_step_units),
      ReadOptionalNumber(object, "max_units_per_minute", kMaxRate, model.max_units_per_minute),
      ReadOptionalMinutes(object, "hold_after_event_minutes", model.hold_after_event),
      ReadNumber(object, "scale_in_step_fraction", 1, model.scale_in_step_fraction),
      ReadMinutes(object, "min_action_interval_minutes", model.min_action_interval),
      ReadOptionalNumber(object, "unit_cost_per_hour", kMaxUnitCostPerHour,
                         model.unit_cost_per_hour),
      ReadMode(object, model.mode)};
  for (const Status& read : reads) {
    if (!read) return read;
  }
  return {};
}

json CapacityModelJson(const forecasting::CapacityModel& model) {
  const json hold = model.hold_after_event ? json(model.hold_after_event->count()) : json(nullptr);
  return {{"unit_capacity", model.unit_capacity},
          {"headroom", model.headroom},
          {"quantile", model.quantile},
          {"min_units", model.min_units},
          {"max_units", model.max_units},
          {"max_capacity_behavior", forecasting::ToString(model.max_capacity_behavior)},
          {"raise_buffer", model.raise_buffer},
          {"lead_time_minutes", model.lead_time.count()},
          {"max_step_units", OptionalJson(model.max_step_units)},
          {"max_units_per_minute", OptionalJson(model.max_units_per_minute)},
          {"hold_after_event_minutes", hold},
          {"scale_in_step_fraction", model.scale_in_step_fraction},
          {"min_action_interval_minutes", model.min_action_interval.count()},
          {"unit_cost_per_hour", OptionalJson(model.unit_cost_per_hour)},
          {"mode", forecasting::ToString(model.mode)}};
}

}  // namespace patchcast::api
