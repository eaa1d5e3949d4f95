#include "calendars/event.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Day;
using testing::Utc;

Event MakeEvent(std::string calendar, const char* day, EventKind kind, std::uint16_t ordinal = 0) {
  Event event;
  event.calendar_id = std::move(calendar);
  event.scheduled_date = Day(day);
  event.kind = kind;
  event.ordinal = ordinal;
  return event;
}

TEST_CASE("enum names round-trip and parsing is strict") {
  for (EventKind kind : {EventKind::kRelease, EventKind::kAdvanceNotice, EventKind::kOutOfBand,
                         EventKind::kPreview, EventKind::kCustom}) {
    CHECK(ParseEventKind(ToString(kind)).value() == kind);
  }
  for (Severity severity :
       {Severity::kCritical, Severity::kImportant, Severity::kModerate, Severity::kLow}) {
    CHECK(ParseSeverity(ToString(severity)).value() == severity);
  }
  for (EventSource source :
       {EventSource::kRule, EventSource::kHistory, EventSource::kOverride, EventSource::kApi}) {
    CHECK(ParseEventSource(ToString(source)).value() == source);
  }
  CHECK(ToString(EventKind::kAdvanceNotice) == "advance_notice");
  CHECK(ToString(EventKind::kOutOfBand) == "out_of_band");

  CHECK(ParseEventKind("Release").error().message ==
        "unknown event kind 'Release' (expected one of release, advance_notice, out_of_band, "
        "preview, custom)");
  CHECK(ParseSeverity("severe").error().message ==
        "unknown severity 'severe' (expected one of critical, important, moderate, low)");
  CHECK(ParseEventSource(" rule").error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("an event id is calendar, scheduled date and kind, with a suffix from the second on") {
  CHECK(MakeEvent("microsoft", "2007-08-14", EventKind::kRelease).Id() ==
        "microsoft:2007-08-14:release");
  CHECK(MakeEvent("microsoft", "2025-11-11", EventKind::kOutOfBand, 1).Id() ==
        "microsoft:2025-11-11:out_of_band:2");
  CHECK(MakeEvent("team-x", "2026-01-05", EventKind::kCustom, 11).Id() ==
        "team-x:2026-01-05:custom:12");
}

TEST_CASE("CompareIds orders exactly as comparing the id strings") {
  std::vector<Event> events = {
      MakeEvent("a", "2026-01-01", EventKind::kRelease),
      MakeEvent("a-b", "2026-01-01", EventKind::kRelease),
      MakeEvent("a_b", "2026-01-01", EventKind::kRelease),
      MakeEvent("a", "2026-01-01", EventKind::kRelease, 1),
      MakeEvent("a", "2026-01-01", EventKind::kRelease, 9),
      MakeEvent("a", "2026-01-01", EventKind::kAdvanceNotice),
      MakeEvent("a", "2025-12-31", EventKind::kCustom),
      MakeEvent("ab", "2026-01-01", EventKind::kRelease),
      MakeEvent("a0", "2026-01-01", EventKind::kRelease),
  };
  for (const Event& a : events) {
    for (const Event& b : events) {
      CAPTURE(a.Id());
      CAPTURE(b.Id());
      CHECK(CompareIds(a, b) == (a.Id() <=> b.Id()));
    }
  }
}

TEST_CASE("StartThenIdLess sorts by instant first, then by id") {
  Event late = MakeEvent("a", "2026-01-01", EventKind::kRelease);
  late.start = Utc("2026-01-02T00:00:00Z");
  Event early_b = MakeEvent("b", "2026-01-01", EventKind::kRelease);
  early_b.start = Utc("2026-01-01T00:00:00Z");
  Event early_a = MakeEvent("a", "2026-01-01", EventKind::kRelease);
  early_a.start = Utc("2026-01-01T00:00:00Z");
  std::vector<Event> events = {late, early_b, early_a};
  std::sort(events.begin(), events.end(), StartThenIdLess);
  CHECK(events[0] == early_a);
  CHECK(events[1] == early_b);
  CHECK(events[2] == late);
}

TEST_CASE("AssignOrdinals numbers same-day same-kind events in start order") {
  std::vector<Event> events = {MakeEvent("c", "2026-01-01", EventKind::kCustom),
                               MakeEvent("c", "2026-01-01", EventKind::kCustom),
                               MakeEvent("c", "2026-01-01", EventKind::kRelease),
                               MakeEvent("c", "2026-01-02", EventKind::kCustom)};
  events[0].start = Utc("2026-01-01T18:00:00Z");
  events[1].start = Utc("2026-01-01T09:00:00Z");
  events[2].start = Utc("2026-01-01T12:00:00Z");
  events[3].start = Utc("2026-01-02T09:00:00Z");
  AssignOrdinals(events);
  std::sort(events.begin(), events.end(), StartThenIdLess);
  std::vector<std::string> ids;
  for (const Event& event : events) ids.push_back(event.Id());
  CHECK(ids == std::vector<std::string>{"c:2026-01-01:custom", "c:2026-01-01:release",
                                        "c:2026-01-01:custom:2", "c:2026-01-02:custom"});
}

}  // namespace
}  // namespace patchcast::calendars
