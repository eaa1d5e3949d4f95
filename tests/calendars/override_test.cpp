#include "calendars/override.h"

#include <doctest/doctest.h>

#include "calendars/builtin_calendars.h"
#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Day;
using testing::Days;
using testing::EventsOf;
using testing::Local;
using testing::On;
using testing::OnlyOn;
using testing::Utc;

const Calendar& Microsoft() {
  static const std::unique_ptr<Calendar> calendar = [] {
    Result<std::vector<std::unique_ptr<Calendar>>> builtins = MakeBuiltinCalendars();
    REQUIRE(builtins.has_value());
    return std::move(builtins->front());
  }();
  return *calendar;
}

Override Make(const char* id, const char* day, OverrideAction action) {
  return Override{id, "microsoft", Day(day), std::move(action)};
}

std::vector<Event> Apply(const TimeRange& range, std::vector<Override> overrides) {
  for (const Override& override_ : overrides) {
    REQUIRE(ValidateOverride(override_, Microsoft().info()).has_value());
  }
  return ApplyOverrides(EventsOf(Microsoft(), range), overrides, Microsoft().info());
}

TEST_CASE("cancel drops the day's events, even a release confirmed by history") {
  const std::vector<Event> events =
      Apply(Days("2007-08-01", "2007-08-31"), {Make("o1", "2007-08-14", CancelAction{})});
  CHECK(On(events, Day("2007-08-14"), EventKind::kRelease).empty());
  CHECK(OnlyOn(events, "2007-08-09", EventKind::kAdvanceNotice).source == EventSource::kHistory);
}

TEST_CASE("cancel with a kind drops only that kind") {
  const std::vector<Event> events =
      Apply(Days("2025-11-01", "2025-11-30"),
            {Make("o1", "2025-11-11", CancelAction{EventKind::kOutOfBand})});
  CHECK(On(events, Day("2025-11-11"), EventKind::kOutOfBand).empty());
  CHECK(OnlyOn(events, "2025-11-11", EventKind::kRelease).source == EventSource::kHistory);
}

TEST_CASE("move changes the time but keeps the id, and marks the event as overridden") {
  const std::vector<Event> events =
      Apply(Days("2030-01-01", "2030-01-31"),
            {Make("o1", "2030-01-08", MoveAction{Local("2030-01-09T11:00"), EventKind::kRelease})});
  CHECK(On(events, Day("2030-01-08"), EventKind::kRelease).empty());
  const Event moved = OnlyOn(events, "2030-01-09", EventKind::kRelease);
  CHECK(moved.Id() == "microsoft:2030-01-08:release");
  CHECK(moved.start == Utc("2030-01-09T19:00:00Z"));
  CHECK(moved.source == EventSource::kOverride);
  CHECK(OnlyOn(events, "2030-01-03", EventKind::kAdvanceNotice).source == EventSource::kRule);
}

TEST_CASE("add creates an out-of-band release at the instant, with a unique id") {
  AddAction add{Utc("2030-01-20T18:00:00Z")};
  add.annotation.notes = "emergency fix";
  const std::vector<Event> events =
      Apply(Days("2030-01-01", "2030-01-31"),
            {Make("o1", "2030-01-20", add),
             Make("o2", "2030-01-20", AddAction{Utc("2030-01-20T22:00:00Z")})});
  const std::vector<Event> added = On(events, Day("2030-01-20"), EventKind::kOutOfBand);
  REQUIRE(added.size() == 2);
  CHECK(added[0].Id() == "microsoft:2030-01-20:out_of_band");
  CHECK(added[0].local_start == Local("2030-01-20T10:00"));
  CHECK(added[0].notes == "emergency fix");
  CHECK(added[0].source == EventSource::kOverride);
  CHECK(added[0].ZoneName() == "America/Los_Angeles");
  CHECK(added[1].Id() == "microsoft:2030-01-20:out_of_band:2");
}

TEST_CASE("an added event after a history event of the same kind and day gets the next suffix") {
  const std::vector<Event> events =
      Apply(Days("2025-11-01", "2025-11-30"),
            {Make("o1", "2025-11-11", AddAction{Utc("2025-11-11T23:00:00Z")})});
  const std::vector<Event> oob = On(events, Day("2025-11-11"), EventKind::kOutOfBand);
  REQUIRE(oob.size() == 2);
  CHECK(oob[0].Id() == "microsoft:2025-11-11:out_of_band");
  CHECK(oob[0].source == EventSource::kHistory);
  CHECK(oob[1].Id() == "microsoft:2025-11-11:out_of_band:2");
}

