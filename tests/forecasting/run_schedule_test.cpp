// Unit tests of RunSchedule (run_schedule.h): weekly slots on a zone's wall clock, across
// daylight-saving changes, and which run is due, or next, among the weekly slot and the calendar's
// advance notices and releases. Every instant is given.
#include "forecasting/run_schedule.h"

#include <doctest/doctest.h>

#include <vector>

#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using calendars::Event;
using calendars::EventKind;
using std::chrono::hours;
using std::chrono::minutes;
using testing::MakeEvent;
using testing::Utc;

// Mondays at 06:00 in Berlin.
WeeklySlot BerlinMondays() {
  return {.day = date::Monday, .time = hours{6}, .zone = &testing::Zone("Europe/Berlin")};
}

// Microsoft's December 2026 cycle: the advance notice on Thursday the 3rd and the release on
// Tuesday the 8th, both 10:00 Pacific (18:00Z), and a custom event that triggers nothing.
std::vector<Event> December() {
  return {MakeEvent("microsoft", EventKind::kAdvanceNotice, Utc("2026-12-03T18:00:00Z")),
          MakeEvent("microsoft", EventKind::kRelease, Utc("2026-12-08T18:00:00Z")),
          MakeEvent("matches", EventKind::kCustom, Utc("2026-12-09T20:00:00Z"))};
}

TEST_CASE("a weekly slot follows its zone's wall clock, strictly after and at or before") {
  const WeeklySlot slot = BerlinMondays();
  // Winter (CET, +1): Monday 06:00 is 05:00Z.
  CHECK(NextWeeklySlot(slot, Utc("2026-12-04T12:00:00Z")) == Utc("2026-12-07T05:00:00Z"));
  CHECK(NextWeeklySlot(slot, Utc("2026-12-07T05:00:00Z")) == Utc("2026-12-14T05:00:00Z"));
  CHECK(NextWeeklySlot(slot, Utc("2026-12-07T04:59:59Z")) == Utc("2026-12-07T05:00:00Z"));
  CHECK(LatestWeeklySlot(slot, Utc("2026-12-07T05:00:00Z")) == Utc("2026-12-07T05:00:00Z"));
  CHECK(LatestWeeklySlot(slot, Utc("2026-12-07T04:59:59Z")) == Utc("2026-11-30T05:00:00Z"));
  // Summer (CEST, +2) from Sunday 2027-03-28: the next Monday's 06:00 is 04:00Z.
  CHECK(NextWeeklySlot(slot, Utc("2027-03-25T00:00:00Z")) == Utc("2027-03-29T04:00:00Z"));
  CHECK(LatestWeeklySlot(slot, Utc("2027-04-01T00:00:00Z")) == Utc("2027-03-29T04:00:00Z"));
}

TEST_CASE("a slot inside a spring-forward gap runs after the gap, one in the repeated hour once") {
  // Berlin skips 02:00-03:00 on Sunday 2027-03-28: 02:30 is read with the offset before the gap
  // (+1), 01:30Z, shown as 03:30 CEST. On Sunday 2027-10-31 02:30 happens twice: the first.
  const WeeklySlot sunday{
      .day = date::Sunday, .time = hours{2} + minutes{30}, .zone = &testing::Zone("Europe/Berlin")};
  CHECK(NextWeeklySlot(sunday, Utc("2027-03-27T00:00:00Z")) == Utc("2027-03-28T01:30:00Z"));
  CHECK(NextWeeklySlot(sunday, Utc("2027-10-30T00:00:00Z")) == Utc("2027-10-31T00:30:00Z"));
  CHECK(NextWeeklySlot(sunday, Utc("2027-10-31T00:30:00Z")) == Utc("2027-11-07T01:30:00Z"));
}

