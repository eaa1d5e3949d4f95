// Schedules end to end, on the real binary: a schedule is stored, answered with its next run and
// deleted; runs on demand are logged, listed and counted in /metrics, and make a plan once the
// series has a capacity model; and a service that was down over several triggers runs once at
// start-up, for the latest, then stops cleanly on SIGTERM. The server's clock is given
// (libfaketime), so no date can break it.
#include <csignal>
#include <string>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

HttpReply Send(const ServerProcess& server, const std::string& method, const std::string& path,
               const std::string& body = "") {
  std::vector<std::string> headers;
  if (!body.empty()) headers.push_back("Content-Type: application/json");
  return Call(server, MakeRequest(method, path, headers, body));
}

constexpr const char* kSchedule = "/v1/series/demo-login/schedule";
constexpr const char* kRuns = "/v1/series/demo-login/runs";

TEST_CASE("a schedule is stored with its next run, runs on demand are logged, and it is deleted") {
  // Wednesday 25 November 2026, 12:00Z: the next Monday 06:00 in Berlin is the 30th, 05:00Z.
  auto server = StartServer(WithDemo({.clock_start = "2026-11-25T12:00:00Z"}));
  CheckJsonError(Get(*server, kSchedule), 404, "not_found");
  HttpReply put = Send(*server, "PUT", kSchedule,
                       R"({"weekly":{"day":"monday","time":"06:00","timezone":"Europe/Berlin"}})");
  REQUIRE(put.status == 200);
  const nlohmann::json stored = Json(put);
  CHECK(stored["schedule"]["weekly"]["timezone"] == "Europe/Berlin");
  CHECK(stored["next_run"]["trigger"] == "weekly");
  CHECK(stored["next_run"]["at"] == "2026-11-30T05:00:00Z");
  CHECK(Json(Get(*server, kSchedule))["schedule"] == stored["schedule"]);
  CheckJsonError(Send(*server, "PUT", kSchedule, R"({"weekly":{"day":"someday"}})"), 400,
                 "invalid_argument");
  // A cron expression instead: weekdays at 07:30 Berlin, Thursday the 26th at 06:30Z.
  const nlohmann::json cron =
      Json(Send(*server, "PUT", kSchedule,
                R"({"cron":{"expression":"30 7 * * 1-5","timezone":"Europe/Berlin"}})"));
  CHECK(cron["schedule"]["weekly"].is_null());
  CHECK(cron["schedule"]["cron"]["expression"] == "30 7 * * 1-5");
  CHECK(cron["next_run"] == nlohmann::json{{"trigger", "cron"}, {"at", "2026-11-26T06:30:00Z"}});
  CheckJsonError(Send(*server, "PUT", kSchedule, R"({"cron":{"expression":"30 7 * *"}})"), 400,
                 "invalid_argument");

  HttpReply forecast_run = Send(*server, "POST", kRuns);
  REQUIRE(forecast_run.status == 201);
  const nlohmann::json first = Json(forecast_run);
  CHECK(first["trigger"] == "manual");
  CHECK(first["status"] == "ok");
  CHECK(first["plan_id"].is_null());
  CHECK(Get(*server, "/v1/forecasts/" + first["forecast_id"].get<std::string>()).status == 200);

  REQUIRE(Send(*server, "PUT", "/v1/series/demo-login/capacity-model", R"({"unit_capacity":2})")
              .status == 200);
  const nlohmann::json second = Json(Send(*server, "POST", kRuns));
  CHECK(second["status"] == "ok");
  REQUIRE(second["plan_id"].is_string());
  const nlohmann::json plan =
      Json(Get(*server, "/v1/plans/" + second["plan_id"].get<std::string>()));
  CHECK(plan["forecast_id"] == second["forecast_id"]);

  const nlohmann::json listed = Json(Get(*server, kRuns));
  REQUIRE(listed["runs"].size() == 2);
  CHECK(listed["runs"][0]["id"] == second["id"]);
  CHECK(listed["runs"][1]["id"] == first["id"]);
  const std::string metrics = Get(*server, "/metrics").body;
  CHECK(metrics.find("patchcast_schedule_runs_total{series=\"demo-login\",trigger=\"manual\","
                     "status=\"ok\"} 2\n") != std::string::npos);
  CHECK(metrics.find("patchcast_schedule_last_success_timestamp_seconds{series=\"demo-login\"}") !=
        std::string::npos);

  CHECK(Send(*server, "DELETE", kSchedule).status == 204);
  CheckJsonError(Get(*server, kSchedule), 404, "not_found");
  CHECK(Json(Get(*server, kRuns))["runs"].size() == 2);  // the log stays
}

