// Capacity planning end to end on the --demo series: make, store and fetch plans in every format,
// the KEDA view of the current plan, login-storm simulations, and bad requests, against the real
// binary.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/e2e.h"
#include "tests/support/exposition_check.h"

namespace patchcast::testing {
namespace {

HttpReply PostJson(const ServerProcess& server, const std::string& path, const std::string& body) {
  return Call(server, MakeRequest("POST", path, {"Content-Type: application/json"}, body));
}

// A stored plan's KEDA answer at `at` (RFC 3339).
nlohmann::json CurrentAt(const ServerProcess& server, const std::string& at) {
  HttpReply reply = Get(server, "/v1/series/demo-login/plan/current?at=" + at);
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  return Json(reply);
}

// The units of the plan's bucket starting at `ts`, or -1.
int UnitsAt(const nlohmann::json& plan, const std::string& ts) {
  for (const auto& bucket : plan["buckets"]) {
    if (bucket["ts"] == ts) return bucket["units"];
  }
  return -1;
}

TEST_CASE("a plan is made from a forecast, stored and fetched as JSON, CSV and AWS actions") {
  auto server = StartServer(WithDemo());
  const std::string as_of = LastDemoRelease(*server).notice;
  HttpReply made = PostJson(*server, "/v1/series/demo-login/plan",
                            R"({"horizon_hours":168,"as_of":")" + as_of +
                                R"(","unit_capacity":0.5,"lead_time_minutes":20,)"
                                R"("unit_cost_per_hour":0.25})");
  REQUIRE_MESSAGE(made.status == 200, made.body);
  auto plan = Json(made);
  CHECK(plan["series"] == "demo-login");
  CHECK(plan["as_of"] == as_of);
  CHECK(plan["id"].get<std::string>().starts_with("plan-"));
  REQUIRE(plan["buckets"].size() == 168 * 12);
  for (const char* key : {"ts", "demand", "units", "capacity", "p_exceed", "at_risk"}) {
    CHECK(plan["buckets"][0].contains(key));
  }
  CHECK(plan["valid_until"] > plan["as_of"]);
  CHECK(plan["summary"]["peak_units"] > 1);
  CHECK(plan["summary"]["cost"].is_number());
  CHECK(plan["summary"]["vs_static"]["unit_hours"] >= plan["summary"]["unit_hours"]);
  CHECK(plan["fallback_units"] == plan["summary"]["peak_units"]);
  REQUIRE_FALSE(plan["actions"].empty());
  bool release_reason = false;
  for (const auto& action : plan["actions"]) {
    const std::string reason = action["reason"];
    release_reason |=
        reason.starts_with("microsoft ") && reason.find(" release") != std::string::npos;
  }
  CHECK_MESSAGE(release_reason, plan["actions"].dump());

  // The forecast it was made from is stored too.
  const std::string forecast_id = plan["forecast_id"];
  CHECK(Get(*server, "/v1/forecasts/" + forecast_id).status == 200);

  const std::string location = made.Header("Location");
  REQUIRE(location == "/v1/plans/" + plan["id"].get<std::string>());
  CHECK(Json(Get(*server, location)) == plan);
  CHECK(Json(Get(*server, "/v1/series/demo-login/plans/latest"))["id"] == plan["id"]);

  HttpReply csv = Get(*server, location + "?format=csv");
  CHECK(csv.status == 200);
  CHECK(csv.body.starts_with("ts,demand,units,capacity,p_exceed,at_risk\n"));
  CHECK(static_cast<std::size_t>(std::count(csv.body.begin(), csv.body.end(), '\n')) ==
        168 * 12 + 1);

