// The JSON mapping of the capacity model: every field is read over a base model, types and names
// are checked, and the rendered model reads back to an equal one.
#include "api/capacity_model_json.h"

#include <doctest/doctest.h>

#include <string>

namespace patchcast::api {
namespace {

using nlohmann::json;

bool SameModel(const forecasting::CapacityModel& a, const forecasting::CapacityModel& b) {
  return CapacityModelJson(a) == CapacityModelJson(b);
}

TEST_CASE("absent members keep the base model's values") {
  forecasting::CapacityModel model;
  model.unit_capacity = 7;
  model.max_step_units = 3;
  const forecasting::CapacityModel before = model;
  REQUIRE(ReadCapacityModel(json{{"headroom", 0.5}}, model));
  CHECK(model.headroom == 0.5);
  CHECK(model.unit_capacity == 7);
  CHECK(model.max_step_units == 3);
  model.headroom = before.headroom;
  CHECK(SameModel(model, before));
}

TEST_CASE("a rendered model reads back to the same model") {
  forecasting::CapacityModel model;
  model.unit_capacity = 12.5;
  model.headroom = 0.1;
  model.quantile = 0.95;
  model.min_units = 3;
  model.max_units = 99;
  model.max_capacity_behavior = forecasting::MaxCapacityBehavior::kRaise;
  model.raise_buffer = 0.3;
  model.lead_time = std::chrono::minutes{40};
  model.max_step_units = 4;
  model.max_units_per_minute = 0.5;
  model.hold_after_event = std::chrono::minutes{90};
  model.scale_in_step_fraction = 0.4;
  model.min_action_interval = std::chrono::minutes{5};
  model.unit_cost_per_hour = 1.25;
  model.mode = forecasting::PlanMode::kForecastOnly;
  const json rendered = CapacityModelJson(model);
  CHECK(rendered.size() == kCapacityModelFields.size());
  forecasting::CapacityModel read;
  REQUIRE(ReadCapacityModel(rendered, read));
  CHECK(SameModel(read, model));
  CHECK(read.hold_after_event == std::chrono::minutes{90});
  CHECK(read.mode == forecasting::PlanMode::kForecastOnly);
}

TEST_CASE("unset optional members render as null and read back unset") {
  const json rendered = CapacityModelJson(forecasting::CapacityModel{});
  CHECK(rendered["max_step_units"].is_null());
  CHECK(rendered["hold_after_event_minutes"].is_null());
  forecasting::CapacityModel read;
  read.max_step_units = 9;  // null leaves the base alone, as an absent member does
  REQUIRE(ReadCapacityModel(rendered, read));
  CHECK(read.max_step_units == 9);
}

TEST_CASE("wrong types and unknown names are refused naming the field") {
  forecasting::CapacityModel model;
  auto type = ReadCapacityModel(json{{"lead_time_minutes", "soon"}}, model);
  REQUIRE_FALSE(type);
  CHECK(type.error().message == "field 'lead_time_minutes' must be an integer, not string");
  auto mode = ReadCapacityModel(json{{"mode", "auto"}}, model);
  REQUIRE_FALSE(mode);
  CHECK(mode.error().message == "field 'mode' must be forecast_only or recommend, not 'auto'");
  auto number = ReadCapacityModel(json{{"headroom", true}}, model);
  REQUIRE_FALSE(number);
  CHECK(number.error().message.find("headroom") != std::string::npos);
}

}  // namespace
}  // namespace patchcast::api
