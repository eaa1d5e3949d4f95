#include "calendars/calendar_registry.h"

#include <doctest/doctest.h>

#include "calendars/builtin_calendars.h"
#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Day;
using testing::Days;
using testing::Local;
using testing::OnlyOn;
using testing::Utc;

CustomCalendarDefinition Quarterly() {
  CustomCalendarDefinition definition;
  definition.id = "quarterly";
  definition.name = "Quarterly maintenance";
  definition.zone = "Europe/London";
  definition.kind = EventKind::kRelease;
  definition.schedule =
      RuleSchedule{Local("2026-01-05T06:00"), "FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO;COUNT=4", {}};
  return definition;
}

CalendarRegistry Registry(std::vector<Override> overrides = {}) {
  const CustomCalendarDefinition custom[] = {Quarterly()};
  Result<CalendarRegistry> registry = CalendarRegistry::Create(custom, std::move(overrides));
  REQUIRE_MESSAGE(registry.has_value(), (registry ? std::string() : registry.error().message));
  return std::move(*registry);
}

std::vector<std::string> Ids(const std::vector<Event>& events) {
  std::vector<std::string> ids;
  for (const Event& event : events) ids.push_back(event.Id());
  return ids;
}

TEST_CASE("the registry lists the built-in calendars, then the custom ones") {
  const CalendarRegistry registry = Registry();
  const std::vector<CalendarInfo> calendars = registry.ListCalendars();
  REQUIRE(calendars.size() == 6);
  CHECK(registry.CalendarIds() ==
        std::vector<std::string>{"microsoft", "adobe", "sap", "oracle", "android", "quarterly"});
  CHECK(calendars[5].kind == CalendarKind::kCustom);
  CHECK(calendars[5].zone->name() == "Europe/London");
  CHECK(ToString(calendars[0].kind) == "builtin");
  CHECK(registry.FindCalendar("sap")->name == "SAP Security Patch Day");
  const Result<CalendarInfo> missing = registry.FindCalendar("nope");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().message == "calendar 'nope' does not exist");
}

TEST_CASE("events of several calendars come sorted by start, then id") {
  const CalendarRegistry registry = Registry();
  const std::vector<std::string> ids{"oracle", "microsoft", "adobe", "quarterly", "microsoft"};
  const Result<std::vector<Event>> events = registry.Events(ids, Days("2026-04-01", "2026-04-30"));
  REQUIRE(events.has_value());
  CHECK(Ids(*events) == std::vector<std::string>{
                            "quarterly:2026-04-06:release",  // 05:00Z (BST)
                            "microsoft:2026-04-09:advance_notice",
                            "adobe:2026-04-14:release",          // 17:00Z, same instant as
                            "microsoft:2026-04-14:release",      // Microsoft: id decides
                            "microsoft:2026-04-19:out_of_band",  // from the history file
                            "oracle:2026-04-21:release",
                        });
}

TEST_CASE("event queries validate ids and ranges") {
  const CalendarRegistry registry = Registry();
  const std::vector<std::string> unknown{"microsoft", "nope"};
  const Result<std::vector<Event>> missing =
      registry.Events(unknown, Days("2026-01-01", "2026-01-31"));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().message == "calendar 'nope' does not exist");

  const std::vector<std::string> none;
  CHECK(registry.Events(none, Days("2026-01-01", "2026-01-31")).error().message ==
        "no calendar ids given");

  const std::vector<std::string> microsoft{"microsoft"};
  const Result<std::vector<Event>> inverted =
      registry.Events(microsoft, {Utc("2026-02-01T00:00:00Z"), Utc("2026-01-01T00:00:00Z")});
  REQUIRE_FALSE(inverted.has_value());
  CHECK(inverted.error().code == ErrorCode::kInvalidArgument);

  const Result<std::vector<Event>> too_long =
      registry.Events(microsoft, Days("1900-01-01", "2100-12-31"));
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error().code == ErrorCode::kInvalidArgument);

  const Result<std::vector<Event>> capped =
      registry.Events(microsoft, Days("2026-01-01", "2026-12-31"), 10);
  REQUIRE_FALSE(capped.has_value());
  CHECK(capped.error().code == ErrorCode::kUnprocessable);
}

TEST_CASE("200 years of every calendar is one valid query") {
  const CalendarRegistry registry = Registry();
  const Result<std::vector<Event>> events =
      registry.Events(registry.CalendarIds(), Days("1950-01-01", "2149-12-31"));
  REQUIRE(events.has_value());
  CHECK(std::is_sorted(events->begin(), events->end(), StartThenIdLess));
  // Microsoft: 2 a month less the history's gaps, plus its extra events; the others by rule.
  CHECK(events->size() > 200 * 12 * 4);
}

TEST_CASE("the next event is found after a given instant, optionally of one kind") {
  const CalendarRegistry registry = Registry();
  // The last release in the history file is 2026-08-11; the rule continues after it.
  const Result<Event> next = registry.NextEvent("microsoft", Utc("2026-08-11T17:00:00Z"));
  REQUIRE(next.has_value());
  CHECK(next->Id() == "microsoft:2026-09-03:advance_notice");
  const Result<Event> release =
      registry.NextEvent("microsoft", Utc("2026-08-11T17:00:00Z"), EventKind::kRelease);
  CHECK(release->Id() == "microsoft:2026-09-08:release");
  // Strictly after: an event at exactly `after` is not next.
  CHECK(registry.NextEvent("microsoft", Utc("2026-09-08T16:59:59Z"), EventKind::kRelease)->start ==
        Utc("2026-09-08T17:00:00Z"));
  CHECK(registry.NextEvent("microsoft", Utc("2026-09-08T17:00:00Z"), EventKind::kRelease)->Id() ==
        "microsoft:2026-10-13:release");
  CHECK(registry.NextEvent("oracle", Utc("2026-05-01T00:00:00Z"))->Id() ==
        "oracle:2026-07-21:release");
}