  CheckJsonError(Get(*server, location + "?format=aws-scheduled-actions"), 400, "invalid_argument");
  CHECK(Json(Get(*server, location + "?format=aws-scheduled-actions"))["error"]["message"]
            .get<std::string>()
            .find("'group'") != std::string::npos);
  // The AWS export as of the plan's as_of (never today's date): the first page holds the first
  // action after it, named after its start (tests/e2e/aws_export_test.py checks every page
  // against botocore's model).
  HttpReply aws =
      Get(*server, location + "?format=aws-scheduled-actions&group=web-asg&at=" + as_of);
  REQUIRE_MESSAGE(aws.status == 200, aws.body);
  CHECK(aws.Header("Patchcast-Page") == "1");
  CHECK(aws.Header("Patchcast-At") == as_of);
  auto document = Json(aws);
  CHECK(document["AutoScalingGroupName"] == "web-asg");
  const auto& scheduled = document["ScheduledUpdateGroupActions"];
  REQUIRE_FALSE(scheduled.empty());
  CHECK(scheduled.size() <= 50);
  const auto first = std::find_if(plan["actions"].begin(), plan["actions"].end(),
                                  [&](const auto& action) { return action["at"] > as_of; });
  REQUIRE(first != plan["actions"].end());
  std::string basic = (*first)["at"];
  std::erase_if(basic, [](char c) { return c == '-' || c == ':'; });
  CHECK(scheduled[0]["ScheduledActionName"] == "patchcast-" + basic);
  CHECK(scheduled[0]["StartTime"] == (*first)["at"]);
  CHECK(scheduled[0]["DesiredCapacity"] >= (*first)["units"]);
  CHECK(scheduled[0]["MinSize"] == scheduled[0]["DesiredCapacity"]);

  // KEDA's view at given instants: inside the plan's validity the bucket's units; past it (a
  // plan nobody renewed) stale, and never below the fallback.
  const std::string inside = HoursAfter(as_of, 2);
  auto current = CurrentAt(*server, inside);
  CHECK(current["plan_id"] == plan["id"]);
  CHECK(current["stale"] == false);
  CHECK(current["at"] == inside);
  CHECK(current["replicas"] == UnitsAt(plan, inside));
  const std::string after_validity = SecondsAfter(plan["valid_until"], 1);
  auto stale = CurrentAt(*server, after_validity);
  CHECK(stale["stale"] == true);
  CHECK(stale["replicas"] == plan["fallback_units"]);
  CHECK(stale["fallback_replicas"] == plan["fallback_units"]);
}

// The server's clock starts an hour after the demo data ends, and the plan is made as of that end:
// "now" is inside the plan and its validity, whatever day the suite runs.
constexpr const char* kHourAfterDemo = "2026-11-14T01:00:00Z";

TEST_CASE("a fresh plan answers KEDA with the units of the bucket containing now") {
  auto server = StartServer(WithDemo({.clock_start = kHourAfterDemo}));
  HttpReply none = Get(*server, "/v1/series/demo-login/plan/current");
  CheckJsonError(none, 404, "not_found");
  CHECK(Json(none)["error"]["message"] == "no plan has been made for series 'demo-login' yet");
  HttpReply made = PostJson(*server, "/v1/series/demo-login/plan",
                            R"({"horizon_hours":24,"unit_capacity":0.5})");
  REQUIRE_MESSAGE(made.status == 200, made.body);
  auto plan = Json(made);
  CHECK(plan["as_of"] == kDemoEnd);
  auto current = Json(Get(*server, "/v1/series/demo-login/plan/current"));
  CHECK(current["plan_id"] == plan["id"]);
  CHECK(current["stale"] == false);
  CHECK(current["age_seconds"] >= 0);
  CHECK(current["age_seconds"] < 600);
  // The bucket of 01:00 or, on a slow machine, of 01:05.
  CHECK_MESSAGE(current["at"].get<std::string>().starts_with("2026-11-14T01:0"), current.dump());
  CHECK(current["replicas"] == UnitsAt(plan, current["at"]));
  CHECK(current["replicas"] >= 1);
  CHECK(current["replicas"] <= plan["fallback_units"]);
}

