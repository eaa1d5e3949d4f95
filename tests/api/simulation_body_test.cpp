#include "api/simulation_body.h"

#include <doctest/doctest.h>

#include <string>

#include "api/simulation_json.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

constexpr JsonLimits kLimits{.max_values = 1'000};

SimulationBody Parsed(const std::string& text) {
  auto body = ParseSimulationBody(text, kLimits);
  REQUIRE(body);
  return std::move(*body);
}

TEST_CASE("demand values are read into numbers and left out of the document") {
  const SimulationBody body = Parsed(
      R"({"demand":{"step_seconds":60,"values":[1,2.5,3]},"capacity":{"units":2,"unit_capacity":5}})");
  REQUIRE(body.demand_values);
  CHECK(body.demand_values->numbers == std::vector<double>{1, 2.5, 3});
  CHECK(body.demand_values->count == 3);
  CHECK_FALSE(body.demand_values->first_non_number);
  CHECK(body.document["demand"]["values"] == json::array());
  CHECK(body.document["demand"]["step_seconds"] == 60);
  CHECK(body.document["capacity"]["units"] == 2);
}

TEST_CASE("the first element that is not a number is kept with its place") {
  const SimulationBody body = Parsed(R"({"demand":{"values":[1,[2],"x",4]}})");
  REQUIRE(body.demand_values);
  CHECK(body.demand_values->numbers == std::vector<double>{1});
  CHECK(body.demand_values->count == 4);
  CHECK(body.demand_values->first_non_number == 1u);
  CHECK(body.demand_values->first_non_number_json == "[2]");
}

TEST_CASE("only demand.values is diverted") {
  const SimulationBody body =
      Parsed(R"({"capacity":{"values":[1]},"demand":{"x":{"values":[2]},"values":5}})");
  CHECK_FALSE(body.demand_values);
  CHECK(body.document["capacity"]["values"] == json::array({1}));
  CHECK(body.document["demand"]["x"]["values"] == json::array({2}));
  CHECK(body.document["demand"]["values"] == 5);
}

TEST_CASE("when values is given twice the last array counts, as in a document") {
  const SimulationBody body = Parsed(R"({"demand":{"values":[1,2],"values":[7]}})");
  REQUIRE(body.demand_values);
  CHECK(body.demand_values->numbers == std::vector<double>{7});
  CHECK(json::parse(R"({"values":[1,2],"values":[7]})")["values"] == json::array({7}));
}

TEST_CASE("limits and syntax are checked as for any JSON body") {
  CHECK_FALSE(ParseSimulationBody(R"({"demand":)", kLimits));
  CHECK_FALSE(ParseSimulationBody("[1]", kLimits));
  std::string many = R"({"demand":{"values":[0)";
  for (int i = 0; i < 1'000; ++i) many += ",0";
  CHECK_FALSE(ParseSimulationBody(many + "]}}", kLimits));
}

// The route reads bodies with ParseSimulationBody, tests and tools often with a document: both must
// give the same input, and the same errors.
TEST_CASE("a simulation request reads the same from a diverted body and from a document") {
  const auto message = [](const Result<forecasting::LoginStormInput>& input) {
    return input ? std::string("accepted") : input.error().message;
  };
  for (const std::string values :
       {"[1,2,3]", "[]", "[1,-2,3]", "[1,2e9]", "[1,\"x\",-5]", "[-5,\"x\"]", "[1,null]", "7"}) {
    CAPTURE(values);
    const std::string text = R"({"demand":{"step_seconds":60,"values":)" + values +
                             R"(},"capacity":{"units":2,"unit_capacity":5}})";
    const auto from_document = ParseSimulationRequest(json::parse(text), std::nullopt);
    const auto from_body = ParseSimulationRequest(Parsed(text), std::nullopt);
    CHECK(message(from_body) == message(from_document));
    if (from_body && from_document) {
      CHECK(from_body->demand.per_second == from_document->demand.per_second);
    }
  }
}

}  // namespace
}  // namespace patchcast::api
