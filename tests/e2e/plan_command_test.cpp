// `patchcast plan` for cron jobs, end to end: the real binary on the database of a --demo server,
// and through that server with an API key. Its lines on stdout and stderr, its exit statuses, and
// the plans it stores, as GET …/plans/latest and …/plan/current serve them.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/e2e.h"
#include "tests/support/json_lines.h"

namespace patchcast::testing {
namespace {

// Sends `method path` with a JSON or CSV `body` (by its first byte), and the bearer `token` if any.
HttpReply Send(const ServerProcess& server, const std::string& method, const std::string& path,
               const std::string& body, const std::string& token = "") {
  std::vector<std::string> headers = {body.starts_with("{") ? "Content-Type: application/json"
                                                            : "Content-Type: text/csv"};
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  return Call(server, MakeRequest(method, path, headers, body));
}

// The series of these tests besides demo-login (which gets a capacity model): `young`, two points
// and a capacity model (too little history: skipped), and `unplanned`, points but no capacity
// model (left out by --all).
void AddSeries(const ServerProcess& server, const std::string& token = "") {
  const std::string points = "ts,value\n2026-11-01T00:00:00Z,5\n2026-11-01T01:00:00Z,6\n";
  REQUIRE(Send(server, "POST", "/v1/series/young/points", points, token).status / 100 == 2);
  REQUIRE(Send(server, "POST", "/v1/series/unplanned/points", points, token).status / 100 == 2);
  for (const char* series : {"demo-login", "young"}) {
    HttpReply stored = Send(server, "PUT", std::string("/v1/series/") + series + "/capacity-model",
                            R"({"unit_capacity":0.5,"lead_time_minutes":20})", token);
    REQUIRE_MESSAGE(stored.status == 200, stored.body);
  }
}

// Checks an --all run over AddSeries' series: exit 4 (young skipped), demo-login planned as of the
// end of its data, nothing for `unplanned`, nothing on stderr. Returns demo-login's line.
nlohmann::json CheckAllRun(const ServerProcess::Outcome& all) {
  CHECK_MESSAGE(all.exit_status == 4, all.err);
  CHECK(all.err.empty());
  auto lines = JsonLinesBySeries(all.out);
  CHECK(lines.size() == 2);
  CHECK(lines.count("unplanned") == 0);
  REQUIRE(lines.count("young"));
  CHECK(lines["young"]["skipped"].get<std::string>().find("7 days") != std::string::npos);
  REQUIRE(lines.count("demo-login"));
  const nlohmann::json demo = lines["demo-login"];
  CHECK(demo["plan_id"].get<std::string>().starts_with("plan-"));
  CHECK(demo["forecast_id"].get<std::string>().starts_with("fc-"));
  CHECK(demo["as_of"] == kDemoEnd);
  CHECK(demo["valid_until"] == HoursAfter(kDemoEnd, 24));
  CHECK(demo["actions"].get<int>() > 0);
  CHECK(demo["peak_units"].get<int>() > 1);
  return demo;
}

// Checks that the plan `line` names is the series' latest, and what plan/current answers.
void CheckStored(const ServerProcess& server, const nlohmann::json& line,
                 const std::string& token = "") {
  std::vector<std::string> headers;
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  const std::string series = line["series"];
  auto latest = Json(Get(server, "/v1/series/" + series + "/plans/latest", headers));
  CHECK(latest["id"] == line["plan_id"]);
  CHECK(latest["forecast_id"] == line["forecast_id"]);
  CHECK(latest["actions"].size() == line["actions"]);
  auto current =
      Json(Get(server, "/v1/series/" + series + "/plan/current?at=" + kDemoEnd, headers));
  CHECK(current["plan_id"] == line["plan_id"]);
  CHECK(current["stale"] == false);
  CHECK(Get(server, "/v1/series/unplanned/plans/latest", headers).status == 404);
}

// Checks a failing --all run (an unknown calendar fails every series): exit 1, one JSON line per
// failed series on stderr, naming the calendar.
void CheckFailingRun(const ServerProcess::Outcome& failing) {
  CHECK(failing.exit_status == 1);
  auto failures = JsonLinesBySeries(failing.err);
  REQUIRE(failures.count("demo-login"));
  CHECK(failures["demo-login"]["error"].get<std::string>().find("nosuch") != std::string::npos);
  CHECK(failing.out.find("demo-login") == std::string::npos);
}

TEST_CASE("patchcast plan makes and stores fresh plans on the service's database") {
  auto server = StartServer(WithDemo());
  AddSeries(*server);
  const std::string db = server->db();

  const nlohmann::json demo = CheckAllRun(ServerProcess::Run({"plan", "--db", db, "--all"}));
  CheckStored(*server, demo);

  auto csv = ServerProcess::Run(
      {"plan", "--db", db, "--series", "demo-login", "--horizon", "2h", "--format", "csv"});
  CHECK(csv.exit_status == 0);
  CHECK(csv.out.starts_with("ts,demand,units,capacity,p_exceed,at_risk\n"));
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 1 + 24);

  const std::string as_of = HoursAfter(kDemoEnd, -24);
  auto json = ServerProcess::Run(
      {"plan", "--db", db, "--series", "demo-login", "--horizon", "12h", "--as-of", as_of});
  REQUIRE(json.exit_status == 0);
  auto plan = nlohmann::json::parse(json.out);
  CHECK(plan["as_of"] == as_of);
  CHECK(plan["valid_until"] == HoursAfter(as_of, 12));
  CHECK(Json(Get(*server, "/v1/series/demo-login/plans/latest"))["id"] == plan["id"]);

  auto ics = ServerProcess::Run({"plan", "--db", db, "--series", "demo-login", "--format", "ics"});
  CHECK(ics.exit_status == 0);
  CHECK(ics.out.starts_with("BEGIN:VCALENDAR\r\n"));