TEST_CASE("KEDA's answer at a given instant: before, inside and after the plan") {
  auto server = StartServer(WithDemo());
  HttpReply made =
      PostJson(*server, "/v1/series/demo-login/plan", R"({"horizon_hours":6,"unit_capacity":0.5})");
  REQUIRE_MESSAGE(made.status == 200, made.body);
  auto plan = Json(made);
  const std::string first = plan["buckets"].front()["ts"];
  const std::string last = plan["buckets"].back()["ts"];

  auto before = CurrentAt(*server, SecondsAfter(first, -3600));
  CHECK(before["at"] == first);
  CHECK(before["replicas"] == UnitsAt(plan, first));
  CHECK(before["stale"] == false);

  // Inside a bucket, not only at its start.
  auto inside = CurrentAt(*server, SecondsAfter(last, 299));
  CHECK(inside["at"] == last);
  CHECK(inside["replicas"] == UnitsAt(plan, last));

  // After the last bucket the plan has nothing to say: the fallback, and stale past validity.
  auto after = CurrentAt(*server, SecondsAfter(last, 300));
  CHECK(after["at"].is_null());
  CHECK(after["replicas"] == plan["fallback_units"]);
  CHECK(after["stale"] == (SecondsAfter(last, 300) > plan["valid_until"].get<std::string>()));

  // Pollers revalidate on what a scaler acts on: two instants past the plan differ in how stale
  // they say it is but share the ETag, so If-None-Match gives 304; a fresh answer is another one.
  const auto current_at = [&](const std::string& at, const std::string& etag = "") {
    std::vector<std::string> headers;
    if (!etag.empty()) headers.push_back("If-None-Match: " + etag);
    return Get(*server, "/v1/series/demo-login/plan/current?at=" + at, headers);
  };
  const std::string valid_until = plan["valid_until"];
  HttpReply stale = current_at(SecondsAfter(valid_until, 10));
  REQUIRE(stale.status == 200);
  CHECK(Json(stale)["stale_seconds"] == 10);
  const std::string etag = stale.Header("ETag");
  REQUIRE_FALSE(etag.empty());
  CHECK(Json(current_at(SecondsAfter(valid_until, 3600)))["stale_seconds"] == 3600);
  HttpReply revalidated = current_at(SecondsAfter(valid_until, 3600), etag);
  CHECK(revalidated.status == 304);
  CHECK(revalidated.body.empty());
  HttpReply fresh = current_at(SecondsAfter(first, 10), etag);
  CHECK(fresh.status == 200);
  CHECK(Json(fresh)["stale_seconds"] == 0);

  HttpReply bad = Get(*server, "/v1/series/demo-login/plan/current?at=2026-11-31T00:00:00Z");
  CheckJsonError(bad, 400, "invalid_argument");
  CHECK(Json(bad)["error"]["message"].get<std::string>().starts_with("query parameter 'at': "));
  CheckJsonError(Get(*server, "/v1/series/demo-login/plan/current?when=now"), 400,
                 "invalid_argument");
}

