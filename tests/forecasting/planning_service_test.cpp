// Unit tests of PlanningService (planning_service.h) over the in-memory series repository, a
// calendar catalog with no overrides and in-memory record stores: what it makes and keeps, in
// what order, and what it keeps when a step fails.
#include "forecasting/planning_service.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/forecasting/forecast_test_util.h"
#include "tests/support/in_memory_calendar_repository.h"
#include "tests/support/in_memory_record_store.h"
#include "tests/support/in_memory_series_repository.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::sys_seconds;
using testing::Pattern;
using testing::Utc;

// When the records are made (a test's own instant, not the clock's).
sys_seconds MadeAt() { return Utc("2026-08-10T09:30:00Z"); }

// Series "login": 70 days of hourly Pattern() logins from 2026-06-01, users in Berlin.
struct Fixture {
  patchcast::testing::InMemorySeriesRepository series;
  patchcast::testing::InMemoryCalendarRepository calendar_repository;
  std::unique_ptr<CalendarCatalog> calendars;
  std::unique_ptr<ForecastService> forecaster;
  patchcast::testing::InMemoryRecordStore<ForecastRecord> forecasts{"forecast"};
  patchcast::testing::InMemoryRecordStore<PlanRecord> plans{"plan"};
  std::unique_ptr<PlanningService> planning;

  Fixture() {
    auto opened = CalendarCatalog::Open(calendar_repository, patchcast::testing::SequentialIds{});
    REQUIRE(opened.has_value());
    calendars = std::move(*opened);
    const SeriesMetadata login{"login", hours{1}, "logins", "", {{"Europe/Berlin", 1.0}}};
    REQUIRE(series.PutSeries(login).has_value());
    std::vector<Point> points;
    const sys_seconds first = Utc("2026-06-01T00:00:00Z");
    for (sys_seconds t = first; t < first + hours{24 * 70}; t += hours{1}) {
      points.push_back({t, Pattern(t)});
    }
    REQUIRE(series.WritePoints(login, points, OnConflict::kReplace).has_value());
    forecaster = std::make_unique<ForecastService>(series, *calendars);
    planning = std::make_unique<PlanningService>(*forecaster, forecasts, plans);
  }
};

// The forecast's points and events are the same. (Forecast's == is false for any forecast with a
// NaN, such as an event's lift over a zero baseline, so records are compared by their parts.)
bool SameForecast(const Forecast& a, const Forecast& b) {
  if (a.points != b.points || a.events.size() != b.events.size()) return false;
  for (std::size_t e = 0; e < a.events.size(); ++e) {
    if (a.events[e].id != b.events[e].id || a.events[e].peak.ts != b.events[e].peak.ts) {
      return false;
    }
  }
  return a.quantile_levels == b.quantile_levels;
}

bool SameRecord(const ForecastRecord& a, const ForecastRecord& b) {
  return a.id == b.id && a.series_id == b.series_id && a.as_of == b.as_of &&
         a.generated_at == b.generated_at && a.step == b.step && a.hypothetical == b.hypothetical &&
         SameForecast(a.forecast, b.forecast);
}

ForecastQuery Query(hours horizon = hours{168}) {
  return {.series_id = "login", .horizon = horizon, .as_of = Utc("2026-08-03T00:00:00Z")};
}

// Pattern() peaks near 250 logins an hour: 0.1 a second per unit needs a few units.
CapacityModel Model() {
  CapacityModel model;
  model.unit_capacity = 0.01;
  return model;
}

TEST_CASE("a forecast is made as the service makes it and kept under the name it was given") {
  Fixture f;
  Result<ForecastRecord> made = f.planning->MakeForecast(Query(), {"fc-1", MadeAt()});
  REQUIRE_MESSAGE(made.has_value(), made.error().message);
  Result<ForecastRun> run = f.forecaster->Forecast(Query());
  REQUIRE(run.has_value());
  CHECK(made->id == "fc-1");
  CHECK(made->series_id == "login");
  CHECK(made->as_of == Utc("2026-08-03T00:00:00Z"));
  CHECK(made->generated_at == MadeAt());
  CHECK(made->step == hours{1});
  CHECK_FALSE(made->hypothetical);
  CHECK(SameForecast(made->forecast, run->forecast));
  REQUIRE(f.forecasts.records.size() == 1);
  CHECK(SameRecord(f.forecasts.records[0], *made));
  CHECK(SameRecord(*f.forecasts.Latest("login"), *made));
}

