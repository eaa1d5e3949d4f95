// The JSON mapping of login-storm simulations: requests are read with their limits and fields
// named.
#include "api/simulation_json.h"

#include <doctest/doctest.h>

#include <string>

namespace patchcast::api {
namespace {

using nlohmann::json;

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

}  // namespace
}  // namespace patchcast::api