TEST_CASE("/metrics shows the latest plan's units, age and staleness and the forecast's demand") {
  auto server = StartServer(WithDemo({.clock_start = kHourAfterDemo}));
  HttpReply made = PostJson(*server, "/v1/series/demo-login/plan",
                            R"({"horizon_hours":24,"unit_capacity":0.5})");
  REQUIRE_MESSAGE(made.status == 200, made.body);
  auto plan = Json(made);
  auto forecast = Json(Get(*server, "/v1/forecasts/" + plan["forecast_id"].get<std::string>()));
  // The scrape falls between two KEDA answers; a bucket boundary may pass in between.
  auto before = Json(Get(*server, "/v1/series/demo-login/plan/current"));
  HttpReply scraped = Get(*server, "/metrics");
  auto after = Json(Get(*server, "/v1/series/demo-login/plan/current"));
  REQUIRE(scraped.status == 200);
  auto report = CheckExposition(scraped.body);
  CHECK(report.problems.empty());

  double planned = -1, age = -1, stale = -1;
  std::map<std::string, double> demand;  // by quantile level label
  for (const auto& sample : report.samples) {
    auto series = sample.labels.find("series");
    if (series == sample.labels.end() || series->second != "demo-login") continue;
    if (sample.name == "patchcast_planned_units") planned = sample.value;
    if (sample.name == "patchcast_plan_age_seconds") age = sample.value;
    if (sample.name == "patchcast_plan_stale") stale = sample.value;
    if (sample.name == "patchcast_forecast_demand")
      demand[sample.labels.at("level")] = sample.value;
  }
  CHECK((planned == before["replicas"] || planned == after["replicas"]));
  CHECK(planned >= 1);
  CHECK(age >= before["age_seconds"]);
  CHECK(age <= after["age_seconds"]);
  CHECK(stale == 0);

  // The forecast's point containing now is the plan bucket KEDA answered from (plans and their
  // forecasts share the series' grid).
  REQUIRE(demand.size() == forecast["quantiles"].size());
  bool matched = false;
  for (const auto& current : {before, after}) {
    for (const auto& point : forecast["points"]) {
      if (point["ts"] != current["at"]) continue;
      bool all = true;
      for (const auto& [label, value] : demand) {
        const std::string key = "p" + std::to_string(std::lround(std::stod(label) * 100));
        all &= point[key].get<double>() == doctest::Approx(value);
      }
      matched |= all;
    }
  }
  CHECK_MESSAGE(matched, scraped.body);
  CHECK(demand.count("0.99") == 1);
}

// Six hours at 60 s steps: an ordinary 100 logins/s with a 10-minute reboot wave of 600/s after
// the first hour, against 260 logins/s of capacity.
std::string SurgeDemand() {
  std::string values;
  for (int minute = 0; minute < 360; ++minute) {
    if (!values.empty()) values += ",";
    values += (minute >= 60 && minute < 70) ? "600" : "100";
  }
  return R"({"step_seconds":60,"values":[)" + values + "]}";
}

TEST_CASE("a 2007-like surge with immediate retries is metastable; jittered backoff holds") {
  auto server = StartServer();
  const std::string capacity = R"("capacity":{"units":26,"unit_capacity":10})";
  HttpReply storm = PostJson(*server, "/v1/simulations",
                             R"({"demand":)" + SurgeDemand() + "," + capacity +
                                 R"(,"client":{"timeout_s":30,"max_retries":10,"backoff_base_s":0,)"
                                 R"("backoff_cap_s":0,"jitter":"none"}})");
  REQUIRE_MESSAGE(storm.status == 200, storm.body);
  auto collapsed = Json(storm);
  CHECK(collapsed["metastable"] == true);
  CHECK(collapsed["retry_amplification"] > 2);
  CHECK(collapsed["failed_logins"] > 0);
  CHECK(collapsed["recommendation"]["client"]["jitter"] == "full");
  CHECK(collapsed["recommendation"]["outcome"]["metastable"] == false);

  HttpReply held =
      PostJson(*server, "/v1/simulations",
               R"({"demand":)" + SurgeDemand() + "," + capacity +
                   R"(,"client":{"timeout_s":30,"max_retries":5,"backoff_base_s":600,)"
                   R"("backoff_cap_s":1800,"jitter":"full"},"admission_limit_per_s":260})");
  REQUIRE_MESSAGE(held.status == 200, held.body);
  auto calm = Json(held);
  CHECK(calm["metastable"] == false);
  CHECK(calm["retry_amplification"] < collapsed["retry_amplification"]);
  CHECK(calm["drain_seconds"].is_number());
}

