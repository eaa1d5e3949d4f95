// A series' own settings end to end: its reboot-wave prior changes the forecasts of a cold-start
// series and survives a restart; its capacity model is what plan requests start from.
#include <cmath>
#include <csignal>
#include <string>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

HttpReply Send(const ServerProcess& server, const std::string& method, const std::string& path,
               const std::string& body = "", const std::string& type = "application/json") {
  std::vector<std::string> headers;
  if (!body.empty()) headers.push_back("Content-Type: " + type);
  return Call(server, MakeRequest(method, path, headers, body));
}

// Three weeks of hourly logins with a daily cycle, ending at the advance notice of the
// 2026-11-10 release: too few past releases to learn from, so the prior alone shapes its wave.
constexpr const char* kAsOf = "2026-11-05T17:00:00Z";

void LoadColdSeries(const ServerProcess& server) {
  REQUIRE(Send(server, "PUT", "/v1/series/cold-login",
               R"({"step_seconds":3600,"zone_mix":[{"timezone":"Europe/Berlin","share":1}]})")
              .status == 201);
  std::string csv = "ts,value\n";
  const std::int64_t end = 1'793'898'000;  // 2026-11-05T17:00:00Z
  for (std::int64_t ts = end - 21 * 86'400; ts < end; ts += 3600) {
    const double hour = static_cast<double>((ts / 3600) % 24);
    const double value = 1000 + 400 * std::sin((hour - 6) * 3.14159265 / 12);
    char line[64];
    std::snprintf(line, sizeof line, "%lld,%.0f\n", static_cast<long long>(ts), value);
    csv += line;
  }
  REQUIRE(Send(server, "POST", "/v1/series/cold-login/points", csv, "text/csv").status == 200);
}

// The forecast's lift for the 2026-11-10 release, and the model kind.
std::pair<double, std::string> ReleaseLift(const ServerProcess& server) {
  HttpReply reply = Send(server, "POST", "/v1/series/cold-login/forecast",
                         std::string(R"({"horizon_hours":168,"as_of":")") + kAsOf + R"("})");
  REQUIRE(reply.status == 200);
  const nlohmann::json forecast = Json(reply);
  for (const auto& event : forecast["events"]) {
    if (event["id"] == "microsoft:2026-11-10:release") {
      return {event["lift_p50"].get<double>(), forecast["model"]["kind"].get<std::string>()};
    }
  }
  FAIL("no 2026-11-10 release in the forecast: " << reply.body);
  return {};
}

TEST_CASE("a series' prior drives its cold-start forecasts, persists, and can be reset") {
  auto server = StartServer();
  LoadColdSeries(*server);
  const auto [default_lift, kind] = ReleaseLift(*server);
  CHECK(kind == "prior");
  CHECK(default_lift > 1.05);

  // No machine updates itself automatically: no reboot wave.
  REQUIRE(Send(*server, "PUT", "/v1/series/cold-login/reboot-prior", R"({"auto_update_share":0})")
              .status == 200);
  const double no_wave = ReleaseLift(*server).first;
  CHECK(no_wave < 1.01);

  // Every machine does: a larger wave than the default half.
  REQUIRE(Send(*server, "PUT", "/v1/series/cold-login/reboot-prior", R"({"auto_update_share":1})")
              .status == 200);
  const double full_wave = ReleaseLift(*server).first;
  CHECK(full_wave > default_lift + 0.01);

  // The stored prior survives a restart.
  const std::string db = server->db();
  server->Signal(SIGTERM);
  REQUIRE(server->Wait(std::chrono::seconds(15)) == 0);
  auto again = StartServer({.args = {"--db", db}, .use_default_db = false});
  const nlohmann::json stored = Json(Get(*again, "/v1/series/cold-login/reboot-prior"));
  CHECK(stored["stored"] == true);
  CHECK(stored["reboot_prior"]["auto_update_share"] == 1.0);
  CHECK(ReleaseLift(*again).first == doctest::Approx(full_wave));

  CHECK(Send(*again, "DELETE", "/v1/series/cold-login/reboot-prior").status == 204);
  CHECK(ReleaseLift(*again).first == doctest::Approx(default_lift));
}

TEST_CASE("plans start from the series' stored capacity model; a request overrides it") {
  auto server = StartServer(WithDemo());
  const std::string path = "/v1/series/demo-login/plan";
  HttpReply without = Send(*server, "POST", path, R"({"horizon_hours":24})");
  CheckJsonError(without, 400, "invalid_argument");
  CHECK(Json(without)["error"]["message"].get<std::string>().find(
            "/v1/series/demo-login/capacity-model") != std::string::npos);

  const nlohmann::json defaults = Json(Get(*server, "/v1/series/demo-login/capacity-model"));
  CHECK(defaults["stored"] == false);
  CHECK(defaults["updated_at"].is_null());
  CHECK(defaults["capacity_model"]["unit_capacity"].is_null());
  CHECK(defaults["capacity_model"]["max_units"] == 10000);

  HttpReply stored = Send(*server, "PUT", "/v1/series/demo-login/capacity-model",
                          R"({"unit_capacity":0.5,"max_units":40,"lead_time_minutes":20})");
  REQUIRE(stored.status == 200);
  CHECK(Json(stored)["capacity_model"]["max_units"] == 40);
  const nlohmann::json in_force = Json(Get(*server, "/v1/series/demo-login/capacity-model"));
  CHECK(in_force["stored"] == true);
  CHECK(in_force["capacity_model"]["unit_capacity"] == 0.5);

  HttpReply planned = Send(*server, "POST", path, R"({"horizon_hours":24})");
  REQUIRE(planned.status == 200);
  const nlohmann::json plan = Json(planned);
  CHECK(plan["unit_capacity"] == 0.5);
  int most = 0;
  for (const auto& bucket : plan["buckets"]) most = std::max(most, bucket["units"].get<int>());
  CHECK(most <= 40);

  HttpReply overridden = Send(*server, "POST", path, R"({"horizon_hours":24,"unit_capacity":2})");
  REQUIRE(overridden.status == 200);
  CHECK(Json(overridden)["unit_capacity"] == 2.0);

  CheckJsonError(Send(*server, "PUT", "/v1/series/demo-login/capacity-model", R"({"max_units":4})"),
                 400, "invalid_argument");
  CHECK(Send(*server, "DELETE", "/v1/series/demo-login/capacity-model").status == 204);
  CheckJsonError(Send(*server, "POST", path, R"({"horizon_hours":24})"), 400, "invalid_argument");
}

}  // namespace
}  // namespace patchcast::testing
