// Forecasting end to end on the --demo series: make, store and fetch forecasts, explain them,
// backtest, and refuse bad requests, against the real binary.
#include <map>
#include <sstream>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

HttpReply PostJson(const ServerProcess& server, const std::string& path, const std::string& body) {
  return Call(server, MakeRequest("POST", path, {"Content-Type: application/json"}, body));
}

TEST_CASE("the demo data ends where --demo-end says, and its release pairs with its own notice") {
  auto server = StartServer(WithDemo());
  auto series = Json(Get(*server, "/v1/series/demo-login"));
  CHECK(series["first"] == "2025-11-14T00:00:00Z");
  CHECK(series["last"] == "2026-11-13T23:55:00Z");
  const DemoRelease release = LastDemoRelease(*server);
  CHECK(release.id == "microsoft:2026-11-10:release");
  CHECK(release.start == "2026-11-10T18:00:00Z");
  CHECK(release.notice.starts_with("2026-11-05T"));
}

TEST_CASE("without --demo-end the demo data ends at start-up, floored to the hour") {
  auto server = StartServer({.args = {"--demo"}, .clock_start = "2027-01-12T17:59:00Z"});
  auto series = Json(Get(*server, "/v1/series/demo-login"));
  CHECK(series["last"] == "2027-01-12T16:55:00Z");
  CHECK(LastDemoRelease(*server).id == "microsoft:2026-12-08:release");
}

TEST_CASE("a forecast is made, stored, fetched again and shows the coming release's peak") {
  auto server = StartServer(WithDemo());
  const DemoRelease release = LastDemoRelease(*server);
  REQUIRE_FALSE(release.id.empty());
  // As of the advance-notice Thursday, so the release and its wave lie inside the horizon.
  HttpReply made = PostJson(*server, "/v1/series/demo-login/forecast",
                            R"({"horizon_hours":168,"as_of":")" + release.notice + R"("})");
  REQUIRE(made.status == 200);
  auto forecast = Json(made);
  CHECK(forecast["series"] == "demo-login");
  CHECK(forecast["as_of"] == release.notice);
  CHECK(forecast["step_seconds"] == 300);
  CHECK(forecast["quantiles"] == nlohmann::json::array({0.5, 0.9, 0.99}));
  REQUIRE(forecast["points"].size() == 168 * 12);
  bool monotone = true;
  for (const auto& point : forecast["points"]) {
    monotone &= point["p50"] >= 0 && point["p50"] <= point["p90"] && point["p90"] <= point["p99"];
  }
  CHECK(monotone);
  bool found = false;
  for (const auto& event : forecast["events"]) {
    if (event["id"] != release.id) continue;
    found = true;
    CHECK(event["lift_p50"] > 1.0);
    CHECK(event["peak"]["p99"] >= event["peak"]["p50"]);
    CHECK(event["peak"]["window"]["p10"] >= release.start);  // no surge before the release
    CHECK(event["peak"]["window"]["p10"] <= event["peak"]["ts"]);
    CHECK(event["peak"]["ts"] <= event["peak"]["window"]["p90"]);
  }
  CHECK(found);
  CHECK(forecast["model"]["events_used"] > 3);

  const std::string location = made.Header("Location");
  REQUIRE(location == "/v1/forecasts/" + forecast["id"].get<std::string>());
  CHECK(Json(Get(*server, location)) == forecast);
  CHECK(Json(Get(*server, "/v1/series/demo-login/forecasts/latest"))["id"] == forecast["id"]);
  HttpReply csv = Get(*server, location + "?format=csv");
  CHECK(csv.body.starts_with("ts,baseline,p50,p90,p99\n"));
  CHECK(static_cast<std::size_t>(std::count(csv.body.begin(), csv.body.end(), '\n')) ==
        168 * 12 + 1);
}

TEST_CASE("an event under way at as_of reports how much of it has been observed") {
  auto server = StartServer(WithDemo());
  const DemoRelease release = LastDemoRelease(*server);
  const auto observed_share = [&](const std::string& as_of) {
    auto forecast = Json(PostJson(*server, "/v1/series/demo-login/forecast",
                                  R"({"horizon_hours":168,"as_of":")" + as_of + R"("})"));
    for (const auto& event : forecast["events"]) {
      if (event["id"] == release.id) return event["observed_share"].get<double>();
    }
    FAIL("the release is not in the forecast as of " << as_of);
    return -1.0;
  };
  CHECK(observed_share(release.notice) == 0);
  const double under_way = observed_share(HoursAfter(release.start, 30));
  CHECK(under_way > 0.05);
  CHECK(under_way < 1);
}