TEST_CASE("advance notices, releases and out-of-band releases trigger runs; others do not") {
  CHECK(TriggerOf(MakeEvent("m", EventKind::kAdvanceNotice, Utc("2026-12-03T18:00:00Z"))) ==
        RunTrigger::kAdvanceNotice);
  CHECK(TriggerOf(MakeEvent("m", EventKind::kRelease, Utc("2026-12-08T18:00:00Z"))) ==
        RunTrigger::kRelease);
  CHECK(TriggerOf(MakeEvent("m", EventKind::kOutOfBand, Utc("2026-12-20T18:00:00Z"))) ==
        RunTrigger::kRelease);
  CHECK_FALSE(TriggerOf(MakeEvent("m", EventKind::kPreview, Utc("2026-12-22T18:00:00Z"))));
  CHECK_FALSE(TriggerOf(MakeEvent("m", EventKind::kCustom, Utc("2026-12-22T18:00:00Z"))));
  CHECK(ToString(RunTrigger::kWeekly) == "weekly");
  CHECK(ToString(RunTrigger::kAdvanceNotice) == "advance_notice");
  CHECK(ToString(RunTrigger::kRelease) == "release");
}

TEST_CASE("trigger names read back, and other text is refused naming the accepted ones") {
  for (RunTrigger trigger : {RunTrigger::kWeekly, RunTrigger::kAdvanceNotice, RunTrigger::kRelease,
                             RunTrigger::kUnderWay, RunTrigger::kCalendarChange,
                             RunTrigger::kManual, RunTrigger::kCron}) {
    auto parsed = ParseRunTrigger(ToString(trigger));
    REQUIRE(parsed);
    CHECK(*parsed == trigger);
  }
  CHECK(ToString(RunTrigger::kUnderWay) == "under_way");
  CHECK(ToString(RunTrigger::kCalendarChange) == "calendar_change");
  auto refused = ParseRunTrigger("Weekly");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "unknown run trigger 'Weekly' (expected one of weekly, advance_notice, release, "
        "under_way, calendar_change, manual, cron)");
}

TEST_CASE("the run due is the latest trigger since the last run, missed ones coalesced") {
  const RunSchedule schedule{
      .enabled = true, .weekly = BerlinMondays(), .on_calendar_events = true};
  const std::vector<Event> events = December();
  SUBCASE("nothing since the last run") {
    CHECK_FALSE(DueRun(schedule, events, Utc("2026-11-30T05:00:00Z"), Utc("2026-12-02T00:00:00Z")));
  }
  SUBCASE("the advance notice, once its instant has come") {
    CHECK_FALSE(DueRun(schedule, events, Utc("2026-11-30T05:00:00Z"), Utc("2026-12-03T17:59:59Z")));
    CHECK(DueRun(schedule, events, Utc("2026-11-30T05:00:00Z"), Utc("2026-12-03T18:00:00Z")) ==
          ScheduledRun{RunTrigger::kAdvanceNotice, Utc("2026-12-03T18:00:00Z")});
  }
  SUBCASE("down from before the notice until after the release: one run, for the release") {
    CHECK(DueRun(schedule, events, Utc("2026-12-01T00:00:00Z"), Utc("2026-12-09T00:00:00Z")) ==
          ScheduledRun{RunTrigger::kRelease, Utc("2026-12-08T18:00:00Z")});
  }
  SUBCASE("down for weeks: the latest weekly slot") {
    CHECK(DueRun(schedule, events, Utc("2026-11-01T00:00:00Z"), Utc("2026-12-22T00:00:00Z")) ==
          ScheduledRun{RunTrigger::kWeekly, Utc("2026-12-21T05:00:00Z")});
  }
  SUBCASE("a disabled schedule, or one that leaves the calendar out") {
    RunSchedule off = schedule;
    off.enabled = false;
    CHECK_FALSE(DueRun(off, events, Utc("2026-12-01T00:00:00Z"), Utc("2026-12-09T00:00:00Z")));
    RunSchedule weekly_only = schedule;
    weekly_only.on_calendar_events = false;
    CHECK(DueRun(weekly_only, events, Utc("2026-12-01T00:00:00Z"), Utc("2026-12-09T00:00:00Z")) ==
          ScheduledRun{RunTrigger::kWeekly, Utc("2026-12-07T05:00:00Z")});
  }
}

