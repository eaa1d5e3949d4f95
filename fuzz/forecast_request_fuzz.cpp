// Fuzzes the bodies of POST /v1/series/{id}/forecast and …/backtest as the routes read them
// (ParseJsonObject allowing an empty body, then ParseForecastRequest or ParseBacktestRequest),
// and runs each accepted forecast request on ForecastFixture's series, rendering the document
// and its CSV. Beyond never crashing: accepted requests hold the documented ranges, and a
// forecast has a point per step of its horizon with ascending, finite, non-negative quantiles,
// each level under a name (p50, p99.9) of its own, and its document reads back into the record
// it renders.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "api/forecast_document.h"
#include "api/forecast_json.h"
#include "api/json_body.h"
#include "fuzz/forecast_fixture.h"
#include "fuzz/fuzz_support.h"

namespace patchcast::fuzz {
namespace {

void ExpectSoundForecast(const forecasting::ForecastQuery& query,
                         const forecasting::ForecastRun& run) {
  const forecasting::Forecast& forecast = run.forecast;
  Expect(forecast.points.size() == static_cast<std::size_t>(query.horizon / std::chrono::hours{1}),
         "a forecast has a point per step of its horizon");
  Expect(std::is_sorted(forecast.quantile_levels.begin(), forecast.quantile_levels.end()),
         "quantile levels ascend");
  for (const forecasting::ForecastPoint& point : forecast.points) {
    Expect(point.quantiles.size() == forecast.quantile_levels.size(), "a quantile per level");
    Expect(std::all_of(point.quantiles.begin(), point.quantiles.end(),
                       [](double q) { return std::isfinite(q) && q >= 0; }),
           "quantiles are finite and not negative");
    Expect(std::is_sorted(point.quantiles.begin(), point.quantiles.end()), "quantiles ascend");
  }
  const forecasting::ForecastRecord record{.id = "fc-1",
                                           .series_id = query.series_id,
                                           .as_of = run.as_of,
                                           .generated_at = run.as_of,
                                           .step = std::chrono::hours{1},
                                           .hypothetical = false,
                                           .forecast = forecast};
  const nlohmann::json document = api::ForecastDocument(record);
  std::set<std::string> keys;
  for (double level : forecast.quantile_levels) keys.insert(api::QuantileKey(level));
  Expect(keys.size() == forecast.quantile_levels.size(),
         "each quantile level has a column of its own in the document");
  const auto read = api::ReadForecastDocument(document.dump());
  Expect(read.has_value() && api::ForecastDocument(*read).dump() == document.dump(),
         "a forecast document reads back into the record it renders");
  (void)api::ForecastCsv(record);
}

void CheckForecast(const ForecastFixture& fixture, const nlohmann::json& body) {
  const auto query = api::ParseForecastRequest(ForecastFixture::kSeriesId, body);
  if (!query) {
    Expect(!query.error().message.empty(), "a refused request has a reason");
    return;
  }
  Expect(query->horizon > std::chrono::seconds{0} && query->horizon <= api::kMaxHorizon,
         "an accepted horizon is in range");
  Expect(std::all_of(query->quantiles.begin(), query->quantiles.end(),
                     [](double level) { return level > 0 && level < 1; }),
         "accepted quantiles lie in (0, 1)");
  const auto run = fixture.service.Forecast(*query);
  if (run) ExpectSoundForecast(*query, *run);
}

void CheckBacktest(const nlohmann::json& body) {
  const auto query = api::ParseBacktestRequest(ForecastFixture::kSeriesId, body);
  if (!query) return;
  Expect(query->events >= 1 && query->events <= 60, "accepted events are in range");
  Expect(query->horizon > std::chrono::seconds{0} && query->horizon <= api::kMaxHorizon,
         "an accepted horizon is in range");
}

void Check(std::string_view text) {
  static const ForecastFixture* const fixture = new ForecastFixture();  // once; never destroyed
  const auto body = api::ParseJsonObject(text, /*allow_empty=*/true);
  if (!body) return;
  CheckForecast(*fixture, *body);
  CheckBacktest(*body);
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(patchcast::fuzz::AsText(data, size));
  return 0;
}
