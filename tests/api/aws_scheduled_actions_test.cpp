// The AWS export of plans: names from start times, only actions still to come, merged to fit a
// group and paged 50 a call, the delete list that goes with a put, and group names checked as
// botocore's autoscaling model checks them.
#include "api/aws_scheduled_actions.h"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/point_text.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::minutes;
using std::chrono::sys_seconds;

const sys_seconds kStart = *ParseRfc3339Seconds("2026-11-10T00:00:00Z");

sys_seconds Minute(int m) { return kStart + minutes{m}; }

// A kept plan `id` with 5-minute buckets from kStart for `hours`, and one scale-out per (minute
// after kStart, units).
forecasting::PlanRecord Plan(const std::string& id, int hours,
                             const std::vector<std::pair<int, int>>& actions) {
  forecasting::CapacityPlan plan;
  plan.step = std::chrono::seconds{300};
  for (int i = 0; i < hours * 12; ++i) {
    forecasting::PlanBucket bucket;
    bucket.ts = Minute(5 * i);
    bucket.units = 1;
    plan.buckets.push_back(bucket);
  }
  for (const auto& [minute, units] : actions) {
    forecasting::PlanAction action;
    action.at = Minute(minute);
    action.ready = action.at + minutes{15};
    action.units = units;
    action.reason = "test";
    plan.actions.push_back(action);
  }
  return {.id = id,
          .series_id = "login",
          .forecast_id = "fc-1",
          .as_of = kStart,
          .generated_at = kStart,
          .valid_until = kStart + std::chrono::hours{24},
          .quantile = 0.99,
          .unit_capacity = 1,
          .plan = std::move(plan)};
}

// `count` actions every `every` minutes from minute `first`, units cycling 2..9.
std::vector<std::pair<int, int>> Actions(int count, int first = 10, int every = 30) {
  std::vector<std::pair<int, int>> actions;
  for (int i = 0; i < count; ++i) actions.emplace_back(first + every * i, 2 + i % 8);
  return actions;
}

AwsExportOptions Options(int after_minute, std::size_t max_actions = kAwsMaxActionsPerGroup) {
  return {"web-asg", Minute(after_minute), max_actions};
}

// Every ScheduledUpdateGroupAction of `calls`, in order.
std::vector<json> PutActions(const std::vector<json>& calls) {
  std::vector<json> actions;
  for (const json& call : calls) {
    for (const json& action : call["ScheduledUpdateGroupActions"]) actions.push_back(action);
  }
  return actions;
}

std::vector<std::string> DeleteNames(const std::vector<json>& calls) {
  std::vector<std::string> names;
  for (const json& call : calls) {
    for (const json& name : call["ScheduledActionNames"]) names.push_back(name);
  }
  return names;
}

TEST_CASE("an action is named after its UTC start, the same whichever plan schedules it") {
  CHECK(AwsActionName(*ParseRfc3339Seconds("2026-11-10T18:00:00Z")) ==
        "patchcast-20261110T180000Z");
  CHECK(AwsActionName(*ParseRfc3339Seconds("2027-01-02T03:04:05Z")) ==
        "patchcast-20270102T030405Z");
}

TEST_CASE("a put gives each action still to come with its units as MinSize and DesiredCapacity") {
  auto calls = AwsPutCalls(Plan("plan-a", 24, {{10, 4}, {70, 9}, {200, 3}}), Options(-60));
  REQUIRE(calls);
  CHECK(*calls == std::vector<json>{json::parse(R"({"AutoScalingGroupName":"web-asg",
      "ScheduledUpdateGroupActions":[
        {"ScheduledActionName":"patchcast-20261110T001000Z","StartTime":"2026-11-10T00:10:00Z",
         "MinSize":4,"DesiredCapacity":4},
        {"ScheduledActionName":"patchcast-20261110T011000Z","StartTime":"2026-11-10T01:10:00Z",
         "MinSize":9,"DesiredCapacity":9},
        {"ScheduledActionName":"patchcast-20261110T032000Z","StartTime":"2026-11-10T03:20:00Z",
         "MinSize":3,"DesiredCapacity":3}]})")});

  SUBCASE("two plans with actions at the same instants give them the same names") {
    auto other = AwsPutCalls(Plan("plan-b", 48, {{10, 7}, {70, 2}, {200, 5}}), Options(-60));
    REQUIRE(other);
    const auto ours = PutActions(*calls);
    const auto theirs = PutActions(*other);
    REQUIRE(theirs.size() == ours.size());
    for (std::size_t i = 0; i < ours.size(); ++i) {
      CHECK(theirs[i]["ScheduledActionName"] == ours[i]["ScheduledActionName"]);
      CHECK(theirs[i]["MinSize"] != ours[i]["MinSize"]);
    }
  }
}

TEST_CASE("actions at or before the instant asked are left out") {
  const forecasting::PlanRecord plan = Plan("plan-a", 24, {{10, 4}, {70, 9}, {200, 3}});
  auto calls = AwsPutCalls(plan, Options(70));
  REQUIRE(calls);
  const auto actions = PutActions(*calls);
  REQUIRE(actions.size() == 1);
  CHECK(actions[0]["StartTime"] == "2026-11-10T03:20:00Z");

  SUBCASE("a plan with every action past is unprocessable, and says when its last one was") {
    auto stale = AwsPutCalls(plan, Options(200));
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == ErrorCode::kUnprocessable);
    CHECK(stale.error().message ==
          "plan 'plan-a' has no scaling actions after 2026-11-10T03:20:00Z (its last starts at "
          "2026-11-10T03:20:00Z); make a new plan");
  }
}

