// The size and range bounds on request fields (issue 13): every stored text field has a length
// limit and every number a range, each refused with a message naming the field and the limit, and
// error messages echo at most a short prefix of the input.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/calendar_json.h"
#include "api/capacity_model_json.h"
#include "api/forecast_json.h"
#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/plan_request_json.h"
#include "api/query_params.h"
#include "api/quoted_input.h"
#include "api/reboot_prior_json.h"
#include "api/series_json.h"
#include "api/simulation_json.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// The message of a failed result, or "accepted".
template <typename T>
std::string MessageOf(const Result<T>& result) {
  return result ? std::string("accepted") : result.error().message;
}

json Annotate(std::string notes) {
  return {{"date", "2026-12-08"}, {"action", "annotate"}, {"notes", std::move(notes)}};
}

json Calendar(std::string name, std::string description) {
  return {{"id", "vendor-x"},
          {"name", std::move(name)},
          {"description", std::move(description)},
          {"timezone", "Europe/Berlin"},
          {"dates", {"2026-12-08T10:00"}}};
}

TEST_CASE("quoted input keeps short values whole and cuts long ones to a prefix and a length") {
  CHECK(QuotedInput("abc") == "'abc'");
  const std::string at_limit(kMaxQuotedInputBytes, 'a');
  CHECK(QuotedInput(at_limit) == "'" + at_limit + "'");
  const std::string huge(10'000'000, 'k');
  CHECK(QuotedInput(huge) == "'" + std::string(64, 'k') + "…' (10000000 bytes)");
  // A two-byte character across the cut is left out whole, not split.
  const std::string accented = std::string(63, 'e') + "é" + std::string(10, 'e');
  CHECK(QuotedInput(accented) == "'" + std::string(63, 'e') + "…' (75 bytes)");
}

TEST_CASE("error messages echo a short prefix of a huge unknown key or value") {
  const std::string huge(10'000'000, 'x');
  const std::string echoed = "'" + std::string(64, 'x') + "…' (10000000 bytes)";
  SUBCASE("an unknown field of a request body") {
    const std::string message = MessageOf(ParseSeriesMetadata("s", json{{huge, 1}}));
    CHECK(message == "unknown field " + echoed + " in the request body");
  }
  SUBCASE("an unknown field of a calendar definition") {
    json body = Calendar("Vendor X", "");
    body[huge] = 1;
    CHECK(MessageOf(ParseCalendarDefinition(body)) ==
          "unknown field " + echoed + " in the request body");
  }
  SUBCASE("an unknown field of an override") {
    json body = Annotate("n");
    body[huge] = 1;
    CHECK(MessageOf(ParseOverride(body, "vendor-x")) ==
          "unknown field " + echoed + " in the request body");
  }
  SUBCASE("an override action") {
    CHECK(MessageOf(ParseOverride(json{{"date", "2026-12-08"}, {"action", huge}}, "vendor-x")) ==
          "field 'action' is 10000000 bytes long; at most 200 are allowed");
  }
  SUBCASE("a capacity model mode") {
    forecasting::CapacityModel model;
    const Status read = ReadCapacityModel(json{{"mode", std::string(150, 'm')}}, model);
    REQUIRE_FALSE(read);
    CHECK(read.error().message == "field 'mode' must be forecast_only or recommend, not '" +
                                      std::string(64, 'm') + "…' (150 bytes)");
  }
  SUBCASE("an unknown query parameter") {
    Request request;
    request.query.emplace(huge, "1");
    const Status checked = CheckQuery(request, {"from"});
    REQUIRE_FALSE(checked);
    CHECK(checked.error().message ==
          "unknown query parameter " + echoed + " (this route takes from)");
  }
  SUBCASE("a number field given a huge string") {
    const std::string message = MessageOf(ParseForecastRequest("s", json{{"quantiles", {huge}}}));
    CHECK(message.size() < 200);
    CHECK(message.find("(10000002 bytes)") != std::string::npos);
  }
}