TEST_CASE("a simulation replays a stored forecast against the plan made from it") {
  auto server = StartServer(WithDemo());
  HttpReply made = PostJson(*server, "/v1/series/demo-login/plan",
                            R"({"horizon_hours":24,"unit_capacity":0.5})");
  REQUIRE_MESSAGE(made.status == 200, made.body);
  auto plan = Json(made);
  const std::string forecast_id = plan["forecast_id"];
  const std::string plan_id = plan["id"];
  auto forecast = Json(Get(*server, "/v1/forecasts/" + forecast_id));
  // The forecast's points are logins per step: all of them arrive in the simulation.
  double p99_logins = 0;
  for (const auto& point : forecast["points"]) p99_logins += point["p99"].get<double>();
  REQUIRE(p99_logins > 0);

  const auto simulate = [&](const std::string& multiplier) {
    HttpReply reply = PostJson(*server, "/v1/simulations",
                               R"({"demand":{"forecast_id":")" + forecast_id +
                                   R"(","quantile":0.99,"multiplier":)" + multiplier +
                                   R"(},"capacity":{"plan_id":")" + plan_id + R"("}})");
    REQUIRE_MESSAGE(reply.status == 200, reply.body);
    return Json(reply);
  };
  // The plan covers the 0.99 quantile with headroom bucket by bucket (the two share their
  // timestamps), so its own forecast at that quantile passes without a queue.
  auto planned = simulate("1");
  CHECK(planned["fresh_logins"].get<double>() == doctest::Approx(p99_logins).epsilon(1e-3));
  CHECK(planned["failed_logins"] == 0);
  CHECK(planned["retry_amplification"] == 1);
  CHECK(planned["max_queue"].get<double>() < 1);
  // Four times the forecast is more than the plan's headroom can take.
  auto surge = simulate("4");
  CHECK(surge["fresh_logins"].get<double>() == doctest::Approx(4 * p99_logins).epsilon(1e-3));
  CHECK(surge["max_queue"].get<double>() > 100);

  auto check = [&](const std::string& demand, int status, const std::string& part) {
    HttpReply reply = PostJson(*server, "/v1/simulations",
                               R"({"demand":)" + demand +
                                   R"(,"capacity":{"units":5,)"
                                   R"("unit_capacity":10}})");
    CHECK(reply.status == status);
    CHECK_MESSAGE(
        Json(reply)["error"]["message"].get<std::string>().find(part) != std::string::npos,
        reply.body);
  };
  check(R"({"forecast_id":"fc-none"})", 404, "fc-none");
  check(R"({"forecast_id":")" + forecast_id + R"(","quantile":1.5})", 400, "demand.quantile");
  check(R"({"forecast_id":")" + forecast_id + R"(","multiplier":0})", 400, "demand.multiplier");
  HttpReply long_forecast =
      PostJson(*server, "/v1/series/demo-login/forecast", R"({"horizon_hours":200})");
  REQUIRE_MESSAGE(long_forecast.status == 200, long_forecast.body);
  check(R"({"forecast_id":")" + Json(long_forecast)["id"].get<std::string>() + R"("})", 400,
        "604800");
}

TEST_CASE("a key that may not see a series cannot simulate with its forecast or plan") {
  const auto new_key = [](const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"keys", "new"};
    args.insert(args.end(), flags.begin(), flags.end());
    auto outcome = ServerProcess::Run(args);
    REQUIRE(outcome.exit_status == 0);
    const auto newline = outcome.out.find('\n');
    return std::pair(outcome.out.substr(0, newline), outcome.out.substr(newline + 1));
  };
  auto [admin_token, admin_line] = new_key({"--scope", "admin", "--name", "ops"});
  auto [team_token, team_line] =
      new_key({"--scope", "read", "--name", "team", "--series", "team-a."});
  TempDir dir;
  const std::string keys_file = (dir / "keys").string();
  std::ofstream(keys_file) << admin_line << team_line;
  auto server = StartServer(WithDemo({.args = {"--api-keys", keys_file}}));
  const auto post = [&](const std::string& token, const std::string& path,
                        const std::string& body) {
    return Call(
        *server,
        MakeRequest("POST", path,
                    {"Content-Type: application/json", "Authorization: Bearer " + token}, body));
  };
  HttpReply made = post(admin_token, "/v1/series/demo-login/plan",
                        R"({"horizon_hours":24,"unit_capacity":0.5})");
  REQUIRE_MESSAGE(made.status == 200, made.body);
  const std::string forecast_id = Json(made)["forecast_id"];
  const std::string plan_id = Json(made)["id"];
  const std::string by_forecast = R"({"demand":{"forecast_id":")" + forecast_id +
                                  R"("},"capacity":{"units":5,"unit_capacity":10}})";
  const std::string by_plan =
      R"({"demand":{"values":[1]},"capacity":{"plan_id":")" + plan_id + R"("}})";
  CHECK(post(admin_token, "/v1/simulations", by_forecast).status == 200);
  CHECK(post(admin_token, "/v1/simulations", by_plan).status == 200);
  HttpReply hidden_forecast = post(team_token, "/v1/simulations", by_forecast);
  CheckJsonError(hidden_forecast, 404, "not_found");
  CHECK(Json(hidden_forecast)["error"]["message"] ==
        "forecast '" + forecast_id + "' does not exist");
  CheckJsonError(post(team_token, "/v1/simulations", by_plan), 404, "not_found");
}