TEST_CASE("explain decomposes each point into baseline and event uplifts") {
  auto server = StartServer(WithDemo());
  const DemoRelease release = LastDemoRelease(*server);
  auto forecast = Json(PostJson(*server, "/v1/series/demo-login/forecast?explain=true",
                                R"({"horizon_hours":168,"as_of":")" + release.notice + R"("})"));
  bool any_uplift = false;
  for (const auto& point : forecast["points"]) {
    REQUIRE(point.contains("explain"));
    CHECK(point["explain"]["baseline"] == point["baseline"]);
    any_uplift |= point["explain"]["uplift"].contains(release.id);
  }
  CHECK(any_uplift);
}

TEST_CASE("a what-if multiplier scales the event's uplift") {
  auto server = StartServer(WithDemo());
  const DemoRelease release = LastDemoRelease(*server);
  const std::string base = R"({"horizon_hours":168,"as_of":")" + release.notice + R"(")";
  auto plain = Json(PostJson(*server, "/v1/series/demo-login/forecast", base + "}"));
  auto doubled =
      Json(PostJson(*server, "/v1/series/demo-login/forecast",
                    base + R"(,"what_if":{"event_id":")" + release.id + R"(","multiplier":2}})"));
  // lift_p50 - 1 is the event's median uplift over the baseline, relative to it.
  auto uplift = [&](const nlohmann::json& forecast) {
    for (const auto& event : forecast["events"]) {
      if (event["id"] == release.id) return event["lift_p50"].get<double>() - 1;
    }
    return -1.0;
  };
  REQUIRE(uplift(plain) > 0);
  CHECK(uplift(doubled) == doctest::Approx(2 * uplift(plain)).epsilon(0.25));

  // The what-if is marked, kept by id, and never the series' latest (dashboards and gauges read
  // that): the plain forecast made before it stays the latest.
  CHECK(plain["hypothetical"] == false);
  CHECK(doubled["hypothetical"] == true);
  CHECK(Json(Get(*server, "/v1/forecasts/" + doubled["id"].get<std::string>())) == doubled);
  CHECK(Json(Get(*server, "/v1/series/demo-login/forecasts/latest"))["id"] == plain["id"]);
}

TEST_CASE("a backtest scores each replayed release against the peers") {
  auto server = StartServer(WithDemo());
  HttpReply reply = PostJson(*server, "/v1/series/demo-login/backtest", R"({"events":6})");
  REQUIRE(reply.status == 200);
  auto backtest = Json(reply);
  CHECK(backtest["events"].size() == 6);
  CHECK(backtest["summary"]["events"] == 6);
  const auto& summary = backtest["summary"];
  CHECK(summary["model"]["median_abs_peak_error_pct"] <
        summary["seasonal_naive"]["median_abs_peak_error_pct"]);
  for (const auto& card : backtest["events"]) {
    CHECK(card["as_of"] < card["start"]);
    CHECK(card["model"]["peak_error_pct"].is_number());
  }
}

TEST_CASE("bad forecast requests name what is wrong") {
  auto server = StartServer(WithDemo());
  auto check = [&](const std::string& path, const std::string& body, int status,
                   const std::string& part) {
    HttpReply reply = PostJson(*server, path, body);
    CHECK(reply.status == status);
    CHECK_MESSAGE(
        Json(reply)["error"]["message"].get<std::string>().find(part) != std::string::npos,
        reply.body);
  };
  const std::string path = "/v1/series/demo-login/forecast";
  check(path, R"({"horizon_hours":0})", 400, "horizon_hours");
  check(path, R"({"horizon_hours":745})", 400, "horizon_hours");
  check(path, R"({"quantiles":[0.5,1.5]})", 400, "quantiles");
  check(path, R"({"as_of":"2026-02-30T00:00:00Z"})", 400, "as_of");
  check(path, R"({"calendars":["nope"]})", 404, "nope");
  check(path, R"({"horizon":5})", 400, "unknown field 'horizon'");
  check(path, R"({"what_if":{"event_id":"microsoft:1999-01-12:release","multiplier":2}})", 400,
        "what_if");
  check("/v1/series/absent/forecast", "{}", 404, "absent");
  check("/v1/series/demo-login/backtest", R"({"events":0})", 400, "events");
  CHECK(Get(*server, "/v1/forecasts/fc-0000000000000000").status == 404);
}

TEST_CASE("a series too short to forecast gets 422 saying what is missing") {
  auto server = StartServer();
  Call(*server, MakeRequest("POST", "/v1/series/young/points", {"Content-Type: text/csv"},
                            "ts,value\n2026-11-01T00:00:00Z,5\n2026-11-01T01:00:00Z,6\n"));
  HttpReply reply = PostJson(*server, "/v1/series/young/forecast", "{}");
  CHECK(reply.status == 422);
  CHECK(Json(reply)["error"]["message"].get<std::string>().find("week") != std::string::npos);
}

}  // namespace
}  // namespace patchcast::testing

