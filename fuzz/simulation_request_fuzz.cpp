// Fuzzes the body of POST /v1/simulations as its route reads it: ParseSimulationBody,
// ParseForecastDemandRequest, then ParseSimulationRequest, with a fixed rate standing in for a
// stored forecast ("demand": {"forecast_id"}) or plan ("capacity": {"plan_id"}) the route would
// look up. Accepted requests of up to an hour are simulated (SimulateLoginStorm), those of up to
// ten minutes also get RecommendStormPolicy and the report. Beyond never crashing: accepted
// inputs hold the documented limits, and a report's counts are finite and not negative.
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "api/simulation_body.h"
#include "api/simulation_json.h"
#include "fuzz/fuzz_support.h"

namespace patchcast::fuzz {
namespace {

// A ten-minute surge at one-minute steps, in fresh logins per second.
forecasting::RateSeries StoredDemand(double multiplier) {
  forecasting::RateSeries demand{std::chrono::minutes{1}, {5, 5, 50, 400, 900, 600, 200, 50, 5, 5}};
  for (double& rate : demand.per_second) rate *= multiplier;
  return demand;
}

// The route resolves {"capacity": {"plan_id": string}} to the plan's capacity.
std::optional<forecasting::RateSeries> StoredPlanCapacity(const nlohmann::json& body) {
  const auto capacity = body.find("capacity");
  if (capacity == body.end() || !capacity->is_object() || !capacity->contains("plan_id")) {
    return std::nullopt;
  }
  return forecasting::RateSeries{std::chrono::minutes{5}, {100, 300, 800}};
}

void ExpectSoundReport(const forecasting::LoginStormReport& report) {
  for (double count :
       {report.fresh_logins, report.attempts, report.succeeded_logins, report.failed_logins,
        report.rejected_attempts, report.wasted_work, report.max_queue, report.p99_wait_seconds}) {
    Expect(std::isfinite(count) && count >= 0, "report counts are finite and not negative");
  }
  Expect(std::isfinite(report.retry_amplification) && report.retry_amplification >= 0,
         "retry amplification is finite");
}

void Check(std::string_view text) {
  auto body = api::ParseSimulationBody(text, {});
  if (!body) return;
  const auto demand_request = api::ParseForecastDemandRequest(body->document);
  if (!demand_request) return;
  std::optional<forecasting::RateSeries> demand;
  if (*demand_request) {
    Expect((*demand_request)->quantile > 0 && (*demand_request)->quantile < 1 &&
               (*demand_request)->multiplier > 0 && (*demand_request)->multiplier <= 100,
           "an accepted forecast demand is in range");
    demand = StoredDemand((*demand_request)->multiplier);
  }
  auto capacity = StoredPlanCapacity(body->document);
  const auto input = api::ParseSimulationRequest(std::move(*body), std::move(capacity), demand);
  if (!input) {
    Expect(!input.error().message.empty(), "a refused request has a reason");
    return;
  }
  const std::chrono::seconds span =
      static_cast<std::int64_t>(input->demand.per_second.size()) * input->demand.step;
  Expect(span <= api::kMaxSimulation, "an accepted simulation is at most 7 days long");
  if (span > std::chrono::hours{1}) return;
  const auto report = forecasting::SimulateLoginStorm(*input);
  if (!report) return;
  ExpectSoundReport(*report);
  if (span > std::chrono::minutes{10}) return;
  const auto recommendation = forecasting::RecommendStormPolicy(*input);
  if (!recommendation) return;
  ExpectSoundReport(recommendation->outcome);
  (void)api::SimulationJson(*report, *recommendation).dump();
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(patchcast::fuzz::AsText(data, size));
  return 0;
}