TEST_CASE("override notes are at most 4096 bytes") {
  CHECK(MessageOf(ParseOverride(Annotate(std::string(kMaxTextBytes, 'n')), "vendor-x")) ==
        "accepted");
  CHECK(MessageOf(ParseOverride(Annotate(std::string(kMaxTextBytes + 1, 'n')), "vendor-x")) ==
        "field 'notes' is 4097 bytes long; at most 4096 are allowed");
  json add = {{"date", "2026-12-10"},
              {"action", "add"},
              {"at", "2026-12-10T18:00:00Z"},
              {"notes", std::string(30'000'000, 'n')}};
  CHECK(MessageOf(ParseOverride(add, "vendor-x")) ==
        "field 'notes' is 30000000 bytes long; at most 4096 are allowed");
}

TEST_CASE("a calendar's name is at most 200 bytes and its description at most 4096") {
  const std::string name(kMaxNameBytes, 'n');
  const std::string description(kMaxTextBytes, 'd');
  CHECK(MessageOf(ParseCalendarDefinition(Calendar(name, description))) == "accepted");
  CHECK(MessageOf(ParseCalendarDefinition(Calendar(name + "n", description))) ==
        "field 'name' is 201 bytes long; at most 200 are allowed");
  CHECK(MessageOf(ParseCalendarDefinition(Calendar(name, description + "d"))) ==
        "field 'description' is 4097 bytes long; at most 4096 are allowed");
  json dates = Calendar("Vendor X", "");
  dates["dates"] = {"2026-12-08T10:00", std::string(kMaxNameBytes + 1, '2')};
  CHECK(MessageOf(ParseCalendarDefinition(dates)) ==
        "field 'dates'[1] is 201 bytes long; at most 200 are allowed");
}

TEST_CASE("a series description is refused at the edge past 4096 bytes") {
  CHECK(MessageOf(ParseSeriesMetadata(
            "s", json{{"description", std::string(kMaxTextBytes, 'd')}})) == "accepted");
  CHECK(MessageOf(
            ParseSeriesMetadata("s", json{{"description", std::string(kMaxTextBytes + 1, 'd')}})) ==
        "field 'description' is 4097 bytes long; at most 4096 are allowed");
}

TEST_CASE("forecast calendar ids and what-if event ids are at most 200 bytes") {
  const std::string id(kMaxNameBytes + 1, 'c');
  CHECK(MessageOf(ParseForecastRequest("s", json{{"calendars", {"microsoft", id}}})) ==
        "field 'calendars'[1] is 201 bytes long; at most 200 are allowed");
  CHECK(MessageOf(
            ParseForecastRequest("s", json{{"what_if", {{"event_id", id}, {"multiplier", 2}}}})) ==
        "field 'event_id' is 201 bytes long; at most 200 are allowed");
}

// Found with the invariant of fuzz/forecast_request_fuzz.cpp: 0.5 and 0.5000000001 were both named
// p50, so the forecast document had one column for two levels.
TEST_CASE("quantile levels that documents would name alike are refused or merged") {
  CHECK(MessageOf(ParseForecastRequest("s", json::parse(R"({"quantiles":[0.5,0.5000000001]})"))) ==
        "field 'quantiles'[1] is too close to [0]: both would be named p50");
  const auto repeated = ParseForecastRequest("s", json::parse(R"({"quantiles":[0.9,0.5,0.9]})"));
  REQUIRE(repeated);
  CHECK(repeated->quantiles == std::vector<double>{0.9, 0.5, 0.9});  // the forecaster collapses
  const auto plan = ParsePlanRequest(
      "s", json::parse(R"({"unit_capacity":5,"quantile":0.9000000001,"horizon_hours":24})"));
  REQUIRE(plan);
  CHECK(plan->forecast.quantiles == std::vector<double>{0.5, 0.9, 0.99});
  CHECK(plan->model.quantile == 0.9000000001);
}

// Each capacity-model number with its largest accepted value and the message one over it gives.
struct NumberBound {
  const char* field;
  double max;
  double over;
  const char* message;
};