TEST_CASE("triggers missed while the service was down run once at start-up, for the latest") {
  auto before = StartServer(WithDemo({.clock_start = "2026-12-01T00:00:00Z"}));
  REQUIRE(Send(*before, "PUT", kSchedule,
               R"({"weekly":{"day":"monday","time":"06:00","timezone":"UTC"}})")
              .status == 200);
  CHECK(Json(Get(*before, kRuns))["runs"].empty());
  const std::string db = before->db();
  before->Signal(SIGTERM);
  REQUIRE(before->Wait(std::chrono::seconds(15)) == 0);

  // Down over December's advance notice (the 3rd), a weekly slot (the 7th) and the release (the
  // 8th, 18:00Z): back on the 9th, one run, for the release.
  auto after = StartServer(
      {.args = {"--db", db}, .use_default_db = false, .clock_start = "2026-12-09T00:00:00Z"});
  REQUIRE(after->WaitForLog("\"msg\":\"scheduled run\"", std::chrono::seconds(30)));
  const nlohmann::json runs = Json(Get(*after, kRuns))["runs"];
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["trigger"] == "release");
  CHECK(runs[0]["trigger_at"] == "2026-12-08T18:00:00Z");
  CHECK(runs[0]["status"] == "ok");
  CHECK(runs[0]["started"].get<std::string>() >= "2026-12-09T00:00:00Z");
  CHECK(Json(Get(*after, "/v1/series/demo-login/forecasts/latest"))["id"] ==
        runs[0]["forecast_id"]);

  after->Signal(SIGTERM);
  CHECK(after->Wait(std::chrono::seconds(15)) == 0);
}

TEST_CASE("a kept forecast is scored at start-up once its horizon has passed, and served") {
  // A week's forecast as of 8 days before the demo's end: the demo's points cover its horizon.
  auto before = StartServer(WithDemo({.clock_start = "2026-11-14T01:00:00Z"}));
  HttpReply made = Send(*before, "POST", "/v1/series/demo-login/forecast",
                        R"({"as_of":"2026-11-06T00:00:00Z","horizon_hours":168})");
  REQUIRE(made.status == 200);
  const std::string forecast_id = Json(made)["id"];
  const std::string db = before->db();
  before->Signal(SIGTERM);
  REQUIRE(before->Wait(std::chrono::seconds(15)) == 0);

  auto after = StartServer(
      {.args = {"--db", db}, .use_default_db = false, .clock_start = "2026-11-14T02:00:00Z"});
  REQUIRE(after->WaitForLog("\"msg\":\"forecasts scored\"", std::chrono::seconds(30)));
  const nlohmann::json accuracy = Json(Get(*after, "/v1/series/demo-login/accuracy"));
  REQUIRE(accuracy["forecasts"].size() == 1);
  const nlohmann::json& card = accuracy["forecasts"][0];
  CHECK(card["forecast_id"] == forecast_id);
  CHECK(card["horizon_end"] == "2026-11-12T23:55:00Z");
  CHECK(card["complete"] == true);
  CHECK(card["next_score_at"].is_null());
  CHECK(card["forecast"]["steps"] == 2016);  // 7 days of 5-minute steps
  CHECK(card["forecast"]["mape"].is_number());
  CHECK(card["seasonal_naive"]["mape"].is_number());
  CHECK(accuracy["summary"]["last_4_weeks"]["scored"] == 1);
  const std::string metrics = Get(*after, "/metrics").body;
  CHECK(metrics.find("patchcast_forecast_mape_ratio{series=\"demo-login\",window=\"horizon\"}") !=
        std::string::npos);

  const nlohmann::json alerts = Json(Get(*after, "/v1/series/demo-login/alerts"));
  CHECK(alerts["above_forecast"] == false);
  CHECK(alerts["alerts"].empty());
  CheckJsonError(
      Get(*after,
          "/v1/series/demo-login/accuracy?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z"),
      400, "invalid_argument");
}

}  // namespace
}  // namespace patchcast::testing
