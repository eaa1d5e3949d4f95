// The AWS formats of the plan routes, through the router with in-memory stores and a fixed clock:
// the instant actions are compared with (the clock's now, or ?at=), one page or all of them with
// the paging headers, the delete list, and every bad parameter named in a 400.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "api/aws_scheduled_actions.h"
#include "api/plan_document.h"
#include "api/plan_maker.h"
#include "api/plan_routes.h"
#include "api/point_text.h"
#include "api/series_settings.h"
#include "tests/support/in_memory_planning.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::sys_seconds;

const sys_seconds kStart = *ParseRfc3339Seconds("2026-11-10T00:00:00Z");

// A stored plan of series "login": 5-minute buckets from kStart for `hours`, `count` scale-outs
// every 30 minutes from minute 10, units cycling 2..9; generated at kStart + `generated_minute`.
forecasting::StoredDocument Stored(const std::string& id, int hours, int count,
                                   int generated_minute = 0) {
  forecasting::CapacityPlan plan;
  plan.step = std::chrono::seconds{300};
  for (int i = 0; i < hours * 12; ++i) {
    forecasting::PlanBucket bucket;
    bucket.ts = kStart + minutes{5 * i};
    bucket.units = 1;
    plan.buckets.push_back(bucket);
  }
  for (int i = 0; i < count; ++i) {
    forecasting::PlanAction action;
    action.at = kStart + minutes{10 + 30 * i};
    action.ready = action.at;
    action.units = 2 + i % 8;
    plan.actions.push_back(action);
  }
  const sys_seconds generated = kStart + minutes{generated_minute};
  const forecasting::PlanRecord record{.id = id,
                                       .series_id = "login",
                                       .forecast_id = "fc-1",
                                       .as_of = kStart,
                                       .generated_at = generated,
                                       .valid_until = generated + std::chrono::hours{24},
                                       .quantile = 0.99,
                                       .unit_capacity = 1,
                                       .plan = std::move(plan)};
  return {id, "login", generated, record.valid_until, PlanDocument(record).dump()};
}

// The plan routes over in-memory planning, with series "login" at 5-minute steps.
struct Fixture : testing::InMemoryPlanning {
  Router router;

  Fixture() {
    REQUIRE(series.PutSeries({"login", std::chrono::seconds{300}, "logins", "", {}}));
    SetNow("2026-11-10T01:00:00Z");
    AddPlanRoutes(router, {*service, plans, clock, settings, *maker});
  }

  void SetNow(const char* text) { clock.now = Instant{*ParseRfc3339Seconds(text)}; }

  Response Get(const std::string& path, std::vector<std::pair<std::string, std::string>> query) {
    return testing::SendToRoute(router, {Method::kGet,
                                         path,
                                         {query.begin(), query.end()},
                                         "",
                                         Principal{"test", Scope::kRead, ""}});
  }
};

std::string Header(const Response& response, std::string_view name) {
  return std::string(response.headers.Get(name).value_or("(none)"));
}

TEST_CASE("without ?at= the export starts after the clock's now") {
  Fixture f;
  REQUIRE(f.plans.Save(Stored("plan-a", 24, 40)));
  const Response at_one =
      f.Get("/v1/plans/plan-a", {{"format", "aws-scheduled-actions"}, {"group", "web-asg"}});
  REQUIRE_MESSAGE(at_one.status == 200, at_one.body);
  CHECK(Header(at_one, "Patchcast-At") == "2026-11-10T01:00:00Z");
  json call = json::parse(at_one.body);
  CHECK(call["ScheduledUpdateGroupActions"][0]["StartTime"] == "2026-11-10T01:10:00Z");
  CHECK(call["ScheduledUpdateGroupActions"].size() == 38);

  f.SetNow("2026-11-10T05:00:00Z");
  const Response at_five = f.Get("/v1/series/login/plans/latest",
                                 {{"format", "aws-scheduled-actions"}, {"group", "web-asg"}});
  REQUIRE(at_five.status == 200);
  CHECK(json::parse(at_five.body)["ScheduledUpdateGroupActions"][0]["StartTime"] ==
        "2026-11-10T05:10:00Z");

  SUBCASE("?at= overrides the clock") {
    const Response asked = f.Get("/v1/plans/plan-a", {{"format", "aws-scheduled-actions"},
                                                      {"group", "web-asg"},
                                                      {"at", "2026-11-10T00:00:00Z"}});
    REQUIRE(asked.status == 200);
    CHECK(Header(asked, "Patchcast-At") == "2026-11-10T00:00:00Z");
    CHECK(json::parse(asked.body)["ScheduledUpdateGroupActions"].size() == 40);
  }
  SUBCASE("a plan whose actions are all past is 422") {
    f.SetNow("2026-11-12T00:00:00Z");
    const Response stale =
        f.Get("/v1/plans/plan-a", {{"format", "aws-scheduled-actions"}, {"group", "web-asg"}});
    CHECK(stale.status == 422);
    CHECK(testing::ErrorMessageOf(stale).starts_with(
        "plan 'plan-a' has no scaling actions after 2026-11-12T00:00:00Z"));
  }
}