TEST_CASE("a plan without actions is unprocessable") {
  auto calls = AwsPutCalls(Plan("plan-a", 24, {}), Options(-60));
  REQUIRE_FALSE(calls);
  CHECK(calls.error().code == ErrorCode::kUnprocessable);
  CHECK(calls.error().message ==
        "plan 'plan-a' has no scaling actions (mode forecast_only or steady demand)");
}

TEST_CASE("late actions sharing the plan's start become one action with the most units") {
  auto calls = AwsPutCalls(Plan("plan-a", 24, {{0, 3}, {0, 6}, {0, 5}, {40, 2}}), Options(-1));
  REQUIRE(calls);
  const auto actions = PutActions(*calls);
  REQUIRE(actions.size() == 2);
  CHECK(actions[0]["ScheduledActionName"] == "patchcast-20261110T000000Z");
  CHECK(actions[0]["DesiredCapacity"] == 6);
}

TEST_CASE("calls hold at most 50 actions, in order of start") {
  auto calls = AwsPutCalls(Plan("plan-a", 72, Actions(120)), Options(0));
  REQUIRE(calls);
  REQUIRE(calls->size() == 3);
  CHECK((*calls)[0]["ScheduledUpdateGroupActions"].size() == 50);
  CHECK((*calls)[1]["ScheduledUpdateGroupActions"].size() == 50);
  CHECK((*calls)[2]["ScheduledUpdateGroupActions"].size() == 20);
  for (const json& call : *calls) CHECK(call["AutoScalingGroupName"] == "web-asg");
  const auto actions = PutActions(*calls);
  CHECK(actions[50]["StartTime"] == "2026-11-11T01:10:00Z");  // minute 10 + 50 x 30
  for (std::size_t i = 1; i < actions.size(); ++i) {
    CHECK(actions[i - 1]["StartTime"] < actions[i]["StartTime"]);
  }
}

TEST_CASE("a plan with more actions than the group holds merges them, never below the plan") {
  // 336 actions every 30 minutes over a week.
  const auto planned = Actions(336);
  const forecasting::PlanRecord plan = Plan("plan-a", 7 * 24, planned);
  for (std::size_t limit : {kAwsMaxActionsPerGroup, std::size_t{7}}) {
    CAPTURE(limit);
    auto calls = AwsPutCalls(plan, Options(0, limit));
    REQUIRE(calls);
    const auto actions = PutActions(*calls);
    CHECK(actions.size() == limit);
    CHECK(calls->size() == (limit + 49) / 50);
    std::set<std::string> names;
    for (const json& action : actions) names.insert(action["ScheduledActionName"]);
    CHECK(names.size() == actions.size());
    // At each planned action's start, the units in force are at least the plan's.
    int under = 0;
    for (const auto& [minute, units] : planned) {
      const std::string at = FormatRfc3339(Minute(minute));
      int in_force = 0;
      for (const json& action : actions) {
        if (action["StartTime"].get<std::string>() <= at) in_force = action["DesiredCapacity"];
      }
      under += in_force < units;
    }
    CHECK(under == 0);
  }
}

