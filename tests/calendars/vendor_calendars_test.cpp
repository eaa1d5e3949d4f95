#include "calendars/vendor_calendars.h"

#include <doctest/doctest.h>

#include "calendars/builtin_calendars.h"
#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Days;
using testing::EventsOf;

std::unique_ptr<Calendar> Make(Result<MonthlyRuleSpec> (*make_spec)()) {
  Result<MonthlyRuleSpec> spec = make_spec();
  REQUIRE(spec.has_value());
  return std::make_unique<MonthlyRuleCalendar>(std::move(*spec));
}

// "<local date-time> <UTC instant>" of each event, to compare with a table in one CHECK.
std::vector<std::string> Describe(const std::vector<Event>& events) {
  std::vector<std::string> lines;
  for (const Event& event : events) {
    CHECK(event.kind == EventKind::kRelease);
    CHECK(event.source == EventSource::kRule);
    CHECK(event.is_public);
    lines.push_back(FormatLocalDateTime(event.local_start) + " " + FormatUtcDateTime(event.start));
  }
  return lines;
}

TEST_CASE("the built-in calendars are microsoft, adobe, sap, oracle and android") {
  Result<std::vector<std::unique_ptr<Calendar>>> calendars = MakeBuiltinCalendars();
  REQUIRE(calendars.has_value());
  std::vector<std::string> ids;
  for (const auto& calendar : *calendars) {
    ids.push_back(calendar->info().id);
    CHECK(calendar->info().kind == CalendarKind::kBuiltin);
    CHECK_FALSE(calendar->info().name.empty());
    CHECK_FALSE(calendar->info().description.empty());
  }
  CHECK(ids == std::vector<std::string>{"microsoft", "adobe", "sap", "oracle", "android"});
  CHECK(IsBuiltinCalendarId("sap"));
  CHECK_FALSE(IsBuiltinCalendarId("sap2"));
}

TEST_CASE("Oracle's Critical Patch Updates fall on Oracle's published days at 13:00 Pacific") {
  const auto oracle = Make(&OracleRuleSpec);
  CHECK(oracle->info().zone->name() == "America/Los_Angeles");
  CHECK(Describe(EventsOf(*oracle, Days("2023-01-01", "2025-12-31"))) ==
        std::vector<std::string>{
            "2023-01-17T13:00:00 2023-01-17T21:00:00Z",
            "2023-04-18T13:00:00 2023-04-18T20:00:00Z",
            "2023-07-18T13:00:00 2023-07-18T20:00:00Z",
            "2023-10-17T13:00:00 2023-10-17T20:00:00Z",
            "2024-01-16T13:00:00 2024-01-16T21:00:00Z",
            "2024-04-16T13:00:00 2024-04-16T20:00:00Z",
            "2024-07-16T13:00:00 2024-07-16T20:00:00Z",
            "2024-10-15T13:00:00 2024-10-15T20:00:00Z",
            "2025-01-21T13:00:00 2025-01-21T21:00:00Z",
            "2025-04-15T13:00:00 2025-04-15T20:00:00Z",
            "2025-07-15T13:00:00 2025-07-15T20:00:00Z",
            "2025-10-21T13:00:00 2025-10-21T20:00:00Z",
        });
  CHECK(EventsOf(*oracle, Days("1990-01-01", "2004-12-31")).empty());  // the CPU began in 2005
  CHECK(EventsOf(*oracle, Days("2005-01-01", "2005-01-31")).size() == 1);
}

TEST_CASE("Android bulletins fall on first Mondays from August 2015") {
  const auto android = Make(&AndroidRuleSpec);
  CHECK(Describe(EventsOf(*android, Days("2024-01-01", "2024-06-30"))) ==
        std::vector<std::string>{
            "2024-01-01T10:00:00 2024-01-01T18:00:00Z",
            "2024-02-05T10:00:00 2024-02-05T18:00:00Z",
            "2024-03-04T10:00:00 2024-03-04T18:00:00Z",
            "2024-04-01T10:00:00 2024-04-01T17:00:00Z",
            "2024-05-06T10:00:00 2024-05-06T17:00:00Z",
            "2024-06-03T10:00:00 2024-06-03T17:00:00Z",
        });
  const std::vector<Event> start = EventsOf(*android, Days("2010-01-01", "2015-08-31"));
  REQUIRE(start.size() == 1);
  CHECK(start.front().Id() == "android:2015-08-03:release");
}

TEST_CASE("SAP Security Patch Days fall on second Tuesdays at 09:00 in Walldorf") {
  const auto sap = Make(&SapRuleSpec);
  CHECK(sap->info().zone->name() == "Europe/Berlin");
  CHECK(Describe(EventsOf(*sap, Days("2024-01-01", "2024-04-30"))) ==
        std::vector<std::string>{
            "2024-01-09T09:00:00 2024-01-09T08:00:00Z",
            "2024-02-13T09:00:00 2024-02-13T08:00:00Z",
            "2024-03-12T09:00:00 2024-03-12T08:00:00Z",
            "2024-04-09T09:00:00 2024-04-09T07:00:00Z",
        });
  const std::vector<Event> start = EventsOf(*sap, Days("2009-01-01", "2010-09-30"));
  REQUIRE(start.size() == 1);
  CHECK(start.front().Id() == "sap:2010-09-14:release");
}

TEST_CASE("Adobe bulletins fall on Microsoft's second Tuesdays at 10:00 Pacific") {
  const auto adobe = Make(&AdobeRuleSpec);
  CHECK(Describe(EventsOf(*adobe, Days("2024-02-01", "2024-03-31"))) ==
        std::vector<std::string>{
            "2024-02-13T10:00:00 2024-02-13T18:00:00Z",
            "2024-03-12T10:00:00 2024-03-12T17:00:00Z",
        });
}

TEST_CASE("a calendar reports more events than the cap as an error instead of a partial list") {
  const auto adobe = Make(&AdobeRuleSpec);
  std::vector<Event> events;
  const Status status = adobe->AppendEvents(Days("2024-01-01", "2024-12-31"), 11, events);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kUnprocessable);
  CHECK(status.error().message ==
        "calendar 'adobe' has more than 11 events in 2024-01-01T00:00:00Z..2025-01-01T00:00:00Z; "
        "narrow the range");
  events.clear();
  CHECK(adobe->AppendEvents(Days("2024-01-01", "2024-12-31"), 12, events).has_value());
  CHECK(events.size() == 12);
}

}  // namespace
}  // namespace patchcast::calendars