TEST_CASE("?page= answers one call input, with the paging headers") {
  Fixture f;
  REQUIRE(f.plans.Save(Stored("plan-a", 72, 120)));
  std::vector<json> pages;
  for (const char* page : {"1", "2", "3"}) {
    const Response response = f.Get("/v1/plans/plan-a", {{"format", "aws-scheduled-actions"},
                                                         {"group", "web-asg"},
                                                         {"at", "2026-11-10T00:00:00Z"},
                                                         {"page", page}});
    REQUIRE_MESSAGE(response.status == 200, response.body);
    CHECK(Header(response, "Patchcast-Page") == page);
    CHECK(Header(response, "Patchcast-Page-Count") == "3");
    CHECK(Header(response, "Patchcast-Action-Count") == "120");
    CHECK(Header(response, "Patchcast-At") == "2026-11-10T00:00:00Z");
    pages.push_back(json::parse(response.body));
  }
  CHECK(pages[0]["ScheduledUpdateGroupActions"].size() == 50);
  CHECK(pages[1]["ScheduledUpdateGroupActions"][0]["StartTime"] == "2026-11-11T01:10:00Z");
  CHECK(pages[2]["ScheduledUpdateGroupActions"].size() == 20);

  SUBCASE("page=all answers every call input in one array") {
    const Response all = f.Get("/v1/plans/plan-a", {{"format", "aws-scheduled-actions"},
                                                    {"group", "web-asg"},
                                                    {"at", "2026-11-10T00:00:00Z"},
                                                    {"page", "all"}});
    REQUIRE(all.status == 200);
    CHECK(json::parse(all.body) == json(pages));
    CHECK_FALSE(all.headers.Has("Patchcast-Page"));
    CHECK(Header(all, "Patchcast-Page-Count") == "3");
  }
  SUBCASE("max_actions merges to fewer") {
    const Response fewer = f.Get("/v1/plans/plan-a", {{"format", "aws-scheduled-actions"},
                                                      {"group", "web-asg"},
                                                      {"at", "2026-11-10T00:00:00Z"},
                                                      {"max_actions", "60"},
                                                      {"page", "2"}});
    REQUIRE(fewer.status == 200);
    CHECK(Header(fewer, "Patchcast-Action-Count") == "60");
    CHECK(json::parse(fewer.body)["ScheduledUpdateGroupActions"].size() == 10);
  }
}