  // A series without a capacity model fails by name; exit 1, nothing on stdout.
  auto unplanned = ServerProcess::Run({"plan", "--db", db, "--series", "unplanned"});
  CHECK(unplanned.exit_status == 1);
  CHECK(unplanned.out.empty());
  CHECK(unplanned.err.find("PUT /v1/series/unplanned/capacity-model") != std::string::npos);

  CheckFailingRun(ServerProcess::Run({"plan", "--db", db, "--all", "--calendars", "nosuch"}));
  auto no_database =
      ServerProcess::Run({"plan", "--db", (server->dir() / "missing" / "p.db").string(), "--all"});
  CHECK(no_database.exit_status == 3);
  CHECK(no_database.err.find("missing") != std::string::npos);
}

// Checks a `forecast --all --plan` run over AddSeries' series: demo-login planned (its line the
// plan's), `unplanned` forecast (its plan_id null), `young` skipped: exit 4. Returns demo-login's
// line.
nlohmann::json CheckWeeklyRun(const ServerProcess& server, const ServerProcess::Outcome& weekly) {
  CHECK_MESSAGE(weekly.exit_status == 4, weekly.err);
  CHECK(weekly.err.empty());
  auto lines = JsonLinesBySeries(weekly.out);
  CHECK(lines.size() == 3);
  REQUIRE(lines.count("unplanned"));
  CHECK(lines["unplanned"]["plan_id"].is_null());
  CHECK(Json(Get(server, "/v1/series/unplanned/forecasts/latest"))["id"] ==
        lines["unplanned"]["forecast_id"]);
  REQUIRE(lines.count("young"));
  CHECK(lines["young"]["skipped"].get<std::string>().find("7 days") != std::string::npos);
  REQUIRE(lines.count("demo-login"));
  const nlohmann::json demo = lines["demo-login"];
  CHECK(demo["plan_id"].get<std::string>().starts_with("plan-"));
  CHECK(demo["as_of"] == kDemoEnd);
  CHECK(demo["valid_until"] == HoursAfter(kDemoEnd, 24));
  return demo;
}

TEST_CASE(
    "patchcast forecast --all --plan is the weekly job, on the database and through a server") {
  auto server = StartServer(WithDemo());
  AddSeries(*server);
  CheckStored(*server, CheckWeeklyRun(*server, ServerProcess::Run({"forecast", "--db", server->db(),
                                                                   "--all", "--plan"})));
  const std::string url = "http://127.0.0.1:" + std::to_string(server->port());
  CheckStored(
      *server,
      CheckWeeklyRun(*server, ServerProcess::Run({"forecast", "--url", url, "--all", "--plan"})));
  auto one = ServerProcess::Run({"forecast", "--series", "demo-login", "--plan"});
  CHECK(one.exit_status == 2);
  CHECK(one.err.find("--plan goes with --all") != std::string::npos);
}

TEST_CASE("patchcast plan refuses a wrong command line with exit 2, and explains itself") {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"plan"},
                                             {"plan", "--series", "demo-login", "--all"},
                                             {"plan", "--all", "--unit-capacity", "5"},
                                             {"plan", "--all", "--format", "xml"},
                                             {"plan", "--all", "--horizon", "40d"}}) {
    auto refused = ServerProcess::Run(args);
    CHECK(refused.exit_status == 2);
    CHECK(refused.out.empty());
    CHECK(refused.err.find("Usage: patchcast plan") != std::string::npos);
  }
  auto help = ServerProcess::Run({"plan", "--help"});
  CHECK(help.exit_status == 0);
  CHECK(help.out.starts_with("Usage: patchcast plan --series ID [OPTIONS]\n"));
  CHECK(help.out.find("stored capacity model") != std::string::npos);
  CHECK(help.out.find("4 none failed but some were skipped") != std::string::npos);
  auto commands = ServerProcess::Run({"--help"});
  CHECK(commands.out.find("\n  plan ") != std::string::npos);
}

TEST_CASE("patchcast plan goes through a running server with a key") {
  const KeyedServer keyed = StartDemoServerWithKey("write");  // PUT …/capacity-model needs write
  const ServerProcess& server = *keyed.server;
  const std::string& token = keyed.token;
  AddSeries(server, token);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());

  auto refused = ServerProcess::Run({"plan", "--url", url, "--series", "demo-login"});
  CHECK(refused.exit_status == 1);
  CHECK(refused.err.find("HTTP 401") != std::string::npos);

  auto nobody = ServerProcess::Run({"plan", "--url", "http://127.0.0.1:1", "--all"});
  CHECK(nobody.exit_status == 3);
  CHECK_MESSAGE(nobody.err.find("cannot reach the server at http://127.0.0.1:1: could not "
                                "connect") != std::string::npos,
                nobody.err);

  const std::map<std::string, std::string> env = {{"PATCHCAST_TOKEN", token}};
  const nlohmann::json demo = CheckAllRun(ServerProcess::Run({"plan", "--url", url, "--all"}, env));
  CheckStored(server, demo, token);

  auto ics = ServerProcess::Run({"plan", "--url", url, "--token", token, "--series", "demo-login",
                                 "--horizon", "24h", "--format", "ics"});
  CHECK(ics.exit_status == 0);
  CHECK(ics.out.starts_with("BEGIN:VCALENDAR\r\n"));
  CHECK(ics.out.find("X-WR-CALNAME:Patchcast plan plan-") != std::string::npos);

  CheckFailingRun(
      ServerProcess::Run({"plan", "--url", url, "--all", "--calendars", "nosuch"}, env));
}

}  // namespace
}  // namespace patchcast::testing