TEST_CASE("bad plan and simulation requests name what is wrong") {
  auto server = StartServer(WithDemo());
  auto check = [&](const std::string& path, const std::string& body, int status,
                   const std::string& part) {
    HttpReply reply = PostJson(*server, path, body);
    CHECK(reply.status == status);
    CHECK_MESSAGE(
        Json(reply)["error"]["message"].get<std::string>().find(part) != std::string::npos,
        reply.body);
  };
  const std::string path = "/v1/series/demo-login/plan";
  check(path, R"({"unit_capacity":0})", 400, "unit_capacity");
  check(path, R"({})", 400, "unit_capacity");
  check(path, R"({"unit_capacity":1,"min_units":5,"max_units":3})", 400, "min_units");
  check(path, R"({"unit_capacity":1,"quantile":1.5})", 400, "quantile");
  check(path, R"({"unit_capacity":1,"horizon_hours":800})", 400, "horizon_hours");
  check(path, R"({"unit_capacity":1,"horizon_hours":2,"lead_time_minutes":600})", 400,
        "lead_time_minutes");
  check(path, R"({"unit_capacity":1,"colour":"red"})", 400, "colour");
  check("/v1/series/absent/plan", R"({"unit_capacity":1})", 404, "absent");
  CHECK(Get(*server, "/v1/plans/plan-0000000000000000").status == 404);
  // An unknown series and a series without a plan are told apart.
  HttpReply unknown = Get(*server, "/v1/series/absent/plan/current");
  CheckJsonError(unknown, 404, "not_found");
  CHECK(Json(unknown)["error"]["message"] == "series 'absent' does not exist");
  check("/v1/simulations", R"({"demand":{"values":[1]},"capacity":{"units":0,"unit_capacity":1}})",
        400, "units");
  check("/v1/simulations",
        R"({"demand":{"step_seconds":86400,"values":[1,1,1,1,1,1,1,1]},)"
        R"("capacity":{"units":1,"unit_capacity":1}})",
        400, "604800");
  check("/v1/simulations", R"({"demand":{"values":[1]},"capacity":{"plan_id":"plan-none"}})", 404,
        "plan-none");
}

HttpReply Send(const ServerProcess& server, const std::string& method, const std::string& path,
               const std::string& body) {
  return Call(server, MakeRequest(method, path, {"Content-Type: application/json"}, body));
}

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