TEST_CASE("the delete format lists what the put leaves behind of the series' plans") {
  Fixture f;
  // An older plan of 48 h with 90 actions, and the latest one of 24 h with only 10.
  REQUIRE(f.plans.Save(Stored("plan-old", 48, 90, 0)));
  REQUIRE(f.plans.Save(Stored("plan-new", 24, 10, 5)));
  const Response response =
      f.Get("/v1/series/login/plans/latest",
            {{"format", "aws-delete-scheduled-actions"}, {"group", "web-asg"}, {"page", "all"}});
  REQUIRE_MESSAGE(response.status == 200, response.body);
  const json calls = json::parse(response.body);
  std::vector<std::string> names;
  for (const json& call : calls) {
    CHECK(call["AutoScalingGroupName"] == "web-asg");
    CHECK(call["ScheduledActionNames"].size() <= kAwsMaxPerCall);
    for (const json& name : call["ScheduledActionNames"]) names.push_back(name);
  }
  // After 01:00: plan-new puts 01:10 .. 04:40 (8 actions); plan-old's starts from 05:10 to the
  // end of plan-new's 24 h (minute 310 to 1420, 38 starts) are left behind; those after are kept.
  REQUIRE(names.size() == 38);
  CHECK(names.front() == "patchcast-20261110T051000Z");
  CHECK(names.back() == "patchcast-20261110T234000Z");
  CHECK(calls.size() == 1);
  CHECK(Header(response, "Patchcast-Action-Count") == std::to_string(names.size()));

  SUBCASE("nothing to delete: [] for all pages, 422 for one") {
    f.SetNow("2026-11-13T00:00:00Z");
    const Response all =
        f.Get("/v1/plans/plan-new",
              {{"format", "aws-delete-scheduled-actions"}, {"group", "web-asg"}, {"page", "all"}});
    REQUIRE(all.status == 200);
    CHECK(all.body == "[]\n");
    CHECK(Header(all, "Patchcast-Page-Count") == "0");
    const Response one = f.Get("/v1/plans/plan-new",
                               {{"format", "aws-delete-scheduled-actions"}, {"group", "web-asg"}});
    CHECK(one.status == 422);
    CHECK(testing::ErrorMessageOf(one).starts_with("nothing to delete"));
  }
}

TEST_CASE("bad AWS export parameters are 400s that name the parameter") {
  Fixture f;
  REQUIRE(f.plans.Save(Stored("plan-a", 72, 120)));
  struct Case {
    std::vector<std::pair<std::string, std::string>> query;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{{"format", "aws-scheduled-actions"}},
       "query parameter 'group' is required for format aws-scheduled-actions (the Auto Scaling "
       "group name)"},
      {{{"format", "aws-delete-scheduled-actions"}, {"group", std::string(300, 'g')}},
       "query parameter 'group' is 300 characters long; an Auto Scaling group name has at most "
       "255"},
      {{{"format", "aws-scheduled-actions"}, {"group", "g"}, {"page", "0"}},
       "query parameter 'page' must be a positive integer or 'all', not '0'"},
      {{{"format", "aws-scheduled-actions"}, {"group", "g"}, {"page", "-1"}},
       "query parameter 'page' must be a positive integer or 'all', not '-1'"},
      {{{"format", "aws-scheduled-actions"}, {"group", "g"}, {"page", "two"}},
       "query parameter 'page' must be a positive integer or 'all', not 'two'"},
      {{{"format", "aws-scheduled-actions"}, {"group", "g"}, {"page", "4"}},
       "query parameter 'page': 4 is past the last page, 3"},
      {{{"format", "aws-scheduled-actions"}, {"group", "g"}, {"max_actions", "126"}},
       "query parameter 'max_actions' must be an integer from 1 to 125, not '126'"},
      {{{"format", "aws-scheduled-actions"}, {"group", "g"}, {"max_actions", "0"}},
       "query parameter 'max_actions' must be an integer from 1 to 125, not '0'"},
      {{{"format", "aws-scheduled-actions"}, {"group", "g"}, {"at", "tomorrow"}},
       "query parameter 'at': timestamp 'tomorrow' is not an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z"},
      {{{"format", "csv"}, {"page", "1"}},
       "query parameter 'page' applies only to formats aws-scheduled-actions and "
       "aws-delete-scheduled-actions, not csv"},
      {{{"at", "2026-11-10T00:00:00Z"}},
       "query parameter 'at' applies only to formats aws-scheduled-actions and "
       "aws-delete-scheduled-actions, not json"},
      {{{"format", "aws"}},
       "query parameter 'format' must be json, csv, ics, aws-scheduled-actions or "
       "aws-delete-scheduled-actions, not 'aws'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.message);
    const Response response = f.Get("/v1/plans/plan-a", c.query);
    CHECK(response.status == 400);
    CHECK(testing::ErrorMessageOf(response) == c.message);
  }
}

}  // namespace
}  // namespace patchcast::api
