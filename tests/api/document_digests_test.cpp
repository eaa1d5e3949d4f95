// Digests of stored plan and forecast documents: each is the domain's compact view of what the
// document holds (the same as reading the whole document and taking the view), and malformed
// documents are refused.
#include "api/document_digests.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/forecast_document.h"
#include "api/plan_document.h"
#include "api/point_text.h"
#include "tests/forecasting/plan_record_fixture.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;

sys_seconds At(const std::string& text) {
  auto parsed = ParseRfc3339Seconds(text);
  REQUIRE(parsed);
  return *parsed;
}

// Four 5-minute buckets from 16:00 wanting 2, 5, 9 and 4 units (the third at risk: a nested
// "shortfall" object the digest must step over); fallback 7; generated at 15:30, valid until
// 16:12.
std::string StoredPlanDocument() {
  forecasting::PlanRecord record = forecasting::testing::SamplePlanRecord();
  record.generated_at = At("2026-12-08T15:30:00Z");
  record.valid_until = At("2026-12-08T16:12:00Z");
  std::vector<forecasting::PlanBucket>& buckets = record.plan.buckets;
  buckets.push_back(buckets.back());
  buckets.back().ts += minutes{5};
  const int units[] = {2, 5, 9, 4};
  for (int i = 0; i < 4; ++i) {
    buckets[i].units = units[i];
    buckets[i].at_risk = i == 2;
    buckets[i].shortfall_units = i == 2 ? 3 : 0;
  }
  record.plan.fallback_units = 7;
  return PlanDocument(record).dump();
}

TEST_CASE("a plan's digest is the compact view of the plan its document holds") {
  const std::string document = StoredPlanDocument();
  auto digest = DigestPlanDocument(document);
  REQUIRE(digest);
  CHECK(digest->units == std::vector<int>{2, 5, 9, 4});
  CHECK(digest->step == minutes{5});
  CHECK(digest->fallback_units == 7);
  CHECK(digest->generated_at == At("2026-12-08T15:30:00Z"));
  CHECK(digest->valid_until == At("2026-12-08T16:12:00Z"));
  auto record = ReadPlanDocument(document);
  REQUIRE(record);
  CHECK(*digest == forecasting::PlannedUnitsOf(*record));
}

TEST_CASE("a malformed plan document is refused as an internal error") {
  json plan = json::parse(StoredPlanDocument());
  const auto refused = [](const std::string& text) {
    auto digest = DigestPlanDocument(text);
    REQUIRE_FALSE(digest);
    CHECK(digest.error().code == ErrorCode::kInternal);
    return digest.error().message;
  };
  CHECK(refused("{not json").find("stored plan document") != std::string::npos);
  CHECK(refused("[]").find("not an object") != std::string::npos);
  json no_buckets = plan;
  no_buckets["buckets"] = json::array();
  CHECK(refused(no_buckets.dump()).find("no buckets") != std::string::npos);
  json no_units = plan;
  no_units["buckets"][1].erase("units");
  CHECK(refused(no_units.dump()).find("2026-12-08T16:05:00Z has no integer units") !=
        std::string::npos);
  json disordered = plan;
  std::swap(disordered["buckets"][1], disordered["buckets"][2]);
  CHECK(refused(disordered.dump()).find("not in order") != std::string::npos);
  json bad_time = plan;
  bad_time["valid_until"] = "tomorrow";
  CHECK(refused(bad_time.dump()).find("valid_until") != std::string::npos);
}

// Two 5-minute points from 16:00 at levels 0.5, 0.9 and 0.99.
std::string StoredForecastDocument() {
  forecasting::Forecast forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  forecast.points = {{At("2026-12-08T16:00:00Z"), 90, {100, 130, 170}},
                     {At("2026-12-08T16:05:00Z"), 90, {400, 520, 610.5}}};
  // Explanations nest objects in each point, which the digest steps over.
  forecast.explanations = {{90, {{"ev-1", 10}}, 1}, {90, {{"ev-1", 310}, {"ev-2", 1}}, 2}};
  const forecasting::ForecastRecord record{.id = "fc-1",
                                           .series_id = "web",
                                           .as_of = At("2026-12-08T15:55:00Z"),
                                           .generated_at = At("2026-12-08T15:56:00Z"),
                                           .step = minutes{5},
                                           .hypothetical = false,
                                           .forecast = std::move(forecast)};
  return ForecastDocument(record).dump();
}

TEST_CASE("a forecast's digest is the compact view of the forecast its document holds") {
  auto digest = DigestForecastDocument(StoredForecastDocument());
  REQUIRE(digest);
  CHECK(*digest ==
        forecasting::ForecastQuantiles{minutes{5},
                                       {0.5, 0.9, 0.99},
                                       {At("2026-12-08T16:00:00Z"), At("2026-12-08T16:05:00Z")},
                                       {100, 130, 170, 400, 520, 610.5}});
}

TEST_CASE("forecast levels are read in ascending order whatever the document's order") {
  json document = json::parse(StoredForecastDocument());
  document["quantiles"] = {0.99, 0.5, 0.9};
  auto digest = DigestForecastDocument(document.dump());
  REQUIRE(digest);
  CHECK(digest->levels == std::vector<double>{0.5, 0.9, 0.99});
  CHECK(digest->values == std::vector<double>{100, 130, 170, 400, 520, 610.5});
}

TEST_CASE("a malformed forecast document is refused as an internal error") {
  const json forecast = json::parse(StoredForecastDocument());
  const auto refused = [](const json& document) {
    auto digest = DigestForecastDocument(document.dump());
    REQUIRE_FALSE(digest);
    CHECK(digest.error().code == ErrorCode::kInternal);
    return digest.error().message;
  };
  json missing = forecast;
  missing["points"][1].erase("p99");
  CHECK(refused(missing).find("2026-12-08T16:05:00Z has no number p99") != std::string::npos);
  json no_step = forecast;
  no_step.erase("step_seconds");
  CHECK(refused(no_step).find("step_seconds") != std::string::npos);
  json no_levels = forecast;
  no_levels["quantiles"] = json::array();
  CHECK(refused(no_levels).find("no quantiles") != std::string::npos);
  CHECK_FALSE(DigestForecastDocument("").has_value());
}

}  // namespace
}  // namespace patchcast::api
