// The JSON form of a run schedule (api/schedule_json.h): defaults, a round trip, and every bad
// input refused with the field named.
#include "api/schedule_json.h"

#include <doctest/doctest.h>

namespace patchcast::api {
namespace {

using nlohmann::json;

TEST_CASE("a weekly schedule reads with the defaults and writes back in full") {
  auto schedule = ParseSchedule(json::parse(
      R"({"weekly": {"day": "monday", "time": "06:30", "timezone": "Europe/Berlin"}})"));
  REQUIRE(schedule);
  CHECK(schedule->enabled);
  REQUIRE(schedule->weekly);
  CHECK(schedule->weekly->day == date::Monday);
  CHECK(schedule->weekly->time == std::chrono::minutes{6 * 60 + 30});
  CHECK(schedule->weekly->zone->name() == "Europe/Berlin");
  CHECK(schedule->on_calendar_events);
  CHECK(schedule->under_way_every == std::chrono::minutes{15});
  CHECK(schedule->horizon == std::chrono::hours{168});
  CHECK(schedule->calendars == std::vector<std::string>{"microsoft"});

  const json written = ScheduleJson(*schedule);
  CHECK(written == json::parse(R"({"enabled": true,
      "weekly": {"day": "monday", "time": "06:30", "timezone": "Europe/Berlin"}, "cron": null,
      "on_calendar_events": true, "under_way_every_minutes": 15, "horizon_hours": 168,
      "calendars": ["microsoft"]})"));
  auto again = ParseSchedule(written);
  REQUIRE(again);
  CHECK(*again == *schedule);
}

TEST_CASE("a calendar-only schedule, with every member given") {
  auto schedule = ParseSchedule(json::parse(R"({"enabled": false, "weekly": null,
      "on_calendar_events": true, "under_way_every_minutes": 0, "horizon_hours": 72,
      "calendars": ["microsoft", "oracle-cpu"]})"));
  REQUIRE(schedule);
  CHECK_FALSE(schedule->enabled);
  CHECK_FALSE(schedule->weekly);
  CHECK(schedule->under_way_every == std::chrono::minutes{0});
  CHECK(schedule->horizon == std::chrono::hours{72});
  CHECK(schedule->calendars.size() == 2);
  CHECK(ScheduleJson(*schedule)["weekly"].is_null());
  // A weekly slot without a timezone is on UTC; Sunday writes as "sunday".
  auto sunday = ParseSchedule(json::parse(R"({"weekly": {"day": "sunday", "time": "23:59"}})"));
  REQUIRE(sunday);
  CHECK(ScheduleJson(*sunday)["weekly"] ==
        json::parse(R"({"day": "sunday", "time": "23:59", "timezone": "UTC"})"));
}

TEST_CASE("a cron schedule reads and writes back; its zone defaults to UTC") {
  auto schedule = ParseSchedule(json::parse(
      R"({"cron": {"expression": "0  6 * * mon-fri", "timezone": "Europe/Berlin"},
          "on_calendar_events": false})"));
  REQUIRE(schedule);
  CHECK_FALSE(schedule->weekly);
  REQUIRE(schedule->cron);
  CHECK(schedule->cron->expression.text() == "0 6 * * mon-fri");
  CHECK(schedule->cron->zone->name() == "Europe/Berlin");
  const json written = ScheduleJson(*schedule);
  CHECK(written["weekly"].is_null());
  CHECK(written["cron"] ==
        json::parse(R"({"expression": "0 6 * * mon-fri", "timezone": "Europe/Berlin"})"));
  auto again = ParseSchedule(written);
  REQUIRE(again);
  CHECK(*again == *schedule);
  auto on_utc = ParseSchedule(json::parse(R"({"cron": {"expression": "*/30 * * * *"}})"));
  REQUIRE(on_utc);
  CHECK(on_utc->cron->zone->name() == "UTC");
}

TEST_CASE("bad schedules are refused naming the field") {
  const auto refused = [](const char* text) {
    auto schedule = ParseSchedule(json::parse(text));
    REQUIRE_FALSE(schedule);
    CHECK(schedule.error().code == ErrorCode::kInvalidArgument);
    return schedule.error().message;
  };
  CHECK(refused(R"({"weekly": {"day": "Monday", "time": "06:00"}})") ==
        "field 'weekly.day' must be a day of the week in lower case (monday .. sunday), not "
        "'Monday'");
  CHECK(refused(R"({"weekly": {"day": "monday", "time": "24:00"}})") ==
        "field 'weekly.time' must be a time of day as HH:MM (00:00 .. 23:59), not '24:00'");
  CHECK(refused(R"({"weekly": {"day": "monday", "time": "6:00"}})") ==
        "field 'weekly.time' must be a time of day as HH:MM (00:00 .. 23:59), not '6:00'");
  CHECK(refused(R"({"weekly": {"day": "monday"}})") == "field 'weekly.time' is required");
  CHECK(refused(R"({"weekly": {"day": "monday", "time": "06:00", "timezone": "Mars/Olympus"}})")
            .starts_with("field 'weekly.timezone': "));
  CHECK(refused(R"({"weekly": {"day": "monday", "time": "06:00", "tz": "UTC"}})")
            .starts_with("field 'weekly': "));
  CHECK(refused(R"({"weekly": "monday"})") ==
        "field 'weekly' must be an object with day, time and timezone, not string");
  CHECK(refused(R"({"under_way_every_minutes": 3})") ==
        "field 'under_way_every_minutes' must be 0 (none) or between 5 and 1440, not 3");
  CHECK(refused(R"({"under_way_every_minutes": 1441})")
            .starts_with("field 'under_way_every_minutes' must be between 0 and 1440"));
  CHECK(refused(R"({"horizon_hours": 0})").starts_with("field 'horizon_hours' must be between"));
  CHECK(refused(R"({"calendars": []})") == "field 'calendars' must not be empty");
  CHECK(refused(R"({"enabled": "yes"})").starts_with("field 'enabled' must be a boolean"));
  CHECK(refused(R"({"cron": "0 6 * * 1"})") ==
        "field 'cron' must be an object with expression and timezone, not string");
  CHECK(refused(R"({"cron": {"expression": "0 24 * * 1"}})") ==
        "field 'cron.expression': cron field 2 (hour) '24': 24 is out of 0-23");
  CHECK(refused(R"({"cron": {"timezone": "UTC"}})") == "field 'cron.expression' is required");
  CHECK(refused(R"({"cron": {"expression": "0 6 * * 1", "timezone": "Mars/Olympus"}})")
            .starts_with("field 'cron.timezone': "));
  CHECK(refused(R"({"cron": {"expression": "0 6 * * 1", "every": 2}})")
            .starts_with("field 'cron': "));
  CHECK(refused(R"({"weekly": {"day": "monday", "time": "06:00"},
                    "cron": {"expression": "0 6 * * 1"}})") == "give 'weekly' or 'cron', not both");
  CHECK(refused(R"({"schedule": "weekly"})").starts_with("unknown field 'schedule'"));
  CHECK(refused(R"({"on_calendar_events": false})") ==
        "the schedule never runs: give 'weekly' or 'cron', or set 'on_calendar_events' to true");
}

}  // namespace
}  // namespace patchcast::api
