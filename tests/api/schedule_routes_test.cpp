// The schedule routes as handlers (api/schedule_routes.h): a schedule stored, answered with its
// next run, replaced and deleted; the run log listed and filtered; a run on demand logged; and bad
// input named. Over InMemoryPlanning's real forecasting with a fixed clock.
#include "api/schedule_routes.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/support/in_memory_planning.h"
#include "tests/support/logged_run_now.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

struct Fixture {
  testing::InMemoryPlanning planning;
  testing::LoggedRunNow run_now{*planning.job, planning.schedules, planning.runs, planning.clock};
  Router router;
  Principal principal{"test", Scope::kAdmin, ""};

  // The clock stands at Wednesday 2026-11-18T11:06:40Z; "login" has four weeks of hourly points.
  Fixture() {
    planning.AddHourlySeries("login", 28,
                             std::chrono::floor<std::chrono::hours>(
                                 std::chrono::sys_seconds{std::chrono::seconds{1'795'000'000}}));
    AddScheduleRoutes(router, {planning.series, planning.schedules, planning.runs, run_now,
                               *planning.calendars, planning.clock});
  }

  // `target` is a path with an optional query of plain name=value pairs.
  Response Send(Method method, const std::string& target, std::string body = "") {
    const std::size_t mark = target.find('?');
    std::multimap<std::string, std::string> query;
    if (mark != std::string::npos) {
      std::string rest = target.substr(mark + 1);
      while (!rest.empty()) {
        const std::string pair = rest.substr(0, rest.find('&'));
        rest = pair.size() < rest.size() ? rest.substr(pair.size() + 1) : "";
        const std::size_t equals = pair.find('=');
        query.emplace(pair.substr(0, equals), pair.substr(equals + 1));
      }
    }
    return testing::SendToRoute(
        router, {method, target.substr(0, mark), std::move(query), std::move(body), principal});
  }
};

TEST_CASE("a schedule is stored, answered with its next run, replaced and deleted") {
  Fixture f;
  const Response none = f.Send(Method::kGet, "/v1/series/login/schedule");
  CHECK(none.status == 404);
  CHECK(json::parse(none.body)["error"]["message"] ==
        "series 'login' has no schedule (PUT /v1/series/login/schedule makes one)");

  const Response put = f.Send(Method::kPut, "/v1/series/login/schedule",
                              R"({"weekly": {"day": "friday", "time": "06:00",
                                  "timezone": "Europe/Berlin"}})");
  REQUIRE(put.status == 200);
  const json stored = json::parse(put.body);
  CHECK(stored["series"] == "login");
  CHECK(stored["updated_at"] == "2026-11-18T11:06:40Z");
  CHECK(stored["schedule"]["weekly"]["day"] == "friday");
  CHECK(stored["schedule"]["under_way_every_minutes"] == 15);
  // Friday 20 November 06:00 in Berlin (CET) comes before December's advance notice.
  CHECK(stored["next_run"] ==
        json::parse(R"({"trigger": "weekly", "at": "2026-11-20T05:00:00Z"})"));
  CHECK(json::parse(f.Send(Method::kGet, "/v1/series/login/schedule").body) == stored);

  // Calendar triggers only: the next is December's advance notice, Thursday the 3rd 18:00Z.
  const json calendar_only =
      json::parse(f.Send(Method::kPut, "/v1/series/login/schedule", R"({})").body);
  CHECK(calendar_only["schedule"]["weekly"].is_null());
  CHECK(calendar_only["next_run"] ==
        json::parse(R"({"trigger": "advance_notice", "at": "2026-12-03T18:00:00Z"})"));
  const json disabled =
      json::parse(f.Send(Method::kPut, "/v1/series/login/schedule", R"({"enabled": false})").body);
  CHECK(disabled["next_run"].is_null());

  CHECK(f.Send(Method::kDelete, "/v1/series/login/schedule").status == 204);
  CHECK(f.Send(Method::kGet, "/v1/series/login/schedule").status == 404);
}

TEST_CASE("bad schedules, unknown calendars and unknown series are refused by name") {
  Fixture f;
  const auto message = [&](Method method, const std::string& path, const std::string& body) {
    const Response response = f.Send(method, path, body);
    CHECK(response.status >= 400);
    CHECK(response.status < 500);
    return json::parse(response.body)["error"]["message"].get<std::string>();
  };
  CHECK(message(Method::kPut, "/v1/series/login/schedule", R"({"calendars": ["nope"]})") ==
        "field 'calendars': calendar 'nope' does not exist");
  CHECK(message(Method::kPut, "/v1/series/login/schedule", R"({"weekly": {"day": "mon"}})")
            .starts_with("field 'weekly.day'"));
  CHECK(message(Method::kPut, "/v1/series/login/schedule", "[1]").find("object") !=
        std::string::npos);
  CHECK(message(Method::kPut, "/v1/series/nope/schedule", "{}") == "series 'nope' does not exist");
  CHECK(message(Method::kGet, "/v1/series/nope/runs", "") == "series 'nope' does not exist");
  CHECK(message(Method::kGet, "/v1/series/login/runs?limit=0", "") ==
        "query parameter 'limit' must be an integer from 1 to 1000, not '0'");
  CHECK(message(Method::kGet, "/v1/series/login/runs?from=yesterday", "")
            .starts_with("query parameter 'from': "));
  CHECK(message(Method::kGet, "/v1/series/login/schedule?x=1", "")
            .starts_with("unknown query parameter 'x'"));
}

TEST_CASE("a run on demand is logged and listed, newest first, filtered by start") {
  Fixture f;
  const Response first = f.Send(Method::kPost, "/v1/series/login/runs");
  REQUIRE(first.status == 201);
  const json run = json::parse(first.body);
  CHECK(run["series"] == "login");
  CHECK(run["trigger"] == "manual");
  CHECK(run["status"] == "ok");
  CHECK(run["started"] == "2026-11-18T11:06:40Z");
  CHECK(run["plan_id"].is_null());
  CHECK(run["error"].is_null());
  REQUIRE(run["forecast_id"].is_string());
  CHECK(f.planning.forecast_store.Get(run["forecast_id"].get<std::string>()));

  f.planning.clock.now += std::chrono::hours{1};
  REQUIRE(f.Send(Method::kPost, "/v1/series/login/runs").status == 201);
  const json all = json::parse(f.Send(Method::kGet, "/v1/series/login/runs").body);
  REQUIRE(all["runs"].size() == 2);
  CHECK(all["runs"][0]["started"] == "2026-11-18T12:06:40Z");
  CHECK(all["runs"][1] == run);
  const json later =
      json::parse(f.Send(Method::kGet, "/v1/series/login/runs?from=2026-11-18T12:00:00Z").body);
  CHECK(later["runs"].size() == 1);
  const json earlier =
      json::parse(f.Send(Method::kGet, "/v1/series/login/runs?to=2026-11-18T12:00:00Z").body);
  REQUIRE(earlier["runs"].size() == 1);
  CHECK(earlier["runs"][0] == run);
  CHECK(json::parse(f.Send(Method::kGet, "/v1/series/login/runs?limit=1").body)["runs"].size() ==
        1);
}

TEST_CASE("a key limited to a prefix sees only its series' schedules and runs") {
  Fixture f;
  f.principal = {"team", Scope::kAdmin, "team-"};
  CHECK(f.Send(Method::kGet, "/v1/series/login/schedule").status == 404);
  CHECK(f.Send(Method::kPut, "/v1/series/login/schedule", "{}").status == 404);
  CHECK(f.Send(Method::kPost, "/v1/series/login/runs").status == 404);
  CHECK(f.planning.runs.All().empty());
}

}  // namespace
}  // namespace patchcast::api