TEST_CASE("annotate sets advance-notice content on the release and its notice") {
  Annotation annotation;
  annotation.bulletins = 12;
  annotation.max_severity = Severity::kCritical;
  annotation.restart_required = true;
  annotation.notes = "from ANS";
  const std::vector<Event> events = Apply(Days("2030-01-01", "2030-02-28"),
                                          {Make("o1", "2030-01-08", AnnotateAction{annotation})});
  for (const Event& event : {OnlyOn(events, "2030-01-08", EventKind::kRelease),
                             OnlyOn(events, "2030-01-03", EventKind::kAdvanceNotice)}) {
    CAPTURE(event.Id());
    CHECK(event.bulletins == 12);
    CHECK(event.max_severity == Severity::kCritical);
    CHECK(event.restart_required == true);
    CHECK(event.notes == "from ANS");
    CHECK(event.source == EventSource::kOverride);
  }
  const Event february = OnlyOn(events, "2030-02-12", EventKind::kRelease);
  CHECK_FALSE(february.bulletins.has_value());
  CHECK(february.source == EventSource::kRule);
}

TEST_CASE("annotate keeps the fields it does not set and wins over history") {
  Annotation annotation;
  annotation.max_severity = Severity::kImportant;
  const std::vector<Event> events = Apply(Days("2007-08-01", "2007-08-31"),
                                          {Make("o1", "2007-08-14", AnnotateAction{annotation})});
  const Event release = OnlyOn(events, "2007-08-14", EventKind::kRelease);
  CHECK(release.bulletins == 9);  // from history
  CHECK(release.max_severity == Severity::kImportant);
  CHECK(release.source == EventSource::kOverride);
  CHECK(OnlyOn(events, "2007-08-09", EventKind::kAdvanceNotice).notes == "ANS for 2007-Aug");
}

TEST_CASE("overrides apply in order, each seeing the result of the ones before") {
  const std::vector<Event> events = Apply(
      Days("2030-01-01", "2030-01-31"),
      {Make("o1", "2030-01-08", CancelAction{}),
       Make("o2", "2030-01-08", AddAction{Utc("2030-01-08T20:00:00Z"), EventKind::kRelease})});
  const Event release = OnlyOn(events, "2030-01-08", EventKind::kRelease);
  CHECK(release.start == Utc("2030-01-08T20:00:00Z"));
  CHECK(release.source == EventSource::kOverride);
}

TEST_CASE("overrides of another calendar leave the events alone") {
  Override other{"o1", "adobe", Day("2030-01-08"), CancelAction{}};
  const std::vector<Event> before = EventsOf(Microsoft(), Days("2030-01-01", "2030-01-31"));
  CHECK(ApplyOverrides(before, {&other, 1}, Microsoft().info()) == before);
}

TEST_CASE("invalid overrides are refused with a message naming the override") {
  const CalendarInfo& info = Microsoft().info();
  const Status wrong_day =
      ValidateOverride(Make("o1", "2026-03-11", AddAction{Utc("2026-03-11T01:00:00Z")}), info);
  REQUIRE_FALSE(wrong_day.has_value());
  CHECK(wrong_day.error().code == ErrorCode::kInvalidArgument);
  CHECK(wrong_day.error().message ==
        "override 'o1': add at 2026-03-11T01:00:00Z is on 2026-03-10 in America/Los_Angeles, not "
        "on 2026-03-11");

  CHECK(ValidateOverride(Make("o2", "2026-03-10", AnnotateAction{}), info).error().message ==
        "override 'o2': the annotation sets no field");
  Annotation negative;
  negative.bulletins = -1;
  CHECK(
      ValidateOverride(Make("o3", "2026-03-10", AnnotateAction{negative}), info).error().message ==
      "override 'o3': bulletins must not be negative");
  CHECK(ValidateOverride(Override{"o4", "adobe", Day("2026-03-10"), CancelAction{}}, info)
            .error()
            .message == "override 'o4': is for calendar 'adobe', not 'microsoft'");
  CHECK(ValidateOverride(Make("o5", "2026-03-10", CancelAction{}), info).has_value());
}

TEST_CASE("actions have their API names") {
  CHECK(ActionName(CancelAction{}) == "cancel");
  CHECK(ActionName(MoveAction{}) == "move");
  CHECK(ActionName(AddAction{}) == "add");
  CHECK(ActionName(AnnotateAction{}) == "annotate");
}

}  // namespace
}  // namespace patchcast::calendars
