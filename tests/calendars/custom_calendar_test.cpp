#include "calendars/custom_calendar.h"

#include <doctest/doctest.h>

#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Days;
using testing::EventsOf;
using testing::Local;
using testing::Utc;

CustomCalendarDefinition ListDefinition(std::vector<date::local_seconds> starts) {
  CustomCalendarDefinition definition;
  definition.id = "vendor-x";
  definition.name = "Vendor X";
  definition.zone = "Europe/Berlin";
  definition.kind = EventKind::kRelease;
  definition.duration = std::chrono::hours{2};
  definition.schedule = DateListSchedule{std::move(starts)};
  return definition;
}

CustomCalendarDefinition RuleDefinition(const char* zone, const char* dtstart, const char* rrule) {
  CustomCalendarDefinition definition;
  definition.id = "team_rollout";
  definition.name = "Team rollout";
  definition.zone = zone;
  definition.schedule = RuleSchedule{Local(dtstart), rrule, {}};
  return definition;
}

std::unique_ptr<Calendar> Make(const CustomCalendarDefinition& definition) {
  Result<std::unique_ptr<Calendar>> calendar = MakeCustomCalendar(definition);
  REQUIRE_MESSAGE(calendar.has_value(), (calendar ? std::string() : calendar.error().message));
  return std::move(*calendar);
}

TEST_CASE("a date list yields one event per distinct local date-time, in the calendar's zone") {
  const auto calendar =
      Make(ListDefinition({Local("2026-03-10T09:00"), Local("2026-01-13"),
                           Local("2026-03-10T15:00"), Local("2026-03-10T09:00")}));
  CHECK(calendar->info().kind == CalendarKind::kCustom);
  const std::vector<Event> events = EventsOf(*calendar, Days("2026-01-01", "2026-12-31"));
  REQUIRE(events.size() == 3);
  CHECK(events[0].Id() == "vendor-x:2026-01-13:release");
  CHECK(events[0].start == Utc("2026-01-12T23:00:00Z"));  // midnight CET
  CHECK(events[1].Id() == "vendor-x:2026-03-10:release");
  CHECK(events[1].start == Utc("2026-03-10T08:00:00Z"));
  CHECK(events[2].Id() == "vendor-x:2026-03-10:release:2");
  for (const Event& event : events) {
    CHECK(event.source == EventSource::kApi);
    CHECK(event.duration == std::chrono::hours{2});
    CHECK(event.ZoneName() == "Europe/Berlin");
  }
  CHECK(EventsOf(*calendar, Days("2026-03-11", "2026-12-31")).empty());
}

TEST_CASE("a recurrence calendar expands its rule in its zone") {
  const auto calendar =
      Make(RuleDefinition("Europe/Berlin", "2026-01-13T10:00", "FREQ=MONTHLY;BYDAY=2TU"));
  const std::vector<Event> events = EventsOf(*calendar, Days("2026-01-01", "2026-04-30"));
  std::vector<std::string> described;
  for (const Event& event : events)
    described.push_back(event.Id() + " " + FormatUtcDateTime(event.start));
  CHECK(described == std::vector<std::string>{
                         "team_rollout:2026-01-13:custom 2026-01-13T09:00:00Z",
                         "team_rollout:2026-02-10:custom 2026-02-10T09:00:00Z",
                         "team_rollout:2026-03-10:custom 2026-03-10T09:00:00Z",
                         "team_rollout:2026-04-14:custom 2026-04-14T08:00:00Z",  // CEST
                     });
}

TEST_CASE("a daily 02:30 in New York shifts forward in the spring gap instead of vanishing") {
  const auto calendar =
      Make(RuleDefinition("America/New_York", "2007-03-10T02:30", "FREQ=DAILY;COUNT=3"));
  const std::vector<Event> events = EventsOf(*calendar, Days("2007-03-01", "2007-03-31"));
  REQUIRE(events.size() == 3);
  CHECK(events[0].start == Utc("2007-03-10T07:30:00Z"));  // 02:30 EST
  CHECK(events[1].start == Utc("2007-03-11T07:30:00Z"));  // 02:30 does not exist: 03:30 EDT
  CHECK(events[1].local_start == Local("2007-03-11T02:30"));
  CHECK(events[2].start == Utc("2007-03-12T06:30:00Z"));  // 02:30 EDT
}

