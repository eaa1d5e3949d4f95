#include "api/calendar_json.h"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "calendars/time_text.h"
#include "calendars/zone.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// The error of parsing `body` as a definition; fails the test when it parses.
Error DefinitionError(const json& body) {
  auto parsed = ParseCalendarDefinition(body);
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error();
}

Error OverrideError(const json& body) {
  auto parsed = ParseOverride(body, "microsoft");
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error();
}

json RuleBody() {
  return {{"id", "ops"},
          {"name", "Ops window"},
          {"timezone", "Europe/Berlin"},
          {"rrule", "FREQ=MONTHLY;BYDAY=2TU"},
          {"dtstart", "2026-01-13T10:00"},
          {"duration_minutes", 90},
          {"kind", "release"}};
}

TEST_CASE("an event is written with every known field and without unknown ones") {
  calendars::Event event;
  event.calendar_id = "microsoft";
  event.start = *calendars::ParseUtcDateTime("2007-08-14T17:00:00Z");
  event.local_start = *calendars::ParseLocalDateTime("2007-08-14T10:00:00");
  event.zone = *calendars::LocateZone("America/Los_Angeles");
  event.scheduled_date = date::local_days{date::year{2007} / 8 / 14};
  event.source = calendars::EventSource::kHistory;
  CHECK(EventJson(event) == json{{"id", "microsoft:2007-08-14:release"},
                                 {"calendar", "microsoft"},
                                 {"kind", "release"},
                                 {"start", "2007-08-14T17:00:00Z"},
                                 {"local_start", "2007-08-14T10:00:00"},
                                 {"timezone", "America/Los_Angeles"},
                                 {"public", true},
                                 {"source", "history"}});
  event.duration = std::chrono::minutes(90);
  event.bulletins = 9;
  event.max_severity = calendars::Severity::kCritical;
  event.restart_required = false;
  event.notes = "n";
  const json full = EventJson(event);
  CHECK(full["end"] == "2007-08-14T18:30:00Z");
  CHECK(full["duration_minutes"] == 90);
  CHECK(full["bulletins"] == 9);
  CHECK(full["max_severity"] == "critical");
  CHECK(full["restart_required"] == false);
  CHECK(full["notes"] == "n");
}

TEST_CASE("a rule definition round-trips through its JSON form") {
  auto definition = ParseCalendarDefinition(RuleBody());
  REQUIRE(definition.has_value());
  CHECK(definition->kind == calendars::EventKind::kRelease);
  CHECK(definition->duration == std::chrono::minutes(90));
  const json written = DefinitionJson(*definition);
  CHECK(written["dtstart"] == "2026-01-13T10:00:00");
  CHECK(written["exdates"] == json::array());
  auto again = ParseCalendarDefinition(written);
  REQUIRE(again.has_value());
  CHECK(DefinitionJson(*again) == written);
}

TEST_CASE("a date-list definition takes dates and date-times") {
  auto definition = ParseCalendarDefinition({{"id", "freeze"},
                                             {"name", "Freeze"},
                                             {"timezone", "UTC"},
                                             {"dates", {"2026-12-24", "2026-12-31T18:30"}}});
  REQUIRE(definition.has_value());
  CHECK(definition->kind == calendars::EventKind::kCustom);
  const auto& starts = std::get<calendars::DateListSchedule>(definition->schedule).starts;
  REQUIRE(starts.size() == 2);
  CHECK(calendars::FormatLocalDateTime(starts[1]) == "2026-12-31T18:30:00");
  CHECK(DefinitionJson(*definition)["dates"] == json{"2026-12-24T00:00:00", "2026-12-31T18:30:00"});
}