TEST_CASE("the delete list: Patchcast's starts in this plan's span that its put leaves behind") {
  // This plan covers 24 h from kStart, with actions at minutes 10 (past at 30), 70 and 200. An
  // earlier plan of 48 h has actions at 20 (past), 40 (left behind), 70 (overwritten by the put),
  // 130 (left behind) and 1500 (beyond this plan's 24 h, where it says nothing: kept).
  const forecasting::PlanRecord current = Plan("plan-new", 24, {{10, 4}, {70, 9}, {200, 3}});
  const forecasting::PlanRecord earlier =
      Plan("plan-old", 48, {{20, 5}, {40, 6}, {70, 8}, {130, 2}, {1500, 4}});
  const std::vector<json> calls =
      AwsDeleteCalls(current, std::vector{current, earlier}, Options(30));
  REQUIRE(calls.size() == 1);
  CHECK(calls[0]["AutoScalingGroupName"] == "web-asg");
  CHECK(DeleteNames(calls) ==
        std::vector<std::string>{"patchcast-20261110T004000Z", "patchcast-20261110T021000Z"});

  SUBCASE("the plan's own starts that merging left out are deleted too") {
    // With room for one action, the put keeps minute 10 at the plan's peak of 9 units; the
    // starts it merged away (70, 200) are deleted, the one it keeps is not.
    auto put = AwsPutCalls(current, Options(0, 1));
    REQUIRE(put);
    const auto kept = PutActions(*put);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0]["StartTime"] == "2026-11-10T00:10:00Z");
    CHECK(kept[0]["DesiredCapacity"] == 9);
    const auto names = DeleteNames(AwsDeleteCalls(current, {}, Options(0, 1)));
    CHECK(names ==
          std::vector<std::string>{"patchcast-20261110T011000Z", "patchcast-20261110T032000Z"});
  }
  SUBCASE("nothing left behind gives no call") {
    CHECK(AwsDeleteCalls(current, {}, Options(300)).empty());
  }
}

TEST_CASE("delete calls hold at most 50 names") {
  // 120 earlier starts at odd minutes within this plan's 72 h; its put uses none of them.
  const forecasting::PlanRecord current = Plan("plan-new", 72, {{10, 4}});
  const forecasting::PlanRecord earlier = Plan("plan-old", 72, Actions(120, 11));
  const std::vector<json> calls = AwsDeleteCalls(current, std::vector{earlier}, Options(0));
  REQUIRE(calls.size() == 3);
  CHECK(calls[0]["ScheduledActionNames"].size() == 50);
  CHECK(calls[1]["ScheduledActionNames"].size() == 50);
  CHECK(calls[2]["ScheduledActionNames"].size() == 20);
  CHECK(calls[0]["ScheduledActionNames"][0] == "patchcast-20261110T001100Z");
  CHECK(calls[2]["ScheduledActionNames"][19] == "patchcast-20261112T114100Z");
}

std::string GroupError(std::string_view group) {
  Status checked = CheckAwsGroupName(group, kAwsPutFormat);
  REQUIRE_FALSE(checked);
  CHECK(checked.error().code == ErrorCode::kInvalidArgument);
  return checked.error().message;
}

TEST_CASE("a group name is 1 to 255 characters that AWS's model allows") {
  CHECK(CheckAwsGroupName("web-asg", kAwsPutFormat));
  CHECK(CheckAwsGroupName(std::string(255, 'g'), kAwsPutFormat));
  // 255 characters of two bytes each: characters are counted, not bytes.
  std::string accented;
  for (int i = 0; i < 255; ++i) accented += "\xc3\xa9";  // é
  CHECK(CheckAwsGroupName(accented, kAwsDeleteFormat));
  CHECK(CheckAwsGroupName("tab\tand \xf0\x9f\x98\x80 emoji", kAwsPutFormat));

  CHECK(GroupError("") ==
        "query parameter 'group' is required for format aws-scheduled-actions (the Auto Scaling "
        "group name)");
  CHECK(GroupError(std::string(256, 'g')) ==
        "query parameter 'group' is 256 characters long; an Auto Scaling group name has at most "
        "255");
  CHECK(GroupError(std::string(300, 'g')).find("is 300 characters long") != std::string::npos);
  CHECK(GroupError(accented + "\xc3\xa9").find("is 256 characters long") != std::string::npos);
  CHECK(GroupError("web\x01"
                   "asg") ==
        "query parameter 'group': character 4 (U+0001) is not allowed in an Auto Scaling group "
        "name");
  CHECK(GroupError("web\xef\xbf\xbe").find("(U+FFFE) is not allowed") != std::string::npos);
  CHECK(GroupError("web\xff") == "query parameter 'group' is not valid UTF-8 (at byte 4)");
  CHECK(GroupError("web\xc3") == "query parameter 'group' is not valid UTF-8 (at byte 4)");
  CHECK(GroupError("\xed\xa0\x80") ==  // an encoded surrogate
        "query parameter 'group' is not valid UTF-8 (at byte 1)");
  CHECK(GroupError("\xc0\xaf") ==  // an overlong '/'
        "query parameter 'group' is not valid UTF-8 (at byte 1)");
}

}  // namespace
}  // namespace patchcast::api
