// The JSON mapping of login-storm simulations: requests are read with their limits and fields
// named.
#include "api/simulation_json.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "api/forecast_document.h"
#include "api/forecast_json.h"
#include "api/point_text.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;

TEST_CASE("a simulation request is read with its limits named") {
  SUBCASE("a valid request") {
    auto input = ParseSimulationRequest(json::parse(R"({
        "demand": {"step_seconds": 60, "values": [10, 20]},
        "capacity": {"units": 4, "unit_capacity": 25},
        "client": {"timeout_s": 10, "max_retries": 5, "backoff_base_s": 0, "backoff_cap_s": 0,
                   "jitter": "none"},
        "admission_limit_per_s": 90})"),
                                        std::nullopt);
    REQUIRE(input);
    CHECK(input->demand.step == std::chrono::seconds{60});
    CHECK(input->demand.per_second == std::vector<double>{10, 20});
    CHECK(input->capacity.per_second == std::vector<double>{100});
    CHECK(input->client.timeout == std::chrono::seconds{10});
    CHECK(input->client.max_retries == 5);
    CHECK(input->client.jitter == forecasting::Jitter::kNone);
    CHECK(input->admission_limit_per_second == 90);
  }
  SUBCASE("more than 7 days of demand") {
    json values = json::array();
    for (int i = 0; i < 10'081; ++i) values.push_back(1);
    auto input = ParseSimulationRequest({{"demand", {{"step_seconds", 60}, {"values", values}}},
                                         {"capacity", {{"units", 1}, {"unit_capacity", 1}}}},
                                        std::nullopt);
    REQUIRE_FALSE(input);
    CHECK(input.error().message.find("604800") != std::string::npos);
  }
  SUBCASE("a bad jitter") {
    auto input = ParseSimulationRequest(
        json::parse(R"({"demand":{"values":[1]},"capacity":{"units":1,"unit_capacity":1},
                        "client":{"jitter":"some"}})"),
        std::nullopt);
    REQUIRE_FALSE(input);
    CHECK(input.error().message.find("client.jitter") != std::string::npos);
  }
  SUBCASE("a missing capacity") {
    auto input = ParseSimulationRequest(json::parse(R"({"demand":{"values":[1]}})"), std::nullopt);
    REQUIRE_FALSE(input);
    CHECK(input.error().message.find("capacity") != std::string::npos);
  }
}

sys_seconds At(const std::string& text) {
  auto parsed = ParseRfc3339Seconds(text);
  REQUIRE(parsed);
  return *parsed;
}

// A stored forecast document of `points` 5-minute points from 16:00 at levels 0.5, 0.9 and 0.99:
// point i counts 300 (i + 1), 450 (i + 1) and 600 (i + 1) logins at those levels, i.e. 1, 1.5 and
// 2 logins per second times (i + 1).
std::string StoredForecastText(int points, const std::string& id = "fc-1") {
  forecasting::Forecast forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  for (int i = 0; i < points; ++i) {
    const double k = i + 1;
    forecast.points.push_back(
        {At("2026-12-08T16:00:00Z") + minutes{5 * i}, 250 * k, {300 * k, 450 * k, 600 * k}});
  }
  const forecasting::ForecastRecord record{.id = id,
                                           .series_id = "web",
                                           .as_of = At("2026-12-08T16:00:00Z"),
                                           .generated_at = At("2026-12-08T15:59:00Z"),
                                           .step = minutes{5},
                                           .hypothetical = false,
                                           .forecast = std::move(forecast)};
  return ForecastDocument(record).dump();
}

