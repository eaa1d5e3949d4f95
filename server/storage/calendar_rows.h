// What the calendar repositories of every engine (SQLite, PostgreSQL) share: a custom calendar and
// an override as the rows they are stored in (text, integers and NULLs), and the conversions both
// ways. A row this build cannot read back is kInternal naming it. Engine-neutral: no database
// headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calendars/custom_calendar.h"
#include "calendars/override.h"
#include "core/result.h"

namespace patchcast::storage {

// A custom_calendars row with its custom_calendar_times.
struct CalendarRow {
  std::string id;
  std::string name;
  std::string description;
  std::string zone;
  std::string event_kind;
  std::optional<std::int64_t> duration_seconds;
  std::string schedule;                // "dates" or "rule"
  std::optional<std::string> dtstart;  // a rule's, local date-time text
  std::optional<std::string> rrule;
  // The times of role "start" (a date list's) and "exdate" (a rule's), each in position order.
  std::vector<std::string> starts;
  std::vector<std::string> exdates;
};

CalendarRow ToRow(const calendars::CustomCalendarDefinition& definition);
Result<calendars::CustomCalendarDefinition> FromRow(const CalendarRow& row);

// A calendar_overrides row: the action's own fields are NULL (nullopt) unless it has them.
struct OverrideRow {
  std::string id;
  std::string calendar_id;
  std::string date;
  std::string action;  // "cancel", "move", "add" or "annotate"
  std::optional<std::string> event_kind;
  std::optional<std::string> to_local;  // move
  std::optional<std::string> at_utc;    // add
  std::optional<std::int64_t> duration_seconds;
  std::optional<std::int64_t> bulletins;
  std::optional<std::string> max_severity;
  std::optional<bool> restart_required;
  std::optional<std::string> notes;
};

OverrideRow ToRow(const calendars::Override& override_);
Result<calendars::Override> FromRow(const OverrideRow& row);

}  // namespace patchcast::storage