TEST_CASE("a weekly slot and an event at one instant are one run, the event's") {
  // An out-of-band release at Monday 06:00 Berlin.
  const std::vector<Event> events = {
      MakeEvent("microsoft", EventKind::kOutOfBand, Utc("2026-12-07T05:00:00Z"))};
  const RunSchedule schedule{
      .enabled = true, .weekly = BerlinMondays(), .on_calendar_events = true};
  const ScheduledRun release{RunTrigger::kRelease, Utc("2026-12-07T05:00:00Z")};
  CHECK(DueRun(schedule, events, Utc("2026-12-06T00:00:00Z"), Utc("2026-12-07T06:00:00Z")) ==
        release);
  CHECK(NextRun(schedule, events, Utc("2026-12-06T00:00:00Z")) == release);
}

// Weekdays at 06:00 in Berlin, as cron says it.
CronSlot BerlinWeekdays() {
  auto expression = calendars::CronExpression::Parse("0 6 * * 1-5");
  REQUIRE(expression);
  return {.expression = *expression, .zone = &testing::Zone("Europe/Berlin")};
}

TEST_CASE("a cron slot triggers runs like a weekly one, an event at its instant winning") {
  const RunSchedule schedule{.enabled = true,
                             .weekly = std::nullopt,
                             .cron = BerlinWeekdays(),
                             .on_calendar_events = true,
                             .under_way_every = minutes{0}};
  const std::vector<Event> events = December();
  // Friday 4 December 06:00 CET is 05:00Z; next the Monday.
  CHECK(NextRun(schedule, events, Utc("2026-12-03T18:00:00Z")) ==
        ScheduledRun{RunTrigger::kCron, Utc("2026-12-04T05:00:00Z")});
  CHECK(NextRun(schedule, events, Utc("2026-12-04T05:00:00Z")) ==
        ScheduledRun{RunTrigger::kCron, Utc("2026-12-07T05:00:00Z")});
  // Down over the weekend: one run, for Monday's slot.
  CHECK(DueRun(schedule, events, Utc("2026-12-04T05:00:00Z"), Utc("2026-12-07T09:00:00Z")) ==
        ScheduledRun{RunTrigger::kCron, Utc("2026-12-07T05:00:00Z")});
  // The advance notice is later than Thursday's slot: it is the run due.
  CHECK(DueRun(schedule, events, Utc("2026-12-02T06:00:00Z"), Utc("2026-12-03T19:00:00Z")) ==
        ScheduledRun{RunTrigger::kAdvanceNotice, Utc("2026-12-03T18:00:00Z")});
  const std::vector<Event> at_slot = {
      MakeEvent("microsoft", EventKind::kOutOfBand, Utc("2026-12-07T05:00:00Z"))};
  CHECK(NextRun(schedule, at_slot, Utc("2026-12-06T00:00:00Z")) ==
        ScheduledRun{RunTrigger::kRelease, Utc("2026-12-07T05:00:00Z")});
  CHECK(DueRun(schedule, at_slot, Utc("2026-12-06T00:00:00Z"), Utc("2026-12-07T06:00:00Z")) ==
        ScheduledRun{RunTrigger::kRelease, Utc("2026-12-07T05:00:00Z")});
}