TEST_CASE("every capacity model number has a range naming the field and the range") {
  const NumberBound bounds[] = {
      {"headroom", 10, 1e308, "field 'headroom' must be between 0 and 10, not 1e+308"},
      {"unit_capacity", 1e9, 1.5e9,
       "field 'unit_capacity' must be between 0 and 1e+09, not 1500000000.0"},
      {"raise_buffer", 10, 10.5, "field 'raise_buffer' must be between 0 and 10, not 10.5"},
      {"quantile", 0.999, 2, "field 'quantile' must be between 0 and 1, not 2.0"},
      {"scale_in_step_fraction", 1, 1.25,
       "field 'scale_in_step_fraction' must be between 0 and 1, not 1.25"},
      {"max_units_per_minute", 1e9, 1e10,
       "field 'max_units_per_minute' must be between 0 and 1e+09, not 10000000000.0"},
      {"unit_cost_per_hour", 1e9, 1e300,
       "field 'unit_cost_per_hour' must be between 0 and 1e+09, not 1e+300"},
  };
  for (const NumberBound& bound : bounds) {
    CAPTURE(bound.field);
    forecasting::CapacityModel model;
    CHECK(ReadCapacityModel(json{{bound.field, bound.max}}, model));
    const Status over = ReadCapacityModel(json{{bound.field, bound.over}}, model);
    REQUIRE_FALSE(over);
    CHECK(over.error().message == bound.message);
    const Status negative = ReadCapacityModel(json{{bound.field, -1}}, model);
    REQUIRE_FALSE(negative);
    CHECK(negative.error().message.find("'" + std::string(bound.field) + "' must be between 0") !=
          std::string::npos);
  }
}

TEST_CASE("every capacity model integer has a range naming the field and the range") {
  const std::pair<const char*, std::int64_t> bounds[] = {
      {"min_units", 1'000'000'000},         {"max_units", 1'000'000'000},
      {"max_step_units", 1'000'000'000},    {"lead_time_minutes", 44'640},
      {"hold_after_event_minutes", 44'640}, {"min_action_interval_minutes", 44'640},
  };
  for (const auto& bound : bounds) {
    const char* field = bound.first;
    const std::int64_t max = bound.second;
    CAPTURE(field);
    forecasting::CapacityModel model;
    CHECK(ReadCapacityModel(json{{field, max}}, model));
    const Status over = ReadCapacityModel(json{{field, max + 1}}, model);
    REQUIRE_FALSE(over);
    CHECK(over.error().message.find("field '" + std::string(field) + "' must be between ") == 0);
    CHECK(over.error().message.find(" and " + std::to_string(max) + ", not " +
                                    std::to_string(max + 1)) != std::string::npos);
  }
}

TEST_CASE("a plan with headroom 1e308 is refused, naming the field and its range") {
  const json body = {{"unit_capacity", 5}, {"horizon_hours", 2}, {"headroom", 1e308}};
  CHECK(MessageOf(ParsePlanRequest("s", body)) ==
        "field 'headroom' must be between 0 and 10, not 1e+308");
  CHECK(MessageOf(ParsePlanRequest(
            "s", json{{"unit_capacity", 5}, {"horizon_hours", 2}, {"headroom", 10}})) ==
        "accepted");
}

TEST_CASE("simulation rates are at most 1e9 logins per second") {
  const auto with = [](json demand_values, double unit_capacity, double limit) {
    return json{{"demand", {{"step_seconds", 60}, {"values", std::move(demand_values)}}},
                {"capacity", {{"units", 4}, {"unit_capacity", unit_capacity}}},
                {"admission_limit_per_s", limit}};
  };
  CHECK(MessageOf(ParseSimulationRequest(with({1e9}, 1e9, 1e9), std::nullopt)) == "accepted");
  CHECK(MessageOf(ParseSimulationRequest(with({1, 2e9}, 1, 1), std::nullopt)) ==
        "field 'demand.values'[1] must be a number between 0 and 1e+09, not '2000000000.0'");
  CHECK(MessageOf(ParseSimulationRequest(with({1}, 1e10, 1), std::nullopt)) ==
        "field 'unit_capacity' must be between 0 and 1e+09, not 10000000000.0");
  CHECK(MessageOf(ParseSimulationRequest(with({1}, 1, 1e300), std::nullopt)) ==
        "field 'admission_limit_per_s' must be between 0 and 1e+09, not 1e+300");
}

TEST_CASE("a reboot prior number far out of range is refused before validation") {
  CHECK(MessageOf(ParseRebootPrior(json{{"strength", 1e308}})) ==
        "field 'strength' must be between -1e+06 and 1e+06, not 1e+308");
  CHECK(MessageOf(ParseRebootPrior(json{{"strength", 100}})) == "accepted");
  // Inside the bound, the prior's own, narrower range applies and is named.
  CHECK(MessageOf(ParseRebootPrior(json{{"strength", 101}})).find("strength") != std::string::npos);
}

}  // namespace
}  // namespace patchcast::api