TEST_CASE("a plan is served as iCalendar, one event per scale window, from POST and GET") {
  auto server = StartServer(WithDemo());
  const std::string as_of = LastDemoRelease(*server).notice;
  HttpReply made = PostJson(*server, "/v1/series/demo-login/plan?format=ics",
                            R"({"horizon_hours":168,"as_of":")" + as_of +
                                R"(","unit_capacity":0.5,"lead_time_minutes":20})");
  REQUIRE_MESSAGE(made.status == 200, made.body);
  CHECK(made.Header("Content-Type") == "text/calendar; charset=utf-8");
  const std::string location = made.Header("Location");
  REQUIRE(location.starts_with("/v1/plans/plan-"));
  const std::string plan_id = location.substr(std::string("/v1/plans/").size());
  CHECK(made.body.starts_with("BEGIN:VCALENDAR\r\n"));
  CHECK(made.body.ends_with("END:VCALENDAR\r\n"));

  // The stored plan gives the same bytes, by id and as the latest.
  HttpReply by_id = Get(*server, location + "?format=ics");
  REQUIRE(by_id.status == 200);
  CHECK(by_id.body == made.body);
  CHECK(Get(*server, "/v1/series/demo-login/plans/latest?format=ics").body == made.body);

  // A week with a release: its wave rises above the routine daily peak at least once, and every
  // window is the plan's, named after the release.
  const std::size_t events = Count(made.body, "BEGIN:VEVENT");
  CHECK(events >= 1);
  CHECK(Count(made.body, "END:VEVENT") == events);
  CHECK(Count(made.body, "\r\nUID:" + plan_id + "-") == events);
  CHECK(Count(made.body, "\r\nSUMMARY:Pre-scale demo-login to ") == events);
  CHECK_MESSAGE(made.body.find(" release)\r\n") != std::string::npos, made.body);
  auto plan = Json(Get(*server, location));
  std::string stamp = plan["generated_at"];  // 2026-11-22T05:22:56Z -> 20261122T052256Z
  std::erase(stamp, '-');
  std::erase(stamp, ':');
  CHECK(Count(made.body, "\r\nDTSTAMP:" + stamp + "\r\n") == events);

  HttpReply wrong = Get(*server, location + "?format=ical");
  CheckJsonError(wrong, 400, "invalid_argument");
  CHECK(Json(wrong)["error"]["message"].get<std::string>().find("ics") != std::string::npos);
}

TEST_CASE("a plan backtest replays plans before the last releases and scores them") {
  auto server = StartServer(WithDemo());
  HttpReply reply =
      PostJson(*server, "/v1/series/demo-login/plan-backtest",
               R"({"events":3,"horizon_hours":168,"unit_capacity":0.5,"lead_time_minutes":20})");
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  auto backtest = Json(reply);
  CHECK(backtest["series"] == "demo-login");
  CHECK(backtest["model"]["unit_capacity"] == 0.5);
  CHECK(backtest["model"]["lead_time_minutes"] == 20);
  REQUIRE(backtest["events"].size() == 3);

  // Each plan is made as of the advance notice before its release (Thursday, 10:00 Pacific).
  auto series = Json(Get(*server, "/v1/series/demo-login"));
  const std::string first = series["first"];
  const std::string last = series["last"];
  auto calendar = Json(Get(*server, "/v1/events?calendar=microsoft&from=" + first.substr(0, 10) +
                                        "&to=" + last.substr(0, 10)));
  std::vector<std::string> notices;
  for (const auto& event : calendar["events"]) {
    if (event["kind"] == "advance_notice") notices.push_back(event["start"]);
  }
  std::size_t buckets = 0;
  double plan_hours = 0;
  for (const auto& event : backtest["events"]) {
    CAPTURE(event.dump());
    const std::string id = event["event_id"];
    CHECK((id.starts_with("microsoft:") && id.ends_with(":release")));
    CHECK(std::find(notices.begin(), notices.end(), event["as_of"]) != notices.end());
    CHECK(event["as_of"] < event["start"]);
    CHECK(event["buckets"] == 168 * 12);  // a week of 5-minute steps, all with data
    CHECK(event["coverage"] >= 0.99);
    CHECK(event["plan_unit_hours"] > event["oracle_unit_hours"]);
    CHECK(event["static"]["vs_oracle"] > event["plan_vs_oracle"]);
    CHECK(event["static"]["coverage"] == 1.0);
    buckets += event["buckets"].get<std::size_t>();
    plan_hours += event["plan_unit_hours"].get<double>();
  }
  // The last three releases, in order.
  CHECK(backtest["events"][0]["start"] < backtest["events"][1]["start"]);
  CHECK(backtest["events"][1]["start"] < backtest["events"][2]["start"]);
  const auto& summary = backtest["summary"];
  CHECK(summary["events"] == 3);
  CHECK(summary["buckets"] == buckets);
  CHECK(summary["plan"]["unit_hours"].get<double>() == doctest::Approx(plan_hours).epsilon(1e-4));
  CHECK(summary["plan"]["coverage"] >= 0.99);
  CHECK(summary["static"]["vs_oracle"] > summary["plan"]["vs_oracle"]);
  // What pre-scaling buys: an autoscaler that follows the demand 20 minutes late is short in
  // the ramps.
  CHECK(summary["reactive"]["under_provisioned_minutes"] >
        summary["plan"]["under_provisioned_minutes"]);
}

