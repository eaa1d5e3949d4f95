// `patchcast forecast` on the database (local mode), over in-memory stores: --all --plan, the
// weekly job in one command (a series with a capacity model is planned, the others forecast), its
// lines and exit statuses, and its usage errors. Through a server (--url) it is tested end to end.
#include "server/forecast_command.h"

#include <doctest/doctest.h>

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

// "login" with four weeks of hourly logins and a capacity model, "unplanned" with the same and no
// model.
struct Fixture : CommandFixture {
  Fixture() {
    planning.AddHourlySeries("login", 28, kEnd);
    planning.StoreCapacityModel("login", 0.5);
    planning.AddHourlySeries("unplanned", 28, kEnd);
  }
  int Run(const std::vector<std::string>& args) {
    return CommandFixture::Run(
        [](const std::vector<std::string>& a, const CommandIo& io) {
          return RunForecastCommand("forecast", a, io);
        },
        args);
  }
};

TEST_CASE("--all --plan plans the series with a capacity model and forecasts the others") {
  Fixture f;
  REQUIRE(f.Run({"--all", "--plan"}) == kExitOk);
  CHECK(f.err.str().empty());
  auto lines = testing::JsonLinesBySeries(f.out.str());
  REQUIRE(lines.size() == 2);
  const json& login = lines["login"];
  CHECK(login["plan_id"] == "plan-1");
  CHECK(login["valid_until"] == "2026-11-15T00:00:00Z");
  CHECK(login["peak_units"].get<int>() >= 6);
  const std::string login_forecast = login["forecast_id"];
  const json& unplanned = lines["unplanned"];
  CHECK(unplanned["plan_id"].is_null());
  CHECK(unplanned["events"].get<int>() >= 1);
  const std::string unplanned_forecast = unplanned["forecast_id"];

  // Each series got one forecast, kept; the plan's is the one its plan names.
  CHECK(f.planning.forecasts.ForSeries("login")->size() == 1);
  CHECK(f.planning.forecasts.Latest("login")->id == login_forecast);
  CHECK(f.planning.plans.Latest("login")->id == "plan-1");
  CHECK(f.planning.forecasts.Latest("unplanned")->id == unplanned_forecast);
  CHECK(f.planning.plans.ForSeries("unplanned")->empty());
}

TEST_CASE("--all without --plan forecasts every series and plans none") {
  Fixture f;
  REQUIRE(f.Run({"--all"}) == kExitOk);
  auto lines = testing::JsonLinesBySeries(f.out.str());
  REQUIRE(lines.size() == 2);
  CHECK_FALSE(lines["login"].contains("plan_id"));
  CHECK(f.planning.plans.ForSeries("login")->empty());
}

TEST_CASE("--all --plan: a skipped series is exit 4, a failed one exit 1 with its line on stderr") {
  Fixture f;
  f.planning.AddHourlySeries("young", 2, kEnd);
  f.planning.StoreCapacityModel("young", 0.5);
  CHECK(f.Run({"--all", "--plan"}) == kExitSkipped);
  auto lines = testing::JsonLinesBySeries(f.out.str());
  REQUIRE(lines.count("young"));
  CHECK(lines["young"]["skipped"].get<std::string>().find("at least 7 days") != std::string::npos);
  CHECK(f.planning.plans.ForSeries("young")->empty());

  CHECK(f.Run({"--all", "--plan", "--calendars", "nosuch"}) == kExitFailed);
  auto failures = testing::JsonLinesBySeries(f.err.str());
  REQUIRE(failures.count("login"));
  REQUIRE(failures.count("unplanned"));
  CHECK(failures["login"]["error"].get<std::string>().find("nosuch") != std::string::npos);
}

TEST_CASE("--plan goes with --all; usage errors never open the database; exit 3 when it is down") {
  Fixture f;
  CHECK(f.Run({"--series", "login", "--plan"}) == kExitUsage);
  CHECK(f.err.str().starts_with(
      "patchcast forecast: --plan goes with --all (for one series, use patchcast plan)\n"));
  CHECK(f.Run({"--all", "--plan", "--events", "3"}) == kExitUsage);
  CHECK_FALSE(f.opened);
  f.Run({"--help"});
  CHECK(f.out.str().find("--all --plan") != std::string::npos);
  f.database_down = true;
  CHECK(f.Run({"--all", "--plan"}) == kExitUnreachable);
  CHECK(f.opened);
}

}  // namespace
}  // namespace patchcast::server