TEST_CASE("next event reports calendars that have ended and calendars that do not exist") {
  const CalendarRegistry registry = Registry();
  const Result<Event> ended = registry.NextEvent("quarterly", Utc("2026-12-31T00:00:00Z"));
  REQUIRE_FALSE(ended.has_value());
  CHECK(ended.error().code == ErrorCode::kNotFound);
  CHECK(ended.error().message ==
        "calendar 'quarterly' has no event after 2026-12-31T00:00:00Z within 250 years");
  CHECK(registry.NextEvent("microsoft", Utc("2026-01-01T00:00:00Z"), EventKind::kPreview)
            .error()
            .code == ErrorCode::kNotFound);
  CHECK(registry.NextEvent("nope", Utc("2026-01-01T00:00:00Z")).error().message ==
        "calendar 'nope' does not exist");
}

TEST_CASE("overrides reach queries, also when they move an event into or out of the range") {
  Annotation annotation;
  annotation.max_severity = Severity::kCritical;
  const CalendarRegistry registry = Registry({
      Override{"o1", "microsoft", Day("2030-01-08"), MoveAction{Local("2030-02-01T10:00")}},
      Override{"o2", "microsoft", Day("2030-02-12"), AnnotateAction{annotation}},
      Override{"o3", "quarterly", Day("2026-04-06"), CancelAction{}},
  });
  const std::vector<std::string> ids{"microsoft"};
  const Result<std::vector<Event>> february =
      registry.Events(ids, Days("2030-02-01", "2030-02-28"));
  REQUIRE(february.has_value());
  CHECK(Ids(*february) == std::vector<std::string>{"microsoft:2030-01-08:release",
                                                   "microsoft:2030-02-07:advance_notice",
                                                   "microsoft:2030-02-12:release"});
  CHECK((*february)[0].source == EventSource::kOverride);
  CHECK((*february)[1].max_severity == Severity::kCritical);  // annotated through its release
  CHECK((*february)[2].max_severity == Severity::kCritical);

  const Result<std::vector<Event>> january = registry.Events(ids, Days("2030-01-01", "2030-01-31"));
  CHECK(Ids(*january) == std::vector<std::string>{"microsoft:2030-01-03:advance_notice"});

  const std::vector<std::string> quarterly{"quarterly"};
  CHECK(registry.Events(quarterly, Days("2026-04-01", "2026-04-30"))->empty());
  CHECK(registry.NextEvent("quarterly", Utc("2026-02-01T00:00:00Z"))->Id() ==
        "quarterly:2026-07-06:release");
}

TEST_CASE("registry creation refuses bad overrides and duplicate calendars") {
  const CustomCalendarDefinition custom[] = {Quarterly()};
  const Result<CalendarRegistry> unknown =
      CalendarRegistry::Create(custom, {Override{"o9", "nope", Day("2026-01-01"), CancelAction{}}});
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::kNotFound);
  CHECK(unknown.error().message == "override 'o9': calendar 'nope' does not exist");

  const Result<CalendarRegistry> invalid = CalendarRegistry::Create(
      custom, {Override{"o8", "microsoft", Day("2026-01-01"), AnnotateAction{}}});
  CHECK(invalid.error().message == "override 'o8': the annotation sets no field");

  const CustomCalendarDefinition twice[] = {Quarterly(), Quarterly()};
  const Result<CalendarRegistry> duplicate = CalendarRegistry::Create(twice);
  REQUIRE_FALSE(duplicate.has_value());
  CHECK(duplicate.error().code == ErrorCode::kConflict);
  CHECK(duplicate.error().message == "calendar id 'quarterly' is defined twice");
}

// A stand-in holiday rule: Android bulletins due on US Labor Day (the first Monday of September)
// take effect the next day.
class LaborDayShift final : public EffectiveDateShift {
 public:
  date::local_days EffectiveDate(date::local_days scheduled, const date::time_zone&,
                                 EventKind) const override {
    const date::year_month_day day{scheduled};
    const date::local_days labor_day{day.year() / date::September / date::Monday[1]};
    return scheduled == labor_day ? scheduled + date::days{1} : scheduled;
  }
};

TEST_CASE("a calendar's effective-date shift moves its events and keeps their ids") {
  Result<std::vector<std::unique_ptr<Calendar>>> builtins = MakeBuiltinCalendars();
  REQUIRE(builtins.has_value());
  std::vector<RegisteredCalendar> calendars;
  for (auto& calendar : *builtins) {
    const bool android = calendar->info().id == "android";
    calendars.push_back(
        {std::move(calendar), android ? std::make_shared<LaborDayShift>() : nullptr});
  }
  Result<CalendarRegistry> registry = CalendarRegistry::FromCalendars(std::move(calendars));
  REQUIRE(registry.has_value());
  const std::vector<std::string> ids{"android"};
  const Result<std::vector<Event>> events = registry->Events(ids, Days("2025-08-01", "2025-10-31"));
  REQUIRE(events.has_value());
  REQUIRE(events->size() == 3);
  const Event september = OnlyOn(*events, "2025-09-02", EventKind::kRelease);
  CHECK(september.Id() == "android:2025-09-01:release");
  CHECK(september.start == Utc("2025-09-02T17:00:00Z"));
  // Shifted across the end of a range, the event follows its effective date.
  CHECK(registry->Events(ids, Days("2025-09-01", "2025-09-01"))->empty());
  CHECK(registry->Events(ids, Days("2025-09-02", "2025-09-02"))->size() == 1);
}

}  // namespace
}  // namespace patchcast::calendars