TEST_CASE("the next run is the earliest trigger ahead") {
  const RunSchedule schedule{.enabled = true,
                             .weekly = BerlinMondays(),
                             .on_calendar_events = true,
                             .under_way_every = minutes{0}};
  const std::vector<Event> events = December();
  CHECK(NextRun(schedule, events, Utc("2026-12-01T00:00:00Z")) ==
        ScheduledRun{RunTrigger::kAdvanceNotice, Utc("2026-12-03T18:00:00Z")});
  CHECK(NextRun(schedule, events, Utc("2026-12-03T18:00:00Z")) ==
        ScheduledRun{RunTrigger::kWeekly, Utc("2026-12-07T05:00:00Z")});
  CHECK(NextRun(schedule, events, Utc("2026-12-07T05:00:00Z")) ==
        ScheduledRun{RunTrigger::kRelease, Utc("2026-12-08T18:00:00Z")});
  // The custom event on the 9th is no trigger: next is the weekly slot.
  CHECK(NextRun(schedule, events, Utc("2026-12-08T18:00:00Z")) ==
        ScheduledRun{RunTrigger::kWeekly, Utc("2026-12-14T05:00:00Z")});
  RunSchedule calendar_only = schedule;
  calendar_only.weekly.reset();
  CHECK_FALSE(NextRun(calendar_only, events, Utc("2026-12-08T18:00:00Z")));
  RunSchedule off = schedule;
  off.enabled = false;
  CHECK_FALSE(NextRun(off, events, Utc("2026-12-01T00:00:00Z")));
}

TEST_CASE("while a release rolls, an under-way slot every N minutes after its start") {
  // December's release at 18:00Z, every 15 minutes for 72 hours.
  const RunSchedule schedule{.enabled = true, .weekly = std::nullopt, .on_calendar_events = true};
  const std::vector<Event> events = December();
  const auto due = [&](const char* since, const char* now) {
    return DueUnderWayRun(schedule, events, Utc(since), Utc(now));
  };
  const ScheduledRun first{RunTrigger::kUnderWay, Utc("2026-12-08T18:15:00Z")};
  CHECK_FALSE(due("2026-12-08T18:00:00Z", "2026-12-08T18:14:59Z"));
  CHECK(due("2026-12-08T18:00:00Z", "2026-12-08T18:15:00Z") == first);
  CHECK(due("2026-12-08T18:15:00Z", "2026-12-08T19:07:00Z") ==
        ScheduledRun{RunTrigger::kUnderWay, Utc("2026-12-08T19:00:00Z")});
  CHECK_FALSE(due("2026-12-08T19:00:00Z", "2026-12-08T19:14:00Z"));
  // The last slot is 72 hours after the start; none after it.
  CHECK(due("2026-12-11T17:50:00Z", "2026-12-12T00:00:00Z") ==
        ScheduledRun{RunTrigger::kUnderWay, Utc("2026-12-11T18:00:00Z")});
  CHECK_FALSE(due("2026-12-11T18:00:00Z", "2026-12-12T00:00:00Z"));
  // The advance notice is no release: nothing rolls after it.
  CHECK_FALSE(due("2026-12-03T18:00:00Z", "2026-12-04T00:00:00Z"));

  CHECK(NextRun(schedule, events, Utc("2026-12-08T18:00:00Z")) == first);
  CHECK(NextRun(schedule, events, Utc("2026-12-08T18:20:00Z")) ==
        ScheduledRun{RunTrigger::kUnderWay, Utc("2026-12-08T18:30:00Z")});
  CHECK_FALSE(NextRun(schedule, events, Utc("2026-12-11T18:00:00Z")));

  RunSchedule hourly = schedule;
  hourly.under_way_every = minutes{60};
  CHECK(DueUnderWayRun(hourly, events, Utc("2026-12-08T18:00:00Z"), Utc("2026-12-08T20:30:00Z")) ==
        ScheduledRun{RunTrigger::kUnderWay, Utc("2026-12-08T20:00:00Z")});
  RunSchedule none = schedule;
  none.under_way_every = minutes{0};
  CHECK_FALSE(
      DueUnderWayRun(none, events, Utc("2026-12-08T18:00:00Z"), Utc("2026-12-09T00:00:00Z")));
  CHECK_FALSE(NextRun(none, events, Utc("2026-12-08T18:00:00Z")));
  RunSchedule off = schedule;
  off.enabled = false;
  CHECK_FALSE(
      DueUnderWayRun(off, events, Utc("2026-12-08T18:00:00Z"), Utc("2026-12-09T00:00:00Z")));
}

}  // namespace
}  // namespace patchcast::forecasting
