// `patchcast plan` on the database (local mode), over in-memory stores: which series --all plans,
// skips and leaves out, the lines and exit statuses, the formats of one series' plan, and the
// usage errors that never open the database. Through a server (--url) it is tested end to end.
#include "server/plan_command.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "api/point_text.h"
#include "tests/server/command_fixture.h"
#include "tests/support/json_lines.h"

namespace patchcast::server {
namespace {

using nlohmann::json;

const std::chrono::sys_seconds kEnd = *api::ParseRfc3339Seconds("2026-11-14T00:00:00Z");

// "login": four weeks of hourly logins with a capacity model.
struct Fixture : CommandFixture {
  Fixture() {
    planning.AddHourlySeries("login", 28, kEnd);
    planning.StoreCapacityModel("login", 0.5);
  }
  int Run(const std::vector<std::string>& args) {
    return CommandFixture::Run(RunPlanCommand, args);
  }
};

TEST_CASE("--all plans every series with points and a capacity model and leaves out the rest") {
  Fixture f;
  f.planning.AddHourlySeries("young", 2, kEnd);
  f.planning.StoreCapacityModel("young", 0.5);
  f.planning.AddHourlySeries("unplanned", 28, kEnd);  // no capacity model
  REQUIRE(f.planning.series.PutSeries({"empty", std::chrono::hours{1}, "logins", "", {}}));
  f.planning.StoreCapacityModel("empty", 0.5);  // a model, but no points

  // `young` has too little history: skipped, so exit 4 (none failed).
  CHECK(f.Run({"--all"}) == kExitSkipped);
  CHECK(f.err.str().empty());
  auto lines = testing::JsonLinesBySeries(f.out.str());
  CHECK(lines.size() == 2);
  REQUIRE(lines.count("login"));
  const json& login = lines["login"];
  CHECK(login["plan_id"] == "plan-1");
  CHECK(login["forecast_id"] == "fc-1");
  CHECK(login["as_of"] == "2026-11-14T00:00:00Z");
  CHECK(login["valid_until"] == "2026-11-15T00:00:00Z");
  CHECK(login["actions"].get<int>() > 0);
  CHECK(login["peak_units"].get<int>() >= 6);
  REQUIRE(lines.count("young"));
  CHECK(lines["young"]["skipped"].get<std::string>().find("at least 7 days") != std::string::npos);

  // Stored, so …/plans/latest serves it; nothing for the series left out.
  auto latest = f.planning.plans.Latest("login");
  REQUIRE(latest);
  CHECK(latest->id == "plan-1");
  CHECK(PlanSummary(json::parse(latest->document)) == json{{"plan_id", "plan-1"},
                                                           {"forecast_id", "fc-1"},
                                                           {"as_of", "2026-11-14T00:00:00Z"},
                                                           {"valid_until", "2026-11-15T00:00:00Z"},
                                                           {"actions", login["actions"]},
                                                           {"peak_units", login["peak_units"]}});
  CHECK_FALSE(f.planning.plans.Latest("unplanned"));
  CHECK(f.planning.plans.ForSeries("login")->size() == 1);
  CHECK(f.planning.plans.ForSeries("young")->empty());
}

TEST_CASE("--all with every series planned is exit 0; with a failure, exit 1 and stderr lines") {
  Fixture f;
  CHECK(f.Run({"--all", "--horizon", "12h", "--as-of", "2026-11-13T00:00:00Z"}) == kExitOk);
  auto lines = testing::JsonLinesBySeries(f.out.str());
  REQUIRE(lines.count("login"));
  CHECK(lines["login"]["valid_until"] == "2026-11-13T12:00:00Z");

  CHECK(f.Run({"--all", "--calendars", "nosuch"}) == kExitFailed);
  CHECK(f.out.str().empty());
  auto failures = testing::JsonLinesBySeries(f.err.str());
  REQUIRE(failures.count("login"));
  CHECK(failures["login"]["error"].get<std::string>().find("nosuch") != std::string::npos);
}

TEST_CASE("--series prints the plan as JSON, CSV or iCalendar, and stores it") {
  Fixture f;
  REQUIRE(f.Run({"--series", "login"}) == kExitOk);
  const json document = json::parse(f.out.str());
  CHECK(document["series"] == "login");
  CHECK(document["buckets"].size() == 168);
  CHECK(f.planning.plans.Latest("login")->id == document["id"]);

  REQUIRE(f.Run({"--series", "login", "--horizon", "12h", "--format", "csv"}) == kExitOk);
  const std::string csv = f.out.str();
  CHECK(csv.starts_with("ts,demand,units,capacity,p_exceed,at_risk\n"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 12);

  REQUIRE(f.Run({"--series", "login", "--format", "ics"}) == kExitOk);
  CHECK(f.out.str().starts_with("BEGIN:VCALENDAR\r\n"));
  CHECK(f.planning.plans_made == 3);
}

TEST_CASE("--series fails on a series without a capacity model, naming what is missing") {
  Fixture f;
  f.planning.AddHourlySeries("unplanned", 28, kEnd);
  CHECK(f.Run({"--series", "unplanned"}) == kExitFailed);
  CHECK(f.out.str().empty());
  CHECK(f.err.str() ==
        "patchcast plan: field 'unit_capacity' is required (or store the series' capacity model "
        "with PUT /v1/series/unplanned/capacity-model)\n");
  CHECK(f.Run({"--series", "young"}) == kExitFailed);  // unknown, and so without a model
}

TEST_CASE("help and usage errors never open the database; one that cannot be opened is exit 3") {
  Fixture f;
  CHECK(f.Run({"--all", "--help"}) == kExitOk);
  CHECK(f.out.str().starts_with("Usage: patchcast plan --series ID [OPTIONS]\n"));
  CHECK(f.out.str().find("capacity model") != std::string::npos);
  CHECK(f.Run({"--series", "login", "--unit-capacity", "5"}) == kExitUsage);
  CHECK(f.err.str().starts_with("patchcast plan: unknown option '--unit-capacity'\n\nUsage:"));
  CHECK(f.Run({"--series", "login", "--format", "xml"}) == kExitUsage);
  CHECK(f.Run({}) == kExitUsage);
  CHECK_FALSE(f.opened);
  f.database_down = true;
  CHECK(f.Run({"--all"}) == kExitUnreachable);
  CHECK(f.opened);
}

TEST_CASE("a plan's summary line names null what its document lacks") {
  CHECK(PlanSummary(json{{"id", "plan-9"}, {"actions", json::array()}}) ==
        json{{"plan_id", "plan-9"},
             {"forecast_id", nullptr},
             {"as_of", nullptr},
             {"valid_until", nullptr},
             {"actions", 0},
             {"peak_units", nullptr}});
}

}  // namespace
}  // namespace patchcast::server