TEST_CASE("a daily 01:30 in New York takes the first of the two 01:30s in the autumn") {
  const auto calendar =
      Make(RuleDefinition("America/New_York", "2007-11-03T01:30", "FREQ=DAILY;COUNT=3"));
  const std::vector<Event> events = EventsOf(*calendar, Days("2007-11-01", "2007-11-30"));
  REQUIRE(events.size() == 3);
  CHECK(events[1].start == Utc("2007-11-04T05:30:00Z"));  // 01:30 EDT, the first one
  CHECK(events[2].start == Utc("2007-11-05T06:30:00Z"));
}

TEST_CASE("an unbounded rule is safe: expansion stops at the range and the cap") {
  const auto calendar = Make(RuleDefinition("UTC", "1900-01-01T00:00", "FREQ=DAILY"));
  CHECK(EventsOf(*calendar, Days("2100-01-01", "2100-01-31")).size() == 31);
  std::vector<Event> events;
  const Status status = calendar->AppendEvents(Days("2000-01-01", "2000-12-31"), 100, events);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kUnprocessable);
}

TEST_CASE("exdates remove occurrences") {
  CustomCalendarDefinition definition =
      RuleDefinition("Europe/Berlin", "2026-01-13T10:00", "FREQ=MONTHLY;BYDAY=2TU;COUNT=3");
  std::get<RuleSchedule>(definition.schedule).exdates = {Local("2026-02-10T10:00")};
  const std::vector<Event> events = EventsOf(*Make(definition), Days("2026-01-01", "2026-12-31"));
  REQUIRE(events.size() == 2);  // COUNT counts the excluded one (RFC 5545 3.8.5.1)
  CHECK(events[1].Id() == "team_rollout:2026-03-10:custom");
}

TEST_CASE("invalid custom definitions are refused with the calendar named") {
  struct Case {
    CustomCalendarDefinition definition;
    ErrorCode code;
    const char* message;
  };
  auto with = [](auto change) {
    CustomCalendarDefinition definition = ListDefinition({Local("2026-03-10T09:00")});
    change(definition);
    return definition;
  };
  const Case cases[] = {
      {with([](auto& d) { d.id = "Bad Id"; }), ErrorCode::kInvalidArgument,
       "calendar id 'Bad Id' must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a "
       "letter or digit"},
      {with([](auto& d) { d.id = "-x"; }), ErrorCode::kInvalidArgument,
       "calendar id '-x' must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter "
       "or digit"},
      {with([](auto& d) { d.id = std::string(65, 'a'); }), ErrorCode::kInvalidArgument, nullptr},
      {with([](auto& d) { d.id = "microsoft"; }), ErrorCode::kConflict,
       "calendar id 'microsoft' is taken by a built-in calendar"},
      {with([](auto& d) { d.name.clear(); }), ErrorCode::kInvalidArgument,
       "calendar 'vendor-x': name is empty"},
      {with([](auto& d) { d.zone = "Europe/Atlantis"; }), ErrorCode::kNotFound,
       "calendar 'vendor-x': time zone 'Europe/Atlantis' is not in the tz database"},
      {with([](auto& d) { d.duration = std::chrono::seconds{-1}; }), ErrorCode::kInvalidArgument,
       "calendar 'vendor-x': duration must not be negative"},
      {with([](auto& d) { d.schedule = DateListSchedule{}; }), ErrorCode::kInvalidArgument,
       "calendar 'vendor-x': the date list is empty"},
      {with([](auto& d) {
         d.schedule = RuleSchedule{Local("2026-01-01T10:00"), "FREQ=DAILY;BYHOUR=9", {}};
       }),
       ErrorCode::kUnprocessable, "calendar 'vendor-x': RRULE part BYHOUR is not supported"},
      {with([](auto& d) {
         d.schedule = RuleSchedule{Local("2026-01-01T10:00"), "FREQ=DAILY;COUNT=0", {}};
       }),
       ErrorCode::kInvalidArgument, "calendar 'vendor-x': RRULE part COUNT has invalid value '0'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.definition.id);
    const Result<std::unique_ptr<Calendar>> calendar = MakeCustomCalendar(c.definition);
    REQUIRE_FALSE(calendar.has_value());
    CHECK(calendar.error().code == c.code);
    if (c.message != nullptr) CHECK(calendar.error().message == c.message);
  }
}

}  // namespace
}  // namespace patchcast::calendars
