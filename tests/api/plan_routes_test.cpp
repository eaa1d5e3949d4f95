// The plan routes as handlers, over in-memory stores and a fixed clock: a plan is made, kept and
// served again by id and as the latest, as JSON, CSV or iCalendar; the KEDA view answers for an
// instant; ids beyond a key's prefix are not found; bad queries are named. (The AWS formats have
// aws_export_routes_test.cpp.)
#include "api/plan_routes.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "api/point_text.h"
#include "api/timestamp_format.h"
#include "tests/support/in_memory_planning.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

const std::chrono::sys_seconds kEnd = *ParseRfc3339Seconds("2026-11-14T00:00:00Z");

struct Fixture {
  testing::InMemoryPlanning planning;
  Router router;

  Fixture() {
    planning.AddHourlySeries("login", 28, kEnd);
    planning.StoreCapacityModel("login", 0.5);
    AddPlanRoutes(router, {*planning.service, planning.plans, planning.clock, planning.settings,
                           *planning.maker});
  }

  Response Send(Method method, std::string path, std::string body = "",
                std::multimap<std::string, std::string> query = {},
                Principal principal = {"test", Scope::kRead, ""}) {
    return testing::SendToRoute(
        router, {method, std::move(path), std::move(query), std::move(body), principal});
  }
};

TEST_CASE("a plan is made, kept, and served again by id and as the latest") {
  Fixture f;
  const Response made = f.Send(Method::kPost, "/v1/series/login/plan", R"({"horizon_hours":48})");
  REQUIRE(made.status == 200);
  CHECK(made.headers.Get("Location") == "/v1/plans/plan-1");
  const json document = json::parse(made.body);
  CHECK(document["id"] == "plan-1");
  CHECK(document["forecast_id"] == "fc-1");
  CHECK(document["buckets"].size() == 48);
  CHECK(f.Send(Method::kGet, "/v1/plans/plan-1").body == made.body);
  CHECK(f.Send(Method::kGet, "/v1/series/login/plans/latest").body == made.body);
}

TEST_CASE("a kept plan is served as CSV and as iCalendar") {
  Fixture f;
  REQUIRE(f.Send(Method::kPost, "/v1/series/login/plan", R"({"horizon_hours":6})").status == 200);
  const Response csv = f.Send(Method::kGet, "/v1/plans/plan-1", "", {{"format", "csv"}});
  REQUIRE(csv.status == 200);
  CHECK(csv.body.starts_with("ts,demand,units,capacity,p_exceed,at_risk\n2026-11-14T00:00:00Z,"));
  CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 7);
  const Response ics = f.Send(Method::kGet, "/v1/plans/plan-1", "", {{"format", "ics"}});
  REQUIRE(ics.status == 200);
  CHECK(ics.body.starts_with("BEGIN:VCALENDAR\r\n"));
  CHECK(ics.body.find("X-WR-CALNAME:Patchcast plan plan-1 for login") != std::string::npos);
  const Response xml = f.Send(Method::kGet, "/v1/plans/plan-1", "", {{"format", "xml"}});
  CHECK(xml.status == 400);
  CHECK(testing::ErrorMessageOf(xml).find("'format' must be json, csv, ics") != std::string::npos);
}

TEST_CASE("the current replicas answer for the instant asked, and the ages do not move the ETag") {
  Fixture f;
  const json plan = json::parse(f.Send(Method::kPost, "/v1/series/login/plan", "{}").body);
  const Response at_start =
      f.Send(Method::kGet, "/v1/series/login/plan/current", "", {{"at", "2026-11-14T00:30:00Z"}});
  REQUIRE(at_start.status == 200);
  const json answer = json::parse(at_start.body);
  CHECK(answer["plan_id"] == "plan-1");
  CHECK(answer["at"] == "2026-11-14T00:00:00Z");
  CHECK(answer["replicas"] == plan["buckets"][0]["units"]);
  CHECK(answer["stale"] == false);
  // Between two instants after the plan was made, only its age moves: the ETag stays.
  const auto made = *ParseRfc3339Seconds(plan["generated_at"].get<std::string>());
  const auto current_at = [&](std::chrono::sys_seconds at) {
    return f.Send(Method::kGet, "/v1/series/login/plan/current", "", {{"at", FormatRfc3339(at)}});
  };
  const Response later = current_at(made + std::chrono::minutes{30});
  const Response a_minute_on = current_at(made + std::chrono::minutes{31});
  CHECK(json::parse(later.body)["age_seconds"] == 1800);
  CHECK(json::parse(a_minute_on.body)["age_seconds"] == 1860);
  CHECK(a_minute_on.etag_basis == later.etag_basis);
  const Response stale =
      f.Send(Method::kGet, "/v1/series/login/plan/current", "", {{"at", "2026-11-20T00:00:00Z"}});
  CHECK(json::parse(stale.body)["stale"] == true);
  CHECK(json::parse(stale.body)["replicas"] == plan["fallback_units"]);
  const Response bad =
      f.Send(Method::kGet, "/v1/series/login/plan/current", "", {{"at", "tomorrow"}});
  CHECK(bad.status == 400);
  CHECK(testing::ErrorMessageOf(bad).find("'at'") != std::string::npos);
}

TEST_CASE("a series without a plan, or out of a key's sight, has none to serve") {
  Fixture f;
  const Response none = f.Send(Method::kGet, "/v1/series/login/plan/current");
  CHECK(none.status == 404);
  CHECK(testing::ErrorMessageOf(none) == "no plan has been made for series 'login' yet");
  REQUIRE(f.Send(Method::kPost, "/v1/series/login/plan", "{}").status == 200);
  const Response hidden =
      f.Send(Method::kGet, "/v1/plans/plan-1", "", {}, {"team-a", Scope::kRead, "team-a."});
  CHECK(hidden.status == 404);
  CHECK(testing::ErrorMessageOf(hidden) == "plan 'plan-1' does not exist");
}

}  // namespace
}  // namespace patchcast::api