TEST_CASE("a plan backtest starts from the series' stored capacity model") {
  auto server = StartServer(WithDemo());
  const std::string path = "/v1/series/demo-login/plan-backtest";
  CHECK(PostJson(*server, path, R"({"events":1})").status == 400);
  HttpReply stored = Send(*server, "PUT", "/v1/series/demo-login/capacity-model",
                          R"({"unit_capacity":2,"max_units":30})");
  REQUIRE_MESSAGE(stored.status == 200, stored.body);
  HttpReply reply = PostJson(*server, path, R"({"events":1,"headroom":0.5})");
  REQUIRE_MESSAGE(reply.status == 200, reply.body);
  auto backtest = Json(reply);
  CHECK(backtest["model"]["unit_capacity"] == 2.0);
  CHECK(backtest["model"]["max_units"] == 30);
  CHECK(backtest["model"]["headroom"] == 0.5);
  CHECK(backtest["events"][0]["peak_units"] <= 30);
}

TEST_CASE("bad plan backtest requests name what is wrong") {
  auto server = StartServer(WithDemo());
  auto check = [&](const std::string& path, const std::string& body, int status,
                   const std::string& part) {
    HttpReply reply = PostJson(*server, path, body);
    CHECK_MESSAGE(reply.status == status, body);
    CHECK_MESSAGE(
        Json(reply)["error"]["message"].get<std::string>().find(part) != std::string::npos,
        reply.body);
  };
  const std::string path = "/v1/series/demo-login/plan-backtest";
  check(path, R"({"unit_capacity":1,"events":0})", 400, "'events'");
  check(path, R"({"unit_capacity":1,"events":53})", 400, "'events'");
  check(path, R"({"unit_capacity":1,"horizon_hours":745})", 400, "horizon_hours");
  check(path, R"({"unit_capacity":1,"as_of":"2026-11-05T18:00:00Z"})", 400, "as_of");
  check(path, R"({"events":3})", 400, "unit_capacity");
  check(path, R"({"unit_capacity":0})", 400, "unit_capacity");
  check(path, R"({"unit_capacity":1,"min_units":5,"max_units":3})", 400, "min_units");
  check(path, R"({"unit_capacity":1,"quantile":1.5})", 400, "quantile");
  check(path, R"({"unit_capacity":1,"horizon_hours":2,"lead_time_minutes":600})", 400,
        "lead_time_minutes");
  check("/v1/series/absent/plan-backtest", R"({"unit_capacity":1})", 404, "absent");

  // Two days of data hold no release with its window and a week of history before it.
  std::string points;
  for (int hour = 0; hour < 48; ++hour) {
    if (!points.empty()) points += ",";
    points += "[" + std::to_string(1'793'491'200 + hour * 3600) + ",100]";
  }
  REQUIRE(
      Send(*server, "POST", "/v1/series/short/points", R"({"points":[)" + points + "]}").status ==
      200);
  check("/v1/series/short/plan-backtest", R"({"unit_capacity":1})", 422, "no release");
}

}  // namespace
}  // namespace patchcast::testing