TEST_CASE("a forecast with what-ifs is kept as hypothetical, never the series' latest") {
  Fixture f;
  ForecastQuery query = Query();
  query.what_if = {{"microsoft:2026-08-11:release", 2.0}};
  Result<ForecastRecord> made = f.planning->MakeForecast(query, {"fc-what-if", MadeAt()});
  REQUIRE_MESSAGE(made.has_value(), made.error().message);
  CHECK(made->hypothetical);
  CHECK(f.forecasts.Get("fc-what-if").has_value());
  CHECK_FALSE(f.forecasts.Latest("login").has_value());
}

TEST_CASE("a plan is made on a fresh forecast, and both are kept, the forecast first") {
  Fixture f;
  Result<KeptPlan> kept =
      f.planning->MakePlan(Query(), Model(), {"fc-1", MadeAt()}, {"plan-1", MadeAt()});
  REQUIRE_MESSAGE(kept.has_value(), kept.error().message);
  Result<ForecastRun> run = f.forecaster->Forecast(Query());
  REQUIRE(run.has_value());
  Result<CapacityPlan> expected = PlanCapacity(run->forecast, hours{1}, Model());
  REQUIRE(expected.has_value());

  const PlanRecord& plan = kept->plan;
  CHECK(plan.id == "plan-1");
  CHECK(plan.series_id == "login");
  CHECK(plan.forecast_id == "fc-1");
  CHECK(plan.as_of == Utc("2026-08-03T00:00:00Z"));
  CHECK(plan.generated_at == MadeAt());
  CHECK(plan.valid_until == Utc("2026-08-04T00:00:00Z"));  // a day after as_of
  CHECK(plan.quantile == Model().quantile);
  CHECK(plan.unit_capacity == Model().unit_capacity);
  CHECK(plan.plan == *expected);
  CHECK(kept->forecast.id == "fc-1");
  CHECK(SameForecast(kept->forecast.forecast, run->forecast));
  REQUIRE(f.forecasts.records.size() == 1);
  CHECK(SameRecord(f.forecasts.records[0], kept->forecast));
  REQUIRE(f.plans.records.size() == 1);
  CHECK(f.plans.records[0] == plan);
}

TEST_CASE("a plan over a horizon shorter than a day is valid to the horizon's end") {
  Fixture f;
  Result<KeptPlan> kept =
      f.planning->MakePlan(Query(hours{12}), Model(), {"fc-1", MadeAt()}, {"plan-1", MadeAt()});
  REQUIRE_MESSAGE(kept.has_value(), kept.error().message);
  CHECK(kept->plan.valid_until == Utc("2026-08-03T12:00:00Z"));
}

TEST_CASE("what a failed step leaves kept") {
  Fixture f;
  SUBCASE("a forecast that cannot be made keeps nothing") {
    ForecastQuery query = Query();
    query.series_id = "absent";
    Result<KeptPlan> kept =
        f.planning->MakePlan(query, Model(), {"fc-1", MadeAt()}, {"plan-1", MadeAt()});
    REQUIRE_FALSE(kept.has_value());
    CHECK(kept.error().code == ErrorCode::kNotFound);
    CHECK(f.planning->MakeForecast(query, {"fc-2", MadeAt()}).error().code == ErrorCode::kNotFound);
    CHECK(f.forecasts.records.empty());
  }
  SUBCASE("a capacity model the planner refuses keeps nothing") {
    CapacityModel model = Model();
    model.unit_capacity = 0;
    Result<KeptPlan> kept =
        f.planning->MakePlan(Query(), model, {"fc-1", MadeAt()}, {"plan-1", MadeAt()});
    REQUIRE_FALSE(kept.has_value());
    CHECK(kept.error().code == ErrorCode::kInvalidArgument);
    CHECK(f.forecasts.records.empty());
  }
  SUBCASE("a forecast store that fails keeps no plan") {
    f.forecasts.fail_keep = Unavailable("database is busy");
    Result<KeptPlan> kept =
        f.planning->MakePlan(Query(), Model(), {"fc-1", MadeAt()}, {"plan-1", MadeAt()});
    REQUIRE_FALSE(kept.has_value());
    CHECK(kept.error() == Unavailable("database is busy"));
  }
  SUBCASE("a plan store that fails leaves the forecast kept") {
    f.plans.fail_keep = Conflict("plan 'plan-1' already exists");
    Result<KeptPlan> kept =
        f.planning->MakePlan(Query(), Model(), {"fc-1", MadeAt()}, {"plan-1", MadeAt()});
    REQUIRE_FALSE(kept.has_value());
    CHECK(kept.error().code == ErrorCode::kConflict);
    REQUIRE(f.forecasts.records.size() == 1);
    CHECK(f.forecasts.records[0].id == "fc-1");
  }
  CHECK(f.plans.records.empty());
}

}  // namespace
}  // namespace patchcast::forecasting
