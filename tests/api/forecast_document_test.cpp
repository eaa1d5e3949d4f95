// The forecast document: a kept forecast rendered as the API serves and storage keeps it, read
// back into the same record (older formats included), and refused naming the part when it is not
// a forecast.
#include "api/forecast_document.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "api/point_text.h"

namespace patchcast::api {
namespace {

using forecasting::ForecastRecord;
using nlohmann::json;
using std::chrono::minutes;
using std::chrono::sys_seconds;

sys_seconds At(const char* text) { return *ParseRfc3339Seconds(text); }

// Two 5-minute points from 16:00 at levels 0.5, 0.9 and 0.99, explained, and one release under way.
ForecastRecord SampleRecord() {
  ForecastRecord record{.id = "fc-1",
                        .series_id = "web",
                        .as_of = At("2026-12-08T16:00:00Z"),
                        .generated_at = At("2026-12-08T16:00:07Z"),
                        .step = minutes{5},
                        .hypothetical = true,
                        .forecast = {}};
  forecasting::Forecast& forecast = record.forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  forecast.points = {{At("2026-12-08T16:00:00Z"), 90, {100, 130, 170}},
                     {At("2026-12-08T16:05:00Z"), 90, {400, 520, 610.5}}};
  forecast.explanations = {{90, {{"ev-1", 10}}, 1}, {90, {{"ev-1", 310}, {"ev-2", 0.25}}, 2}};
  forecasting::EventForecast release;
  release.id = "microsoft:2026-12-08:release";
  release.calendar_id = "microsoft";
  release.kind = calendars::EventKind::kRelease;
  release.start = At("2026-12-08T18:00:00Z");
  release.peak = {At("2026-12-08T16:05:00Z"),
                  {400, 520, 610.5},
                  {At("2026-12-08T16:00:00Z"), At("2026-12-08T16:10:00Z")}};
  release.lift_p50 = 4.4;
  release.magnitude = 1.2;
  release.observed_share = 0.125;
  release.observed_scale = 1.05;
  release.observed_zones = {"Europe/Berlin", "Asia/Tokyo"};
  release.prior_weight = 0.5;
  release.events_used = 11;
  forecast.events = {release};
  forecast.model = {forecasting::ModelKind::kBlended, 11, 0.5, At("2025-11-03T00:00:00Z"),
                    At("2026-12-08T16:00:00Z")};
  return record;
}

std::string ErrorOf(const json& document) {
  auto read = ReadForecastDocument(document.dump());
  REQUIRE_FALSE(read);
  CHECK(read.error().code == ErrorCode::kInternal);
  return read.error().message;
}

TEST_CASE("a forecast document names each quantile level and carries points, events and model") {
  const json document = ForecastDocument(SampleRecord());
  CHECK(document["id"] == "fc-1");
  CHECK(document["step_seconds"] == 300);
  CHECK(document["hypothetical"] == true);
  CHECK(document["quantiles"] == json{0.5, 0.9, 0.99});
  CHECK(document["points"][1] == json{{"ts", "2026-12-08T16:05:00Z"},
                                      {"baseline", 90.0},
                                      {"p50", 400.0},
                                      {"p90", 520.0},
                                      {"p99", 610.5},
                                      {"explain",
                                       {{"baseline", 90.0},
                                        {"uplift", {{"ev-1", 310.0}, {"ev-2", 0.25}}},
                                        {"severity", 2.0}}}});
  CHECK(document["events"][0]["peak"]["window"]["p90"] == "2026-12-08T16:10:00Z");
  CHECK(document["events"][0]["kind"] == "release");
  CHECK(document["model"]["kind"] == "blended");
}

TEST_CASE("a forecast document reads back into the record it was rendered from") {
  const ForecastRecord record = SampleRecord();
  const std::string text = ForecastDocument(record).dump();
  auto read = ReadForecastDocument(text);
  REQUIRE(read);
  CHECK(*read == record);
  CHECK(ForecastDocument(*read).dump() == text);
}

TEST_CASE("values are rounded to hundredths, and uplifts come back in order of event id") {
  ForecastRecord record = SampleRecord();
  record.forecast.points[0].quantiles[2] = 170.456;
  record.forecast.explanations[1].uplifts = {{"ev-2", 0.25}, {"ev-1", 310}};
  auto read = ReadForecastDocument(ForecastDocument(record).dump());
  REQUIRE(read);
  CHECK(read->forecast.points[0].quantiles[2] == 170.46);
  CHECK(read->forecast.explanations[1].uplifts ==
        std::vector<forecasting::EventUplift>{{"ev-1", 310}, {"ev-2", 0.25}});
}

// Found by the forecast_request fuzz target: an event's lift over a zero baseline is infinite,
// which JSON writes as null.
TEST_CASE("a number that is not finite is written as null and reads back as NaN") {
  ForecastRecord record = SampleRecord();
  record.forecast.events[0].lift_p50 = std::numeric_limits<double>::infinity();
  const std::string text = ForecastDocument(record).dump();
  const json document = json::parse(text);
  CHECK(document["events"][0]["lift_p50"].is_null());
  auto read = ReadForecastDocument(text);
  REQUIRE(read);
  CHECK(std::isnan(read->forecast.events[0].lift_p50));
  CHECK(ForecastDocument(*read).dump() == text);
  json wrong = document;
  wrong["events"][0]["lift_p50"] = "high";
  CHECK(ErrorOf(wrong).find("event 0 'lift_p50' is not a number") != std::string::npos);
}

TEST_CASE("an older document, without hypothetical or the observed update, still reads") {
  json document = ForecastDocument(SampleRecord());
  document.erase("hypothetical");
  document["events"][0].erase("observed_share");
  document["events"][0].erase("observed_scale");
  document["events"][0].erase("observed_zones");
  auto read = ReadForecastDocument(document.dump());
  REQUIRE(read);
  CHECK_FALSE(read->hypothetical);
  CHECK(read->forecast.events[0].observed_share == 0);
  CHECK(read->forecast.events[0].observed_scale == 1);
  CHECK(read->forecast.events[0].observed_zones.empty());
  CHECK(read->forecast.points == SampleRecord().forecast.points);
}

TEST_CASE("observed zones that are not strings are refused by name") {
  json document = ForecastDocument(SampleRecord());
  document["events"][0]["observed_zones"] = json::array({"Europe/Berlin", 3});
  CHECK(ErrorOf(document).find("'observed_zones' is not an array of strings") != std::string::npos);
}

TEST_CASE("a document that is not a forecast is refused naming what is wrong") {
  const json good = ForecastDocument(SampleRecord());
  CHECK_FALSE(ReadForecastDocument("[1,"));
  CHECK(ErrorOf(json::array()).find("not a JSON object") != std::string::npos);
  json document = good;
  document.erase("points");
  CHECK(ErrorOf(document) == "stored forecast document 'fc-1': the document has no 'points'");
  document = good;
  document["points"][1].erase("p99");
  CHECK(ErrorOf(document) == "stored forecast document 'fc-1': point 1 has no 'p99'");
  document = good;
  document["quantiles"] = {0.9, 0.5, 0.99};
  CHECK(ErrorOf(document).find("'quantiles' is not ascending levels in (0, 1)") !=
        std::string::npos);
  document = good;
  document["events"][0]["kind"] = "eclipse";
  CHECK(ErrorOf(document).find("event 0 'kind' is not an event kind") != std::string::npos);
  document = good;
  document["model"]["kind"] = "oracle";
  CHECK(ErrorOf(document).find("model 'kind'") != std::string::npos);
  document = good;
  std::swap(document["points"][0], document["points"][1]);
  CHECK(ErrorOf(document).find("point 1 does not start after the one before") != std::string::npos);
  document = good;
  document["points"][0].erase("explain");
  CHECK(ErrorOf(document).find("some points are explained and others not") != std::string::npos);
}

TEST_CASE("the CSV of a forecast has a column per level and a row per point") {
  CHECK(ForecastCsv(SampleRecord()) ==
        "ts,baseline,p50,p90,p99\n"
        "2026-12-08T16:00:00Z,90.0,100.0,130.0,170.0\n"
        "2026-12-08T16:05:00Z,90.0,400.0,520.0,610.5\n");
}

}  // namespace
}  // namespace patchcast::api
