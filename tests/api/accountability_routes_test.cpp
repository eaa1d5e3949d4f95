// The accountability routes as handlers: GET /v1/series/{id}/accuracy (scorecards in [from, to),
// events in force, rolling summaries) and GET /v1/series/{id}/alerts (surges above forecast),
// with bad input named. The clock stands at 2026-11-18T11:06:40Z.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/accuracy_routes.h"
#include "api/alert_routes.h"
#include "calendars/time_text.h"
#include "tests/support/in_memory_planning.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::sys_seconds;

sys_seconds Utc(std::string_view text) {
  auto instant = calendars::ParseUtcDateTime(text);
  REQUIRE(instant);
  return *instant;
}

// A scorecard of a forecast generated at `generated`, its horizon ending a week later, with one
// event starting at `event_start`.
forecasting::ForecastScorecard Card(const std::string& id, const char* generated,
                                    const char* event_start, double mape) {
  forecasting::ForecastScorecard card;
  card.forecast_id = id;
  card.series_id = "login";
  card.generated_at = card.as_of = Utc(generated);
  card.horizon_end = card.generated_at + std::chrono::days{7};
  card.scored_at = card.horizon_end;
  card.forecast = {.peak_error = -0.1, .mape = mape, .coverage_p90 = 0.9, .steps = 168};
  card.seasonal_naive = {.mape = 0.2, .steps = 168};
  forecasting::EventAccuracy event;
  event.event_id = "microsoft:2026-11-10:release";
  event.start = Utc(event_start);
  event.actual_peak = 100;
  event.actual_peak_ts = event.start;
  event.forecast = {.peak_error = mape, .steps = 72};
  card.events = {event};
  return card;
}

struct Fixture {
  testing::InMemoryPlanning planning;
  Router router;
  Principal principal{"test", Scope::kRead, ""};

  Fixture() {
    REQUIRE(planning.series.PutSeries({"login", std::chrono::seconds{3600}, "logins", "", {}}));
    AddAccuracyRoutes(router, {planning.series, planning.scorecards, planning.clock});
    AddAlertRoutes(router, {planning.series, planning.surge_alerts});
  }

  Response Get(const std::string& path, std::multimap<std::string, std::string> query = {}) {
    return testing::SendToRoute(router, {Method::kGet, path, std::move(query), "", principal});
  }
};

TEST_CASE("accuracy lists the scorecards in [from, to), the events in force, and summaries") {
  Fixture f;
  // Two forecasts before the 10 November release (the later is in force), one after it.
  REQUIRE(f.planning.scorecards.Keep(
      Card("fc-1", "2026-11-05T18:00:00Z", "2026-11-10T18:00:00Z", 0.3)));
  REQUIRE(f.planning.scorecards.Keep(
      Card("fc-2", "2026-11-10T18:00:00Z", "2026-11-10T18:00:00Z", 0.1)));
  REQUIRE(f.planning.scorecards.Keep(
      Card("fc-3", "2026-11-12T00:00:00Z", "2026-11-10T18:00:00Z", 0.5)));
  const Response response = f.Get("/v1/series/login/accuracy");
  REQUIRE(response.status == 200);
  const json body = json::parse(response.body);
  CHECK(body["series"] == "login");
  REQUIRE(body["forecasts"].size() == 3);  // the default: generated in the last 28 days
  CHECK(body["forecasts"][0]["forecast_id"] == "fc-1");
  CHECK(body["forecasts"][0]["forecast"]["mape"] == 0.3);
  CHECK(body["forecasts"][0]["forecast"]["coverage_p50"].is_null());
  REQUIRE(body["events"].size() == 1);
  CHECK(body["events"][0]["forecast"]["peak_error"] == 0.1);  // fc-2's: in force at the start
  // fc-3's horizon ends on the 19th, after now; the others' within the last 4 weeks.
  CHECK(body["summary"]["last_4_weeks"]["scored"] == 2);
  CHECK(body["summary"]["last_12_events"]["scored"] == 1);

  const json later =
      json::parse(f.Get("/v1/series/login/accuracy", {{"from", "2026-11-10T18:00:00Z"}}).body);
  CHECK(later["forecasts"].size() == 2);
  CHECK(later["events"].size() == 1);
  const json before =
      json::parse(f.Get("/v1/series/login/accuracy", {{"to", "2026-11-10T00:00:00Z"}}).body);
  CHECK(before["forecasts"].size() == 1);
  CHECK(before["events"].empty());
}

TEST_CASE("alerts are listed newest first, and say whether one is open") {
  Fixture f;
  forecasting::SurgeAlert first{"login", "microsoft:2026-11-10:release", "fc-2", {}};
  first.episode.started = Utc("2026-11-10T19:00:00Z");
  first.episode.ended = Utc("2026-11-10T23:00:00Z");
  first.episode.peak_ratio = 1.8;
  first.episode.peak_at = Utc("2026-11-10T20:00:00Z");
  REQUIRE(f.planning.surge_alerts.Record(first));
  json body = json::parse(f.Get("/v1/series/login/alerts").body);
  CHECK(body["above_forecast"] == false);
  REQUIRE(body["alerts"].size() == 1);
  CHECK(body["alerts"][0] == json::parse(R"({"event_id": "microsoft:2026-11-10:release",
      "forecast_id": "fc-2", "started": "2026-11-10T19:00:00Z", "ended": "2026-11-10T23:00:00Z",
      "reason": "above_p99", "peak_ratio": 1.8, "peak_at": "2026-11-10T20:00:00Z"})"));

  forecasting::SurgeAlert second = first;
  second.episode.started = Utc("2026-11-11T03:00:00Z");
  second.episode.ended.reset();
  REQUIRE(f.planning.surge_alerts.Record(second));
  body = json::parse(f.Get("/v1/series/login/alerts").body);
  CHECK(body["above_forecast"] == true);
  REQUIRE(body["alerts"].size() == 2);
  CHECK(body["alerts"][0]["ended"].is_null());
  CHECK(json::parse(f.Get("/v1/series/login/alerts", {{"limit", "1"}}).body)["alerts"].size() == 1);
}

TEST_CASE("bad parameters and unknown or hidden series are refused by name") {
  Fixture f;
  const auto message = [&](const std::string& path, std::multimap<std::string, std::string> query) {
    const Response response = f.Get(path, std::move(query));
    CHECK(response.status >= 400);
    CHECK(response.status < 500);
    return json::parse(response.body)["error"]["message"].get<std::string>();
  };
  CHECK(message("/v1/series/login/accuracy",
                {{"from", "2026-11-10T00:00:00Z"}, {"to", "2026-11-01T00:00:00Z"}}) ==
        "query parameter 'from' is after 'to'");
  CHECK(message("/v1/series/login/accuracy", {{"from", "soon"}})
            .starts_with("query parameter 'from': "));
  CHECK(message("/v1/series/login/alerts", {{"limit", "0"}}) ==
        "query parameter 'limit' must be an integer from 1 to 1000, not '0'");
  CHECK(message("/v1/series/nope/accuracy", {}) == "series 'nope' does not exist");
  CHECK(message("/v1/series/nope/alerts", {}) == "series 'nope' does not exist");
  f.principal.series_prefix = "team-";
  CHECK(message("/v1/series/login/accuracy", {}) == "series 'login' does not exist");
  CHECK(message("/v1/series/login/alerts", {}) == "series 'login' does not exist");
}

}  // namespace
}  // namespace patchcast::api
