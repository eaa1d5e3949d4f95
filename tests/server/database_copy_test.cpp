// CopyDatabase and VerifyCopy: everything an SQLite database keeps arrives in a new SQLite file
// and in PostgreSQL, value for value; a target that holds anything is refused; and verification
// catches a copy that differs.
#include "server/database_copy.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "calendars/time_text.h"
#include "tests/support/pg_test_database.h"
#include "tests/support/temp_dir.h"

namespace patchcast::server {
namespace {

using namespace std::chrono_literals;
using forecasting::SeriesMetadata;

const std::chrono::sys_seconds kNov1{std::chrono::sys_days{std::chrono::year{2026} / 11 / 1}};

StorageEngine OpenSqlite(const std::filesystem::path& path) {
  StorageEngineOptions options;
  options.db = path.string();
  auto engine = OpenStorageEngine(options);
  REQUIRE(engine);
  return std::move(*engine);
}

StorageEngine OpenPostgres(const testing::PgTestDatabase& database) {
  StorageEngineOptions options;
  options.db = database.url();
  options.pool_size = 2;
  auto engine = OpenStorageEngine(options);
  REQUIRE(engine);
  return std::move(*engine);
}

SeriesMetadata Series(std::string id, std::chrono::seconds step) {
  SeriesMetadata metadata;
  metadata.id = std::move(id);
  metadata.step_seconds = step;
  metadata.unit = "logins";
  metadata.description = "per " + std::to_string(step.count()) + " s";
  return metadata;
}

void AddCalendars(StorageEngine& engine) {
  calendars::CustomCalendarDefinition freeze;
  freeze.id = "freeze";
  freeze.name = "Change freeze";
  freeze.zone = "Europe/Berlin";
  freeze.duration = 2h;
  freeze.schedule = calendars::DateListSchedule{{*calendars::ParseLocalDateTime("2026-12-24")}};
  REQUIRE(engine.calendars->InsertCalendar(freeze));
  calendars::Override cancel;
  cancel.id = "ovr-1";
  cancel.calendar_id = "microsoft";
  cancel.date = date::local_days{date::year{2026} / 12 / 8};
  cancel.action = calendars::CancelAction{};
  REQUIRE(engine.calendars->InsertOverride(cancel));
}

// Two windows' worth of minutes with a gap, so that the copy crosses windows and leaves holes.
std::vector<forecasting::Point> MinutePoints() {
  std::vector<forecasting::Point> points;
  for (std::int64_t i = 0; i < 100'000; ++i) {
    if (i >= 40'000 && i < 40'100) continue;  // a gap
    points.push_back({kNov1 + std::chrono::minutes(i), 1000 + std::sin(i / 90.0) * 400 + i % 7});
  }
  return points;
}

forecasting::StoredDocument Document(std::string id, std::string series_id,
                                     std::chrono::sys_seconds generated_at) {
  forecasting::StoredDocument document;
  document.id = std::move(id);
  document.series_id = std::move(series_id);
  document.generated_at = generated_at;
  document.valid_until = generated_at + 168h;
  document.document = R"({"id":")" + document.id + R"("})";
  document.horizon_end = generated_at + 168h;
  document.score_at = generated_at + 24h;
  return document;
}

forecasting::ForecastScorecard Scorecard(const std::string& forecast_id) {
  forecasting::ForecastScorecard card;
  card.forecast_id = forecast_id;
  card.series_id = "logins";
  card.as_of = kNov1;
  card.generated_at = kNov1 + 1h;
  card.scored_at = kNov1 + 200h;
  card.horizon_end = kNov1 + 169h;
  card.forecast.mape = 0.071;
  card.seasonal_naive.mape = 0.094;
  return card;
}

forecasting::RunRecord Run(std::chrono::sys_seconds started, forecasting::RunStatus status) {
  forecasting::RunRecord run;
  run.series_id = "logins";
  run.trigger_at = started;
  run.started = started;
  run.finished = started + 2s;
  run.status = status;
  run.error = status == forecasting::RunStatus::kOk ? "" : "too little history";
  run.forecast_id = status == forecasting::RunStatus::kOk ? "fc-2" : "";
  return run;
}

forecasting::SurgeAlert Alert() {
  forecasting::SurgeAlert alert;
  alert.series_id = "logins";
  alert.event_id = "microsoft:2026-11-10:release";
  alert.forecast_id = "fc-1";
  alert.episode.started = kNov1 + 220h;
  alert.episode.ended = kNov1 + 222h;
  alert.episode.peak_ratio = 1.6;
  alert.episode.peak_at = kNov1 + 221h;
  return alert;
}

// A database holding one of everything the ports keep, and more than one where order matters.
void Fill(StorageEngine& engine) {
  AddCalendars(engine);
  const SeriesMetadata logins = Series("logins", 60s);
  REQUIRE(engine.series->WritePoints(logins, MinutePoints(), forecasting::OnConflict::kReject));
  REQUIRE(engine.series->PutSeries(Series("empty", 0s)));
  REQUIRE(engine.series->WritePoints(Series("hourly", 3600s), {{{kNov1, 7.5}}},
                                     forecasting::OnConflict::kReject));
  REQUIRE(engine.settings->Put({"logins", "capacity_model", kNov1, R"({"per_unit":500})"}));
  REQUIRE(engine.settings->Put({"hourly", "schedule", kNov1 + 1s, R"({"weekly":true})"}));
  REQUIRE(engine.forecasts->Save(Document("fc-1", "logins", kNov1 + 1h)));
  REQUIRE(engine.forecasts->Save(Document("fc-2", "logins", kNov1 + 2h)));
  REQUIRE(engine.plans->Save(Document("plan-1", "logins", kNov1 + 2h)));
  REQUIRE(engine.scorecards->Keep(Scorecard("fc-1")));
  REQUIRE(engine.runs->Append(Run(kNov1 + 1h, forecasting::RunStatus::kSkipped)));
  REQUIRE(engine.runs->Append(Run(kNov1 + 2h, forecasting::RunStatus::kOk)));
  REQUIRE(engine.surges->Record(Alert()));
}

DatabaseCounts FilledCounts() {
  DatabaseCounts counts;
  counts.calendars = 1;
  counts.overrides = 1;
  counts.series = 3;
  counts.points = MinutePoints().size() + 1;
  counts.settings = 2;
  counts.forecasts = 2;
  counts.plans = 1;
  counts.scorecards = 1;
  counts.runs = 2;
  counts.surge_alerts = 1;
  return counts;
}

void CheckCopiedWhole(const StorageEngine& source, StorageEngine& target) {
  auto copied = CopyDatabase(source, target);
  REQUIRE_MESSAGE(copied, copied.error().message);
  CHECK(*copied == FilledCounts());
  Status verified = VerifyCopy(source, target);
  CHECK_MESSAGE(verified, verified.error().message);
  // Spot checks that do not go through VerifyCopy, in case both sides were read alike wrongly.
  auto logins = target.series->GetSeries("logins");
  REQUIRE(logins);
  CHECK(logins->point_count == MinutePoints().size());
  CHECK(logins->first == kNov1);
  CHECK(logins->last == kNov1 + std::chrono::minutes(99'999));
  auto runs = target.runs->List("logins", kNov1, kNov1 + 24h, 10);
  REQUIRE(runs);
  REQUIRE(runs->size() == 2);
  CHECK((*runs)[0].status == forecasting::RunStatus::kOk);  // the newest is still the newest
  auto latest = target.forecasts->Latest("logins");
  REQUIRE(latest);
  CHECK(latest->id == "fc-2");
}

TEST_CASE("an SQLite database is copied whole into a new SQLite file") {
  testing::TempDir dir;
  StorageEngine source = OpenSqlite(dir / "source.db");
  Fill(source);
  StorageEngine target = OpenSqlite(dir / "target.db");
  CheckCopiedWhole(source, target);
}

TEST_CASE("a target that holds a series or a calendar is refused, and left as it was") {
  testing::TempDir dir;
  StorageEngine source = OpenSqlite(dir / "source.db");
  Fill(source);
  StorageEngine with_series = OpenSqlite(dir / "series.db");
  REQUIRE(with_series.series->PutSeries(Series("mine", 60s)));
  auto refused = CopyDatabase(source, with_series);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kConflict);
  CHECK(refused.error().message == "the target database is not empty: it holds series 'mine'");
  CHECK(with_series.series->ListSeries("")->size() == 1);

  StorageEngine with_calendar = OpenSqlite(dir / "calendar.db");
  AddCalendars(with_calendar);
  refused = CopyDatabase(source, with_calendar);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "the target database is not empty: it holds calendar 'freeze'");
}

TEST_CASE("verification names the first difference between source and target") {
  testing::TempDir dir;
  StorageEngine source = OpenSqlite(dir / "source.db");
  Fill(source);
  StorageEngine target = OpenSqlite(dir / "target.db");
  REQUIRE(CopyDatabase(source, target));

  SUBCASE("a changed value") {
    REQUIRE(target.series->WritePoints(Series("logins", 60s), {{{kNov1 + 70'000min, -1}}},
                                       forecasting::OnConflict::kReplace));
    Status verified = VerifyCopy(source, target);
    REQUIRE_FALSE(verified);
    CHECK(verified.error().code == ErrorCode::kInternal);
    CHECK(verified.error().message ==
          "the copy differs: series 'logins' has other points from 2026-12-16T12:16:00Z");
  }
  SUBCASE("a missing point") {
    REQUIRE(target.series->DeletePoints("hourly", kNov1, kNov1 + 1h));
    Status verified = VerifyCopy(source, target);
    REQUIRE_FALSE(verified);
    CHECK(verified.error().message ==
          "the copy differs: series 'hourly': 1 points in the source, 0 in the target");
  }
  SUBCASE("an extra series") {
    REQUIRE(target.series->PutSeries(Series("zzz", 60s)));
    Status verified = VerifyCopy(source, target);
    REQUIRE_FALSE(verified);
    CHECK(verified.error().message == "the copy differs: series 'zzz' is not in the source");
  }
  SUBCASE("another plan") {
    REQUIRE(target.plans->Save(Document("plan-2", "logins", kNov1 + 3h)));
    Status verified = VerifyCopy(source, target);
    REQUIRE_FALSE(verified);
    CHECK(verified.error().message ==
          "the copy differs: series 'logins': plans are not the same in the source and the "
          "target");
  }
  SUBCASE("another setting") {
    REQUIRE(target.settings->Put({"logins", "capacity_model", kNov1, R"({"per_unit":501})"}));
    Status verified = VerifyCopy(source, target);
    REQUIRE_FALSE(verified);
    CHECK(verified.error().message ==
          "the copy differs: settings 'capacity_model' are not the same in the source and the "
          "target");
  }
}

TEST_CASE("an SQLite database is copied whole into PostgreSQL, and back" *
          doctest::skip(!testing::PgInstalled())) {
  testing::TempDir dir;
  StorageEngine source = OpenSqlite(dir / "source.db");
  Fill(source);
  testing::PgTestDatabase database;
  StorageEngine postgres = OpenPostgres(database);
  CheckCopiedWhole(source, postgres);

  StorageEngine back = OpenSqlite(dir / "back.db");
  CheckCopiedWhole(postgres, back);
}

}  // namespace
}  // namespace patchcast::server