TEST_CASE("bad definitions are refused with a message naming the field") {
  struct Case {
    std::string name;
    std::function<void(json&)> change;
    ErrorCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"unknown field", [](json& b) { b["colour"] = "red"; }, ErrorCode::kInvalidArgument,
       "unknown field 'colour' in the request body"},
      {"wrong type", [](json& b) { b["duration_minutes"] = "90"; }, ErrorCode::kInvalidArgument,
       "field 'duration_minutes' must be an integer, not string"},
      {"fractional", [](json& b) { b["duration_minutes"] = 1.5; }, ErrorCode::kInvalidArgument,
       "field 'duration_minutes' must be an integer, not number"},
      {"negative", [](json& b) { b["duration_minutes"] = -1; }, ErrorCode::kInvalidArgument,
       "field 'duration_minutes' must be between 0 and 527040, not -1"},
      {"missing id", [](json& b) { b.erase("id"); }, ErrorCode::kInvalidArgument,
       "field 'id' is required"},
      {"unknown zone", [](json& b) { b["timezone"] = "Mars/Olympus"; }, ErrorCode::kInvalidArgument,
       "field 'timezone': time zone 'Mars/Olympus' is not in the tz database"},
      {"BYHOUR", [](json& b) { b["rrule"] = "FREQ=DAILY;BYHOUR=9"; }, ErrorCode::kUnprocessable,
       "field 'rrule': RRULE part BYHOUR is not supported"},
      {"malformed rrule", [](json& b) { b["rrule"] = "FREQ=MONTHLY;BYMONTHDAY=0"; },
       ErrorCode::kInvalidArgument, "field 'rrule': RRULE part BYMONTHDAY has invalid value '0'"},
      {"impossible dtstart", [](json& b) { b["dtstart"] = "2026-02-30T10:00"; },
       ErrorCode::kInvalidArgument, "field 'dtstart': '2026-02-30' is not a valid date"},
      {"no dtstart", [](json& b) { b.erase("dtstart"); }, ErrorCode::kInvalidArgument,
       "field 'dtstart' is required"},
      {"both schedules", [](json& b) { b["dates"] = {"2026-01-01"}; }, ErrorCode::kInvalidArgument,
       "field 'rrule' cannot be combined with 'dates': give either 'dates', or 'rrule' with "
       "'dtstart'"},
      {"no schedule", [](json& b) { b.erase("rrule"); }, ErrorCode::kInvalidArgument,
       "the request body needs a schedule: field 'rrule' with 'dtstart', or field 'dates'"},
      {"bad kind", [](json& b) { b["kind"] = "Release"; }, ErrorCode::kInvalidArgument,
       "field 'kind': unknown event kind 'Release' (expected one of release, advance_notice, "
       "out_of_band, preview, custom)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    json body = RuleBody();
    c.change(body);
    const Error error = DefinitionError(body);
    CHECK(error.code == c.code);
    CHECK(error.message == c.message);
  }
  SUBCASE("a bad entry of a date list is named by index") {
    const Error error = DefinitionError(
        {{"id", "x"}, {"name", "X"}, {"timezone", "UTC"}, {"dates", {"2026-01-01", 7}}});
    CHECK(error.message == "field 'dates'[1] must be a string, not integer");
    CHECK(DefinitionError({{"id", "x"},
                           {"name", "X"},
                           {"timezone", "UTC"},
                           {"dates", {"2026-01-01", "2026-02-30"}}})
              .message == "field 'dates'[1]: '2026-02-30' is not a valid date");
    CHECK(
        DefinitionError({{"id", "x"}, {"name", "X"}, {"timezone", "UTC"}, {"dates", json::array()}})
            .message == "field 'dates' must not be empty");
  }
}

TEST_CASE("each override action reads its own fields and round-trips") {
  const std::vector<json> bodies = {
      {{"date", "2026-12-08"}, {"action", "cancel"}},
      {{"date", "2026-12-08"}, {"action", "cancel"}, {"kind", "release"}},
      {{"date", "2026-12-08"}, {"action", "move"}, {"to", "2026-12-09T10:00:00"}},
      {{"date", "2026-12-10"},
       {"action", "add"},
       {"at", "2026-12-10T18:00:00Z"},
       {"kind", "out_of_band"},
       {"duration_minutes", 30},
       {"bulletins", 1},
       {"notes", "zero-day"}},
      {{"date", "2026-12-08"},
       {"action", "annotate"},
       {"bulletins", 12},
       {"max_severity", "critical"},
       {"restart_required", true},
       {"notes", "big one"}},
  };
  for (const json& body : bodies) {
    CAPTURE(body.dump());
    auto parsed = ParseOverride(body, "microsoft");
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    parsed->id = "ovr-1";
    json expected = body;
    expected["id"] = "ovr-1";
    expected["calendar"] = "microsoft";
    if (body["action"] == "add" && !body.contains("kind")) expected["kind"] = "out_of_band";
    CHECK(OverrideJson(*parsed) == expected);
  }
}

TEST_CASE("bad overrides are refused with a message naming the field") {
  CHECK(OverrideError({{"date", "2026-12-08"}}).message == "field 'action' is required");
  CHECK(OverrideError({{"date", "2026-12-08"}, {"action", "delete"}}).message ==
        "field 'action' must be one of cancel, move, add, annotate, not 'delete'");
  CHECK(OverrideError({{"date", "2026-02-30"}, {"action", "cancel"}}).message ==
        "field 'date': '2026-02-30' is not a valid date");
  CHECK(
      OverrideError({{"date", "2026-12-08"}, {"action", "cancel"}, {"to", "2026-12-09"}}).message ==
      "field 'to' does not apply to action 'cancel'");
  CHECK(OverrideError({{"date", "2026-12-08"}, {"action", "cancel"}, {"when", 1}}).message ==
        "unknown field 'when' in the request body");
  CHECK(OverrideError({{"date", "2026-12-08"}, {"action", "move"}}).message ==
        "field 'to' is required");
  CHECK(OverrideError({{"date", "2026-12-08"}, {"action", "annotate"}, {"bulletins", "12"}})
            .message == "field 'bulletins' must be an integer, not string");
  CHECK(OverrideError({{"date", "2026-12-08"}, {"action", "annotate"}, {"restart_required", 1}})
            .message == "field 'restart_required' must be a boolean, not integer");
  CHECK(OverrideError({{"date", "2026-12-08"}, {"action", "annotate"}, {"max_severity", "huge"}})
            .message.starts_with("field 'max_severity': unknown severity 'huge'"));
  CHECK(OverrideError({{"date", "2026-12-10"}, {"action", "add"}, {"at", "2026-12-10T18:00"}})
            .message.starts_with("field 'at': '2026-12-10T18:00'"));
}

}  // namespace
}  // namespace patchcast::api