TEST_CASE("a demand naming a forecast is read with its quantile and multiplier checked") {
  const auto read = [](const std::string& demand) {
    return ParseForecastDemandRequest(json::parse(R"({"demand":)" + demand + "}"));
  };
  SUBCASE("defaults: the 0.99 quantile, as is") {
    auto request = read(R"({"forecast_id":"fc-1"})");
    REQUIRE(request);
    REQUIRE(request->has_value());
    CHECK((*request)->forecast_id == "fc-1");
    CHECK((*request)->quantile == 0.99);
    CHECK((*request)->multiplier == 1);
  }
  SUBCASE("given") {
    auto request = read(R"({"forecast_id":"fc-1","quantile":0.9,"multiplier":2.5})");
    REQUIRE(request);
    REQUIRE(request->has_value());
    CHECK((*request)->quantile == 0.9);
    CHECK((*request)->multiplier == 2.5);
  }
  SUBCASE("demand given as values, or no demand: not a forecast") {
    auto values = read(R"({"step_seconds":60,"values":[1]})");
    REQUIRE(values);
    CHECK_FALSE(values->has_value());
    auto none = ParseForecastDemandRequest(json::object());
    REQUIRE(none);
    CHECK_FALSE(none->has_value());
  }
  SUBCASE("bad fields are named") {
    const auto refused = [&](const std::string& demand, const std::string& part) {
      auto request = read(demand);
      REQUIRE_FALSE(request);
      CHECK(request.error().code == ErrorCode::kInvalidArgument);
      CHECK_MESSAGE(request.error().message.find(part) != std::string::npos,
                    request.error().message);
    };
    refused(R"({"forecast_id":"fc-1","quantile":1.5})", "demand.quantile");
    refused(R"({"forecast_id":"fc-1","quantile":0})", "demand.quantile");
    refused(R"({"forecast_id":"fc-1","quantile":"high"})", "demand.quantile");
    refused(R"({"forecast_id":"fc-1","multiplier":0})", "demand.multiplier");
    refused(R"({"forecast_id":"fc-1","multiplier":101})", "demand.multiplier");
    refused(R"({"forecast_id":""})", "demand.forecast_id");
    refused(R"({"forecast_id":7})", "demand.forecast_id");
    refused(R"({"forecast_id":"fc-1","values":[1]})", "values");
  }
}

TEST_CASE("a forecast's points become fresh logins per second at the quantile, scaled") {
  const std::string document = StoredForecastText(3);
  SUBCASE("at a stored level: count / step x multiplier") {
    auto demand = RateFromStoredForecast(document, {"fc-1", 0.99, 1.5});
    REQUIRE(demand);
    CHECK(demand->start == At("2026-12-08T16:00:00Z"));
    CHECK(demand->rate.step == minutes{5});
    REQUIRE(demand->rate.per_second.size() == 3);
    CHECK(demand->rate.per_second[0] == doctest::Approx(2 * 1.5));
    CHECK(demand->rate.per_second[2] == doctest::Approx(6 * 1.5));
    auto median = RateFromStoredForecast(document, {"fc-1", 0.5, 1});
    REQUIRE(median);
    CHECK(median->rate.per_second[1] == doctest::Approx(2));
  }
  SUBCASE("between stored levels: linear in the log-odds, as the planner reads quantiles") {
    auto demand = RateFromStoredForecast(document, {"fc-1", 0.95, 1});
    REQUIRE(demand);
    const auto logit = [](double p) { return std::log(p / (1 - p)); };
    const double t = (logit(0.95) - logit(0.9)) / (logit(0.99) - logit(0.9));
    CHECK(demand->rate.per_second[0] == doctest::Approx(1.5 + t * (2 - 1.5)));
    CHECK(demand->rate.per_second[0] > 1.5);
    CHECK(demand->rate.per_second[0] < 2);
  }
  SUBCASE("then simulated from its first point") {
    auto demand = RateFromStoredForecast(document, {"fc-1", 0.99, 1});
    REQUIRE(demand);
    auto input = ParseSimulationRequest(
        json::parse(
            R"({"demand":{"forecast_id":"fc-1"},"capacity":{"units":1,"unit_capacity":9}})"),
        std::nullopt, demand->rate);
    REQUIRE(input);
    CHECK(input->demand.step == minutes{5});
    CHECK(input->demand.per_second == demand->rate.per_second);
    CHECK(input->capacity.per_second == std::vector<double>{9});
  }
}

TEST_CASE("a forecast longer than 7 days is refused with the limit") {
  CHECK(RateFromStoredForecast(StoredForecastText(2016), {"fc-7d", 0.99, 1}));  // exactly 7 days
  auto demand = RateFromStoredForecast(StoredForecastText(2017, "fc-long"), {"fc-long", 0.99, 1});
  REQUIRE_FALSE(demand);
  CHECK(demand.error().code == ErrorCode::kInvalidArgument);
  CHECK(demand.error().message ==
        "field 'demand.forecast_id': forecast 'fc-long' covers 605100 s, more than the limit of "
        "604800 s (7 days)");
}

TEST_CASE("a forecast whose points are not one step apart is refused as malformed") {
  json document = json::parse(StoredForecastText(3));
  document["points"][2]["ts"] = "2026-12-08T16:20:00Z";
  auto demand = RateFromStoredForecast(document.dump(), {"fc-1", 0.99, 1});
  REQUIRE_FALSE(demand);
  CHECK(demand.error().code == ErrorCode::kInternal);
}

}  // namespace
}  // namespace patchcast::api
