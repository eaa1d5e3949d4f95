// Unit tests of ForecastService (forecast_service.h) over the in-memory series repository and a
// calendar catalog with no overrides: what it reads, what it passes to the model, and its errors.
#include "forecasting/forecast_service.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "tests/forecasting/forecast_test_util.h"
#include "tests/support/in_memory_calendar_repository.h"
#include "tests/support/in_memory_series_repository.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::sys_seconds;
using testing::Pattern;
using testing::Utc;

// Hourly Pattern() points from 2026-06-01 for `span`: the Microsoft calendar has releases, and
// advance notices, every month of it.
std::vector<Point> HourlyPoints(sys_seconds from, hours span) {
  std::vector<Point> points;
  for (sys_seconds t = from; t < from + span; t += hours{1}) points.push_back({t, Pattern(t)});
  return points;
}

class FixedPrior : public RebootPriorSource {
 public:
  explicit FixedPrior(Result<RebootPrior> prior) : prior_(std::move(prior)) {}
  Result<RebootPrior> PriorFor(std::string_view) const override { return prior_; }

 private:
  Result<RebootPrior> prior_;
};

struct Fixture {
  patchcast::testing::InMemorySeriesRepository series;
  patchcast::testing::InMemoryCalendarRepository calendar_repository;
  std::unique_ptr<CalendarCatalog> calendars;
  sys_seconds first = Utc("2026-06-01T00:00:00Z");

  explicit Fixture(hours span = hours{24 * 70}) {
    auto opened = CalendarCatalog::Open(calendar_repository, patchcast::testing::SequentialIds{});
    REQUIRE(opened.has_value());
    calendars = std::move(*opened);
    const SeriesMetadata login{"login", hours{1}, "logins", "", {{"Europe/Berlin", 1.0}}};
    REQUIRE(series.PutSeries(login).has_value());
    const std::vector<Point> points = HourlyPoints(first, span);
    REQUIRE(series.WritePoints(login, points, OnConflict::kReplace).has_value());
    REQUIRE(series.PutSeries({"empty", hours{1}, "", "", {}}).has_value());
  }

  ForecastService Service(const RebootPriorSource* priors = nullptr) const {
    return ForecastService(series, *calendars, priors);
  }
};

TEST_CASE("a forecast starts at the end of the series' data unless as_of says otherwise") {
  Fixture f;
  const sys_seconds end = f.first + hours{24 * 70};
  Result<ForecastRun> latest = f.Service().Forecast({.series_id = "login"});
  REQUIRE(latest.has_value());
  CHECK(latest->as_of == end);
  CHECK(latest->series.metadata.id == "login");
  CHECK(latest->forecast.points.front().ts == end);
  CHECK(latest->forecast.points.size() == 168);

  const sys_seconds as_of = Utc("2026-07-20T06:00:00Z");
  Result<ForecastRun> earlier =
      f.Service().Forecast({.series_id = "login", .horizon = hours{48}, .as_of = as_of});
  REQUIRE(earlier.has_value());
  CHECK(earlier->as_of == as_of);
  CHECK(earlier->forecast.points.front().ts == as_of);
  CHECK(earlier->forecast.points.size() == 48);
  CHECK(earlier->forecast.model.history_to == as_of);  // nothing after as_of was read
}

TEST_CASE("a forecast learns from at most 400 days before as_of") {
  Fixture f(hours{24 * 450});
  Result<ForecastRun> run = f.Service().Forecast({.series_id = "login"});
  REQUIRE(run.has_value());
  CHECK(run->forecast.model.history_from == run->as_of - ForecastService::kHistory);
}

TEST_CASE("releases reach the model and advance notices do not") {
  Fixture f;
  // The Microsoft calendar's 2026-08-11 release and its notice on 2026-08-06 are ahead.
  Result<ForecastRun> run =
      f.Service().Forecast({.series_id = "login", .as_of = Utc("2026-08-03T00:00:00Z")});
  REQUIRE(run.has_value());
  const std::vector<EventForecast>& events = run->forecast.events;
  CHECK(std::any_of(events.begin(), events.end(), [](const EventForecast& e) {
    return e.kind == calendars::EventKind::kRelease && e.id == "microsoft:2026-08-11:release";
  }));
  CHECK(std::none_of(events.begin(), events.end(), [](const EventForecast& e) {
    return e.kind == calendars::EventKind::kAdvanceNotice;
  }));
}

TEST_CASE("the series' own prior is the one the forecast uses") {
  Fixture f;
  const ForecastQuery query{.series_id = "login", .as_of = Utc("2026-08-03T00:00:00Z")};
  Result<ForecastRun> with_default = f.Service().Forecast(query);
  RebootPrior stronger;
  stronger.strength = 10 * RebootPrior{}.strength;
  const FixedPrior own(stronger);
  Result<ForecastRun> with_own = f.Service(&own).Forecast(query);
  REQUIRE(with_default.has_value());
  REQUIRE(with_own.has_value());
  CHECK(with_own->forecast.model.prior_weight > with_default->forecast.model.prior_weight);

  const FixedPrior broken(Unavailable("settings store is busy"));
  Result<ForecastRun> failed = f.Service(&broken).Forecast(query);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().code == ErrorCode::kUnavailable);
}

TEST_CASE("forecasts say what is missing") {
  Fixture f;
  const ForecastService service = f.Service();
  Result<ForecastRun> unknown = service.Forecast({.series_id = "nope"});
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::kNotFound);

  Result<ForecastRun> empty = service.Forecast({.series_id = "empty"});
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().code == ErrorCode::kUnprocessable);
  CHECK(empty.error().message == "series 'empty' has no points yet");

  Result<ForecastRun> too_early =
      service.Forecast({.series_id = "login", .as_of = f.first - days{1}});
  REQUIRE_FALSE(too_early.has_value());
  CHECK(too_early.error().code == ErrorCode::kUnprocessable);
  CHECK(too_early.error().message == "series 'login' has no points before as_of");

  Result<ForecastRun> no_calendar =
      service.Forecast({.series_id = "login", .calendars = {"microsoft", "mars"}});
  REQUIRE_FALSE(no_calendar.has_value());
  CHECK(no_calendar.error().code == ErrorCode::kNotFound);
}

TEST_CASE("backtests replay the series' last releases, and say what is missing") {
  Fixture f;
  const ForecastService service = f.Service();
  Result<BacktestResult> replay = service.Backtest({.series_id = "login", .events = 1});
  REQUIRE(replay.has_value());
  CHECK(replay->events.size() == 1);

  CapacityModel model;
  model.unit_capacity = 0.05;
  Result<PlanBacktestResult> plans =
      service.BacktestPlans({.series_id = "login", .events = 1, .model = model});
  REQUIRE(plans.has_value());
  CHECK(plans->events.size() == 1);

  Result<BacktestResult> empty = service.Backtest({.series_id = "empty"});
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().code == ErrorCode::kUnprocessable);
  Result<PlanBacktestResult> unknown = service.BacktestPlans({.series_id = "nope"});
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace patchcast::forecasting