namespace patchcast::testing {
namespace {

TEST_CASE("the forecast and backtest commands work on the service's database for cron jobs") {
  auto server = StartServer(WithDemo());
  Call(*server, MakeRequest("POST", "/v1/series/young/points", {"Content-Type: text/csv"},
                            "ts,value\n2026-11-01T00:00:00Z,5\n2026-11-01T01:00:00Z,6\n"));
  const std::string db = server->db();

  auto csv = ServerProcess::Run(
      {"forecast", "--db", db, "--series", "demo-login", "--horizon", "2h", "--format", "csv"});
  CHECK(csv.exit_status == 0);
  CHECK(csv.out.starts_with("ts,baseline,p50,p90,p99\n"));
  CHECK(static_cast<int>(std::count(csv.out.begin(), csv.out.end(), '\n')) == 1 + 24);

  // --all stores a forecast per series and skips `young`, too short yet: exit 4, not a failure.
  auto all = ServerProcess::Run({"forecast", "--db", db, "--all"});
  CHECK(all.exit_status == 4);
  CHECK(all.err.empty());
  std::istringstream lines(all.out);
  std::string line;
  std::map<std::string, nlohmann::json> by_series;
  while (std::getline(lines, line)) {
    auto parsed = nlohmann::json::parse(line);
    by_series[parsed["series"]] = parsed;
  }
  REQUIRE(by_series.count("demo-login"));
  CHECK(by_series["demo-login"]["forecast_id"].get<std::string>().starts_with("fc-"));
  REQUIRE(by_series.count("young"));
  CHECK(by_series["young"]["skipped"].get<std::string>().find("7 days") != std::string::npos);
  CHECK(Json(Get(*server, "/v1/series/demo-login/forecasts/latest"))["id"] ==
        by_series["demo-login"]["forecast_id"]);

  auto backtest =
      ServerProcess::Run({"backtest", "--db", db, "--series", "demo-login", "--events", "2"});
  CHECK(backtest.exit_status == 0);
  CHECK(nlohmann::json::parse(backtest.out)["events"].size() == 2);

  // A failure is on stderr, with exit 1; a database that cannot be opened is exit 3.
  auto absent = ServerProcess::Run({"forecast", "--db", db, "--series", "absent"});
  CHECK(absent.exit_status == 1);
  CHECK(absent.err.find("absent") != std::string::npos);
  CHECK(absent.out.empty());
  auto no_database = ServerProcess::Run(
      {"forecast", "--db", (server->dir() / "missing" / "p.db").string(), "--all"});
  CHECK(no_database.exit_status == 3);
  CHECK(ServerProcess::Run({"forecast", "--db", db}).exit_status == 2);
  CHECK(ServerProcess::Run({"forecast", "--series", "x", "--horizon", "40d"}).exit_status == 2);
  CHECK(ServerProcess::Run({"backtest", "--series", "x", "--events", "0"}).exit_status == 2);
}

}  // namespace
}  // namespace patchcast::testing

namespace patchcast::testing {
namespace {

TEST_CASE("the forecast command can go through a running server with a key") {
  const KeyedServer keyed = StartDemoServerWithKey("read");
  const std::unique_ptr<ServerProcess>& server = keyed.server;
  const std::string& token = keyed.token;
  const std::string url = "http://127.0.0.1:" + std::to_string(server->port());

  auto refused = ServerProcess::Run({"forecast", "--url", url, "--series", "demo-login"});
  CHECK(refused.exit_status == 1);
  CHECK(refused.err.find("HTTP 401") != std::string::npos);

  // No server there: exit 3, with the whole reason.
  auto nobody = ServerProcess::Run({"forecast", "--url", "http://127.0.0.1:1", "--all"});
  CHECK(nobody.exit_status == 3);
  CHECK_MESSAGE(
      nobody.err.find("cannot reach the server at http://127.0.0.1:1: could not connect "
                      "(is the server running, and is the address right?)") != std::string::npos,
      nobody.err);

  auto made =
      ServerProcess::Run({"forecast", "--url", url, "--series", "demo-login", "--horizon", "2h"},
                         {{"PATCHCAST_TOKEN", token}});
  REQUIRE(made.exit_status == 0);
  auto document = nlohmann::json::parse(made.out);
  CHECK(document["points"].size() == 24);
  CHECK(Json(Get(*server, "/v1/series/demo-login/forecasts/latest",
                 {"Authorization: Bearer " + token}))["id"] == document["id"]);
}

}  // namespace
}  // namespace patchcast::testing
