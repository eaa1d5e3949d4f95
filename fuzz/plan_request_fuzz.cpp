// Fuzzes the body of POST /v1/series/{id}/plan as PlanMaker reads and runs it: ParseJsonObject,
// ParsePlanRequest (which reads the capacity model with ReadCapacityModel and validates it), a
// forecast of ForecastFixture's series, PlanCapacity, and the plan's document, CSV and KEDA
// answer; and the same body as a plan backtest request (ParsePlanBacktestRequest). Beyond never
// crashing: an accepted capacity model rendered back (CapacityModelJson) reads the same, each
// forecast level has a document name (QuantileKey) of its own, a plan has a bucket per forecast
// point with units >= 0, finite capacity and p_exceed in [0, 1], and its document reads back into
// the record it renders.
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "api/capacity_model_json.h"
#include "api/forecast_json.h"
#include "api/json_body.h"
#include "api/plan_backtest_json.h"
#include "api/plan_csv.h"
#include "api/plan_document.h"
#include "api/plan_ics.h"
#include "api/plan_request_json.h"
#include "forecasting/plan_in_service.h"
#include "fuzz/forecast_fixture.h"
#include "fuzz/fuzz_support.h"

namespace patchcast::fuzz {
namespace {

void ExpectModelRoundTrip(const forecasting::CapacityModel& model) {
  const nlohmann::json rendered = api::CapacityModelJson(model);
  forecasting::CapacityModel again;
  Expect(api::ReadCapacityModel(rendered, again).has_value() &&
             api::CapacityModelJson(again) == rendered,
         "a capacity model rendered back reads the same");
}

void ExpectSoundPlan(const api::PlanRequest& request, const forecasting::ForecastRun& run,
                     const forecasting::CapacityPlan& plan) {
  Expect(plan.buckets.size() == run.forecast.points.size(), "a bucket per forecast point");
  for (const forecasting::PlanBucket& bucket : plan.buckets) {
    Expect(bucket.units >= 0 && std::isfinite(bucket.capacity_logins_per_second),
           "units are not negative and capacity is finite");
    Expect(bucket.p_exceed >= 0 && bucket.p_exceed <= 1, "p_exceed is a probability");
  }
  const forecasting::PlanRecord record{
      .id = "plan-1",
      .series_id = "logins",
      .forecast_id = "fc-1",
      .as_of = run.as_of,
      .generated_at = run.as_of,
      .valid_until = forecasting::PlanValidUntil(run.as_of, request.forecast.horizon),
      .quantile = request.model.quantile,
      .unit_capacity = request.model.unit_capacity,
      .plan = plan};
  const nlohmann::json document = api::PlanDocument(record);
  const auto read = api::ReadPlanDocument(document.dump());
  Expect(read.has_value() && api::PlanDocument(*read).dump() == document.dump(),
         "a plan document reads back into the record it renders");
  (void)api::PlanCsv(record);
  (void)api::PlanIcs(record);
  Expect(forecasting::ReplicasAt(record, run.as_of).replicas >= 0, "a plan answers KEDA");
}

void CheckPlan(const ForecastFixture& fixture, const nlohmann::json& body) {
  const auto request = api::ParsePlanRequest(ForecastFixture::kSeriesId, body);
  if (!request) {
    Expect(!request.error().message.empty(), "a refused request has a reason");
    return;
  }
  ExpectModelRoundTrip(request->model);
  std::set<std::string> keys;
  for (double level : request->forecast.quantiles) keys.insert(api::QuantileKey(level));
  Expect(keys.size() == request->forecast.quantiles.size(),
         "each forecast level has a document name of its own");
  const auto run = fixture.service.Forecast(request->forecast);
  if (!run) return;
  const auto plan =
      forecasting::PlanCapacity(run->forecast, run->series.metadata.step_seconds, request->model);
  if (plan) ExpectSoundPlan(*request, *run, *plan);
}

void CheckPlanBacktest(const nlohmann::json& body) {
  const auto query = api::ParsePlanBacktestRequest(ForecastFixture::kSeriesId, body);
  if (!query) return;
  Expect(query->events >= 1 && query->events <= api::kMaxPlanBacktestEvents,
         "accepted events are in range");
  ExpectModelRoundTrip(query->model);
}

void Check(std::string_view text) {
  static const ForecastFixture* const fixture = new ForecastFixture();  // once; never destroyed
  const auto body = api::ParseJsonObject(text);
  if (!body) return;
  CheckPlan(*fixture, *body);
  CheckPlanBacktest(*body);
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(patchcast::fuzz::AsText(data, size));
  return 0;
}
