#include "server/metrics.h"

#include <doctest/doctest.h>

#include <set>

#include "api/forecast_document.h"
#include "api/plan_document.h"
#include "tests/support/exposition_check.h"
#include "tests/support/fake_services.h"
#include "tests/support/in_memory_document_repository.h"
#include "tests/support/in_memory_run_log.h"
#include "tests/support/in_memory_scorecard_store.h"
#include "tests/support/in_memory_series_repository.h"
#include "tests/support/in_memory_surge_alert_log.h"

namespace patchcast::server {
namespace {

// An unrestricted key and one limited to the series whose id starts with "team-a.".
const api::Principal kEveryone{"ops", api::Scope::kAdmin, ""};
const api::Principal kTeamA{"team-a", api::Scope::kRead, "team-a."};

double Sample(const testing::ExpositionReport& report, const std::string& name,
              const std::map<std::string, std::string>& labels) {
  for (const auto& sample : report.samples) {
    if (sample.name == name && sample.labels == labels) return sample.value;
  }
  return -1;
}

TEST_CASE("requests are counted by route, method and status, with latency buckets") {
  HttpMetrics metrics;
  for (double seconds : {0.0002, 0.003, 0.2, 7.0}) {
    metrics.RequestStarted();
    metrics.RequestFinished("/v1/series/{id}", "GET", 200, seconds);
  }
  metrics.RequestStarted();
  metrics.RequestFinished("unmatched", "GET", 404, 0.0001);
  metrics.RequestStarted();  // still in flight
  metrics.AddConnectionsWaiting(9);
  metrics.AddConnectionsWaiting(-2);
  std::string text;
  metrics.Render(text);
  auto report = testing::CheckExposition(text);
  CHECK(report.problems.empty());
  CHECK(Sample(report, "patchcast_http_requests_total",
               {{"route", "/v1/series/{id}"}, {"method", "GET"}, {"status", "200"}}) == 4);
  CHECK(Sample(report, "patchcast_http_requests_total",
               {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}) == 1);
  const std::map<std::string, std::string> route = {{"route", "/v1/series/{id}"}};
  auto bucket = [&](const char* le) {
    auto labels = route;
    labels["le"] = le;
    return Sample(report, "patchcast_http_request_duration_seconds_bucket", labels);
  };
  CHECK(bucket("0.0005") == 1);
  CHECK(bucket("0.005") == 2);
  CHECK(bucket("0.25") == 3);
  CHECK(bucket("5") == 3);
  CHECK(bucket("+Inf") == 4);
  CHECK(Sample(report, "patchcast_http_request_duration_seconds_count", route) == 4);
  CHECK(Sample(report, "patchcast_http_request_duration_seconds_sum", route) ==
        doctest::Approx(7.2032));
  CHECK(Sample(report, "patchcast_http_requests_in_flight", {}) == 1);
  CHECK(Sample(report, "patchcast_http_connections_waiting", {}) == 7);
}

TEST_CASE("the exporter adds database size, schema version and build info") {
  HttpMetrics http;
  testing::FakeStorage storage;
  storage.status = StorageStatus{3, 3, 123456};
  MetricsExporter exporter(http, storage, "9.9.9");
  auto report = testing::CheckExposition(exporter.RenderMetrics(kEveryone));
  CHECK(report.problems.empty());
  CHECK(Sample(report, "patchcast_database_bytes", {}) == 123456);
  CHECK(Sample(report, "patchcast_database_schema_version", {}) == 3);
  bool build_info = false;
  for (const auto& sample : report.samples) {
    build_info |= sample.name == "patchcast_build_info" && sample.labels.at("version") == "9.9.9";
  }
  CHECK(build_info);
}

TEST_CASE("label values are escaped as the format requires") {
  CHECK(EscapeLabelValue("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  HttpMetrics metrics;
  metrics.RequestStarted();
  metrics.RequestFinished("/odd\"route\\\n", "GET", 200, 0.1);
  std::string text;
  metrics.Render(text);
  auto report = testing::CheckExposition(text);
  CHECK(report.problems.empty());
  CHECK(Sample(report, "patchcast_http_requests_total",
               {{"route", "/odd\"route\\\n"}, {"method", "GET"}, {"status", "200"}}) == 1);
}

TEST_CASE("the exposition checker itself rejects malformed text") {
  CHECK_FALSE(testing::CheckExposition("no_newline 1").problems.empty());
  CHECK_FALSE(testing::CheckExposition("bad-name 1\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("x{a=\"b} 1\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("x 1 2 3\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("x one\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("# TYPE x countr\nx 1\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("x 1\n# TYPE x counter\n").problems.empty());
  CHECK(testing::CheckExposition("# TYPE x counter\nx{a=\"\\n\"} +Inf 1700000000\n")
            .problems.empty());
}

using std::chrono::seconds;
using std::chrono::sys_seconds;

// An in-memory plan repository that counts the documents read by id.
class CountingPlanRepository : public testing::InMemoryPlanRepository {
 public:
  Result<forecasting::StoredDocument> Get(std::string_view id) const override {
    ++gets;
    return InMemoryPlanRepository::Get(id);
  }
  mutable int gets = 0;
};

sys_seconds Now(const testing::FixedClock& clock) {
  return std::chrono::floor<seconds>(clock.Now());
}

// A plan of three 5-minute buckets wanting `units`, the second containing the clock's now (it
// starts 100 s before), generated 1000 s before now and valid for an hour after.
forecasting::StoredDocument Plan(const std::string& id, const std::string& series, sys_seconds now,
                                 std::vector<int> units, int fallback) {
  forecasting::CapacityPlan plan;
  plan.step = seconds{300};
  for (std::size_t i = 0; i < units.size(); ++i) {
    forecasting::PlanBucket bucket;
    bucket.ts = now - seconds{400} + seconds{300 * static_cast<int>(i)};
    bucket.units = units[i];
    plan.buckets.push_back(bucket);
  }
  plan.fallback_units = fallback;
  const forecasting::PlanRecord record{.id = id,
                                       .series_id = series,
                                       .forecast_id = "fc-x",
                                       .as_of = now - seconds{1000},
                                       .generated_at = now - seconds{1000},
                                       .valid_until = now + seconds{3600},
                                       .quantile = 0.99,
                                       .unit_capacity = 1,
                                       .plan = std::move(plan)};
  return {id, series, record.generated_at, record.valid_until, api::PlanDocument(record).dump()};
}

// A forecast at levels 0.5 and 0.99 whose one 5-minute point contains now.
forecasting::StoredDocument Forecast(const std::string& id, const std::string& series,
                                     sys_seconds now, double p50, double p99) {
  forecasting::Forecast forecast;
  forecast.quantile_levels = {0.5, 0.99};
  forecast.points = {{now - seconds{100}, p50, {p50, p99}}};
  const forecasting::ForecastRecord record{.id = id,
                                           .series_id = series,
                                           .as_of = now - seconds{200},
                                           .generated_at = now - seconds{200},
                                           .step = seconds{300},
                                           .hypothetical = false,
                                           .forecast = std::move(forecast)};
  return {.id = id,
          .series_id = series,
          .generated_at = record.generated_at,
          .valid_until = std::nullopt,
          .document = api::ForecastDocument(record).dump()};
}

struct SeriesGaugeFixture {
  HttpMetrics http;
  testing::FakeStorage storage;
  testing::FixedClock clock;
  CountingPlanRepository plans;
  testing::InMemoryForecastRepository forecasts;
  SeriesGaugeCollector collector;
  MetricsExporter exporter{http, storage, "9.9.9", &collector};

  explicit SeriesGaugeFixture(
      std::size_t budget_bytes = SeriesGaugeCollector::kDefaultDigestBytesPerScrape)
      : collector(plans, forecasts, clock, budget_bytes) {}

  testing::ExpositionReport Scrape(const api::Principal& viewer = kEveryone) {
    auto report = testing::CheckExposition(exporter.RenderMetrics(viewer));
    CHECK(report.problems.empty());
    for (const auto& problem : report.problems) MESSAGE(problem);
    return report;
  }
};

TEST_CASE("the exporter shows each series' planned units, plan age and staleness, and demand") {
  SeriesGaugeFixture f;
  const sys_seconds now = Now(f.clock);
  REQUIRE(f.plans.Save(Plan("plan-old", "web", now - seconds{7200}, {1, 1, 1}, 1)));
  REQUIRE(f.plans.Save(Plan("plan-web", "web", now, {3, 6, 8}, 8)));
  REQUIRE(f.plans.Save(Plan("plan-odd", "odd\"series\\", now, {2, 4, 5}, 5)));
  REQUIRE(f.forecasts.Save(Forecast("fc-web", "web", now, 40, 75.5)));

  auto report = f.Scrape();
  CHECK(Sample(report, "patchcast_planned_units", {{"series", "web"}}) == 6);
  CHECK(Sample(report, "patchcast_plan_age_seconds", {{"series", "web"}}) == 1000);
  CHECK(Sample(report, "patchcast_plan_stale", {{"series", "web"}}) == 0);
  CHECK(Sample(report, "patchcast_planned_units", {{"series", "odd\"series\\"}}) == 4);
  CHECK(Sample(report, "patchcast_forecast_demand", {{"series", "web"}, {"level", "0.5"}}) == 40);
  CHECK(Sample(report, "patchcast_forecast_demand", {{"series", "web"}, {"level", "0.99"}}) ==
        75.5);
  CHECK(Sample(report, "patchcast_forecast_step_seconds", {{"series", "web"}}) == 300);
  CHECK(Sample(report, "patchcast_series_document_errors", {}) == 0);
  // One sample a series: the older plan of "web" is not shown; "odd" has no forecast.
  int planned = 0, demand = 0;
  for (const auto& sample : report.samples) {
    planned += sample.name == "patchcast_planned_units";
    demand += sample.name == "patchcast_forecast_demand";
  }
  CHECK(planned == 2);
  CHECK(demand == 2);

  SUBCASE("an hour and a bit later the plan is stale and wants its fallback") {
    f.clock.now += std::chrono::seconds{3601};
    auto later = f.Scrape();
    CHECK(Sample(later, "patchcast_plan_stale", {{"series", "web"}}) == 1);
    CHECK(Sample(later, "patchcast_planned_units", {{"series", "web"}}) == 8);
    CHECK(Sample(later, "patchcast_plan_age_seconds", {{"series", "web"}}) == 4601);
    // The forecast's only step has ended: no demand sample, the family is still described.
    CHECK(Sample(later, "patchcast_forecast_demand", {{"series", "web"}, {"level", "0.5"}}) == -1);
  }
}

TEST_CASE("a key limited to a prefix sees only its series' gauges and the process-wide ones") {
  SeriesGaugeFixture f;
  const sys_seconds now = Now(f.clock);
  REQUIRE(f.plans.Save(Plan("plan-a", "team-a.web", now, {1, 2, 3}, 3)));
  REQUIRE(f.plans.Save(Plan("plan-b", "team-b.secret", now, {4, 5, 6}, 6)));
  REQUIRE(f.plans.Save({"plan-bad", "team-b.bad", now, now + seconds{60}, "not json"}));
  REQUIRE(f.forecasts.Save(Forecast("fc-a", "team-a.web", now, 10, 20)));
  REQUIRE(f.forecasts.Save(Forecast("fc-b", "team-b.secret", now, 30, 40)));

  const std::string text = f.exporter.RenderMetrics(kTeamA);
  CHECK(text.find("team-b") == std::string::npos);
  auto report = testing::CheckExposition(text);
  CHECK(report.problems.empty());
  CHECK(Sample(report, "patchcast_planned_units", {{"series", "team-a.web"}}) == 2);
  CHECK(Sample(report, "patchcast_forecast_step_seconds", {{"series", "team-a.web"}}) == 300);
  std::set<std::string> series;
  for (const auto& sample : report.samples) {
    if (sample.labels.contains("series")) series.insert(sample.labels.at("series"));
  }
  CHECK(series == std::set<std::string>{"team-a.web"});
  // Process-wide families stay whole: the count of unreadable documents names no series.
  CHECK(Sample(report, "patchcast_series_document_errors", {}) == 1);
  CHECK(Sample(report, "patchcast_database_schema_version", {}) >= 0);

  auto everything = f.Scrape(kEveryone);
  CHECK(Sample(everything, "patchcast_planned_units", {{"series", "team-b.secret"}}) == 5);
  CHECK(Sample(everything, "patchcast_forecast_demand",
               {{"series", "team-b.secret"}, {"level", "0.99"}}) == 40);
  CHECK(Sample(everything, "patchcast_planned_units", {{"series", "team-a.web"}}) == 2);
}

TEST_CASE("VisibleTo keeps the series a viewer may see and the process-wide counts") {
  SeriesGaugeSnapshot snapshot;
  snapshot.plans = {{"team-a.x", {}}, {"team-ab", {}}, {"team-b.x", {}}};
  snapshot.forecasts = {{"team-b.x", seconds{60}, {{0.5, 1}}},
                        {"team-a.y", seconds{60}, {{0.5, 2}}}};
  snapshot.failed_documents = 3;
  snapshot.pending_documents = 4;

  SeriesGaugeSnapshot team_a = VisibleTo(snapshot, kTeamA);
  REQUIRE(team_a.plans.size() == 1);
  CHECK(team_a.plans[0].series == "team-a.x");
  REQUIRE(team_a.forecasts.size() == 1);
  CHECK(team_a.forecasts[0].series == "team-a.y");
  CHECK(team_a.failed_documents == 3);
  CHECK(team_a.pending_documents == 4);

  SeriesGaugeSnapshot all = VisibleTo(snapshot, kEveryone);
  CHECK(all.plans.size() == 3);
  CHECK(all.forecasts.size() == 2);
}

TEST_CASE("each stored document is read and digested once, not at every scrape") {
  SeriesGaugeFixture f;
  const sys_seconds now = Now(f.clock);
  REQUIRE(f.plans.Save(Plan("plan-a", "a", now, {1, 2, 3}, 3)));
  REQUIRE(f.plans.Save(Plan("plan-b", "b", now, {4, 5, 6}, 6)));
  f.Scrape();
  CHECK(f.plans.gets == 2);
  f.clock.now += std::chrono::seconds{15};
  f.Scrape();
  f.Scrape();
  CHECK(f.plans.gets == 2);
  REQUIRE(f.plans.Save(Plan("plan-a2", "a", now + seconds{15}, {7, 7, 7}, 7)));
  auto report = f.Scrape();
  CHECK(f.plans.gets == 3);
  CHECK(Sample(report, "patchcast_planned_units", {{"series", "a"}}) == 7);
}

TEST_CASE("a malformed document leaves its series out and is counted, the others are shown") {
  SeriesGaugeFixture f;
  const sys_seconds now = Now(f.clock);
  REQUIRE(f.plans.Save(Plan("plan-ok", "ok", now, {1, 2, 3}, 3)));
  REQUIRE(f.plans.Save({"plan-bad", "bad", now, now + seconds{60}, "{\"buckets\": 3}"}));
  REQUIRE(f.forecasts.Save({.id = "fc-bad",
                            .series_id = "bad",
                            .generated_at = now,
                            .valid_until = std::nullopt,
                            .document = "not json"}));
  auto report = f.Scrape();
  CHECK(Sample(report, "patchcast_planned_units", {{"series", "ok"}}) == 2);
  CHECK(Sample(report, "patchcast_planned_units", {{"series", "bad"}}) == -1);
  CHECK(Sample(report, "patchcast_series_document_errors", {}) == 2);
  // Remembered as malformed: not read again, still counted.
  const int gets = f.plans.gets;
  auto again = f.Scrape();
  CHECK(f.plans.gets == gets);
  CHECK(Sample(again, "patchcast_series_document_errors", {}) == 2);
}

TEST_CASE("after a restart, scrapes digest a bounded amount of documents and catch up") {
  SeriesGaugeFixture f(1);  // one byte: each scrape digests a single document
  const sys_seconds now = Now(f.clock);
  for (const char* series : {"a", "b", "c"}) {
    REQUIRE(f.plans.Save(Plan(std::string("plan-") + series, series, now, {1, 2, 3}, 3)));
  }
  const auto shown = [](const testing::ExpositionReport& report) {
    int planned = 0;
    for (const auto& sample : report.samples) planned += sample.name == "patchcast_planned_units";
    return planned;
  };
  auto first = f.Scrape();
  CHECK(shown(first) == 1);
  CHECK(Sample(first, "patchcast_series_documents_pending", {}) == 2);
  auto second = f.Scrape();
  CHECK(shown(second) == 2);
  CHECK(Sample(second, "patchcast_series_documents_pending", {}) == 1);
  auto third = f.Scrape();
  CHECK(shown(third) == 3);
  CHECK(Sample(third, "patchcast_series_documents_pending", {}) == 0);
  CHECK(Sample(third, "patchcast_series_document_errors", {}) == 0);
  CHECK(f.plans.gets == 3);
}

}  // namespace
}  // namespace patchcast::server

namespace patchcast::server {
namespace {

forecasting::RunRecord Run(const std::string& series, forecasting::RunTrigger trigger,
                           forecasting::RunStatus status, std::int64_t finished) {
  forecasting::RunRecord run;
  run.series_id = series;
  run.trigger = trigger;
  run.status = status;
  run.started = run.finished = std::chrono::sys_seconds{std::chrono::seconds{finished}};
  return run;
}

TEST_CASE("scheduled runs are counted by series, trigger and status, with the last success") {
  testing::InMemoryRunLog runs;
  using forecasting::RunStatus;
  using forecasting::RunTrigger;
  REQUIRE(runs.Append(Run("team-a", RunTrigger::kWeekly, RunStatus::kOk, 1'000)));
  REQUIRE(runs.Append(Run("team-a", RunTrigger::kWeekly, RunStatus::kOk, 2'000)));
  REQUIRE(runs.Append(Run("team-a", RunTrigger::kRelease, RunStatus::kFailed, 3'000)));
  REQUIRE(runs.Append(Run("other", RunTrigger::kUnderWay, RunStatus::kSkipped, 4'000)));
  HttpMetrics http;
  testing::FakeStorage storage;
  MetricsExporter exporter(http, storage, "1.0", nullptr, nullptr, {.runs = &runs});

  const std::string text = exporter.RenderMetrics({"all", api::Scope::kRead, ""});
  auto report = testing::CheckExposition(text);
  CHECK(report.problems.empty());
  CHECK(text.find("# TYPE patchcast_schedule_runs_total counter\n") != std::string::npos);
  CHECK(text.find("patchcast_schedule_runs_total{series=\"team-a\",trigger=\"weekly\","
                  "status=\"ok\"} 2\n") != std::string::npos);
  CHECK(text.find("patchcast_schedule_runs_total{series=\"team-a\",trigger=\"release\","
                  "status=\"failed\"} 1\n") != std::string::npos);
  CHECK(text.find("patchcast_schedule_runs_total{series=\"other\",trigger=\"under_way\","
                  "status=\"skipped\"} 1\n") != std::string::npos);
  CHECK(text.find("patchcast_schedule_last_success_timestamp_seconds{series=\"team-a\"} 2000\n") !=
        std::string::npos);
  CHECK(text.find("patchcast_schedule_last_success_timestamp_seconds{series=\"other\"}") ==
        std::string::npos);

  const std::string team = exporter.RenderMetrics({"team", api::Scope::kRead, "team-"});
  CHECK(team.find("series=\"team-a\"") != std::string::npos);
  CHECK(team.find("series=\"other\"") == std::string::npos);
}

}  // namespace
}  // namespace patchcast::server

namespace patchcast::server {
namespace {

TEST_CASE("each series' latest scorecard and open surges become gauges, for the series one sees") {
  testing::InMemoryForecastRepository forecasts;
  testing::InMemorySeriesRepository series;
  testing::InMemoryScorecardStore scorecards(forecasts, series);
  forecasting::ForecastScorecard older;
  older.forecast_id = "fc-1";
  older.series_id = "team-a";
  older.horizon_end = std::chrono::sys_seconds{std::chrono::seconds{1000}};
  older.forecast.mape = 0.5;
  forecasting::ForecastScorecard latest = older;
  latest.forecast_id = "fc-2";
  latest.horizon_end = std::chrono::sys_seconds{std::chrono::seconds{2000}};
  latest.forecast.mape = 0.08;
  latest.forecast.coverage_p50 = 0.5;
  latest.forecast.coverage_p90 = 0.875;
  latest.forecast.coverage_p99 = 1;
  forecasting::EventAccuracy event;
  event.forecast.peak_error = -0.05;
  event.forecast.mape = 0.125;
  latest.events = {event, forecasting::EventAccuracy{}};  // the second has nothing scored
  forecasting::ForecastScorecard other = latest;
  other.forecast_id = "fc-3";
  other.series_id = "other";
  REQUIRE(scorecards.Keep(older));
  REQUIRE(scorecards.Keep(latest));
  REQUIRE(scorecards.Keep(other));
  testing::InMemorySurgeAlertLog surges;
  forecasting::SurgeAlert open{"team-a", "microsoft:2026-12-08:release", "fc-2", {}};
  forecasting::SurgeAlert ended{"other", "microsoft:2026-12-08:release", "fc-3", {}};
  ended.episode.ended = std::chrono::sys_seconds{std::chrono::seconds{5000}};
  REQUIRE(surges.Record(open));
  REQUIRE(surges.Record(ended));
  HttpMetrics http;
  testing::FakeStorage storage;
  MetricsExporter exporter(http, storage, "1.0", nullptr, nullptr,
                           {.scorecards = &scorecards, .surges = &surges});

  const std::string text = exporter.RenderMetrics({"all", api::Scope::kRead, ""});
  CHECK(testing::CheckExposition(text).problems.empty());
  for (const char* sample :
       {"patchcast_forecast_peak_error_ratio{series=\"team-a\"} -0.05\n",
        "patchcast_forecast_mape_ratio{series=\"team-a\",window=\"horizon\"} 0.08\n",
        "patchcast_forecast_mape_ratio{series=\"team-a\",window=\"event\"} 0.125\n",
        "patchcast_forecast_coverage_ratio{series=\"team-a\",level=\"0.5\"} 0.5\n",
        "patchcast_forecast_coverage_ratio{series=\"team-a\",level=\"0.9\"} 0.875\n",
        "patchcast_forecast_coverage_ratio{series=\"team-a\",level=\"0.99\"} 1\n",
        "patchcast_surge_above_forecast{series=\"team-a\"} 1\n",
        "patchcast_surge_above_forecast{series=\"other\"} 0\n"}) {
    CHECK_MESSAGE(text.find(sample) != std::string::npos, sample);
  }
  CHECK(text.find("mape_ratio{series=\"team-a\",window=\"horizon\"} 0.5") == std::string::npos);

  const std::string team = exporter.RenderMetrics({"team", api::Scope::kRead, "team-"});
  CHECK(team.find("series=\"other\"") == std::string::npos);
  CHECK(team.find("patchcast_surge_above_forecast{series=\"team-a\"} 1\n") != std::string::npos);
}

}  // namespace
}  // namespace patchcast::server
