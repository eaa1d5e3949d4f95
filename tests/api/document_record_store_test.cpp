// DocumentRecordStore: records kept as the API renders them, with the rendering's version, and read
// back through the same codec; a row of another version is refused by name.
#include "api/document_record_store.h"

#include <doctest/doctest.h>

#include "api/forecast_document.h"
#include "api/plan_document.h"
#include "tests/forecasting/plan_record_fixture.h"
#include "tests/support/in_memory_document_repository.h"

namespace patchcast::api {
namespace {

using forecasting::ForecastRecord;
using forecasting::PlanRecord;
using forecasting::testing::kPlanStart;

// A forecast of one 5-minute point at levels 0.5 and 0.99, hypothetical.
ForecastRecord SmallForecast() {
  ForecastRecord record{.id = "fc-9",
                        .series_id = "demo-login",
                        .as_of = kPlanStart,
                        .generated_at = kPlanStart + std::chrono::seconds{7},
                        .step = std::chrono::minutes{5},
                        .hypothetical = true,
                        .forecast = {}};
  record.forecast.quantile_levels = {0.5, 0.99};
  record.forecast.points = {{kPlanStart, 90, {100, 170}}};
  record.forecast.model.history_from = kPlanStart - std::chrono::days{30};
  record.forecast.model.history_to = kPlanStart;
  return record;
}

TEST_CASE("a kept forecast is its document at format 1, and reads back as the record") {
  testing::InMemoryForecastRepository documents;
  DocumentForecastStore store(documents);
  const ForecastRecord record = SmallForecast();
  REQUIRE(store.Keep(record));
  auto stored = documents.Get("fc-9");
  REQUIRE(stored);
  CHECK(*stored == StoredFormOf(record));
  CHECK(stored->document == ForecastDocument(record).dump());
  CHECK(stored->format == kDocumentFormat);
  CHECK(stored->hypothetical);
  CHECK_FALSE(stored->valid_until.has_value());
  auto read = store.Get("fc-9");
  REQUIRE_MESSAGE(read, read.error().message);
  CHECK(*read == record);
  // Hypothetical: never the latest.
  CHECK(store.Latest("demo-login").error().code == ErrorCode::kNotFound);
}

TEST_CASE("a forecast is first due for scoring at its first milestone; a what-if never is") {
  ForecastRecord record = SmallForecast();
  record.forecast.points.push_back({kPlanStart + std::chrono::days{4}, 90, {100, 170}});
  forecasting::EventForecast release;
  release.id = "release";
  release.start = kPlanStart;
  release.peak = {.ts = kPlanStart, .quantiles = {150, 200}, .window = {}};
  record.forecast.events = {release};
  CHECK_FALSE(StoredFormOf(record).score_at.has_value());
  record.hypothetical = false;
  const forecasting::StoredDocument stored = StoredFormOf(record);
  CHECK(stored.horizon_end == kPlanStart + std::chrono::days{4});
  // The release's 72-hour window ends between the two points: its last step is the first point.
  CHECK(stored.score_at == kPlanStart);
}

TEST_CASE("a kept plan is its document at format 1, with its validity, and reads back") {
  testing::InMemoryPlanRepository documents;
  DocumentPlanStore store(documents);
  const PlanRecord record = forecasting::testing::SamplePlanRecord();
  REQUIRE(store.Keep(record));
  auto stored = documents.Get("plan-1");
  REQUIRE(stored);
  CHECK(stored->document == PlanDocument(record).dump());
  CHECK(stored->valid_until == record.valid_until);
  CHECK(stored->generated_at == record.generated_at);
  CHECK(stored->format == kDocumentFormat);
  auto latest = store.Latest("demo-login");
  REQUIRE_MESSAGE(latest, latest.error().message);
  CHECK(*latest == *ReadPlanDocument(stored->document));
  CHECK(PlanDocument(*latest).dump() == stored->document);
}

TEST_CASE("a row of another format is refused by name, and the repository's errors pass") {
  testing::InMemoryPlanRepository documents;
  DocumentPlanStore store(documents);
  forecasting::StoredDocument later = StoredFormOf(forecasting::testing::SamplePlanRecord());
  later.format = 2;
  REQUIRE(documents.Save(later));
  auto read = store.Get("plan-1");
  REQUIRE_FALSE(read);
  CHECK(read.error() == Internal("stored plan 'plan-1' has format 2; this build reads format 1"));
  CHECK(store.Latest("demo-login").error() == read.error());
  CHECK(store.Get("plan-none").error().code == ErrorCode::kNotFound);
}

TEST_CASE("a broken document is the codec's error") {
  testing::InMemoryForecastRepository documents;
  DocumentForecastStore store(documents);
  forecasting::StoredDocument broken = StoredFormOf(SmallForecast());
  broken.document = R"({"id":"fc-9"})";
  REQUIRE(documents.Save(broken));
  auto read = store.Get("fc-9");
  REQUIRE_FALSE(read);
  CHECK(read.error().code == ErrorCode::kInternal);
  CHECK(read.error().message.find("fc-9") != std::string::npos);
}

TEST_CASE("Keep passes on the repository's refusal") {
  testing::InMemoryPlanRepository documents;
  DocumentPlanStore store(documents);
  REQUIRE(store.Keep(forecasting::testing::SamplePlanRecord()));
  CHECK(store.Keep(forecasting::testing::SamplePlanRecord()).error().code == ErrorCode::kConflict);
}

}  // namespace
}  // namespace patchcast::api
