// CustomCalendarDefinition: a calendar defined through the API — either an explicit list of local
// dates/date-times (like iCalendar's RDATE) or a recurrence (DTSTART in a zone + RRULE + EXDATEs) —
// and the factory that validates it and builds its Calendar.
//
// Storing definitions is the storage layer's job; this module only turns them into calendars.
// The definition is a value type; the built calendar is immutable and thread-safe.
#pragma once

#include <date/date.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "calendars/calendar.h"
#include "calendars/event.h"
#include "core/result.h"

namespace patchcast::calendars {

// Explicit occurrences, local date-times in the calendar's zone (a date alone means 00:00 that day;
// ParseLocalDateTime reads both). Duplicates collapse into one (RFC 5545 3.8.5.2: "Duplicate
// instances are ignored"); several different times on one date are distinct events (ids get
// ":2"...).
struct DateListSchedule {
  std::vector<date::local_seconds> starts;

  friend bool operator==(const DateListSchedule&, const DateListSchedule&) = default;
};

// A recurrence: DTSTART as a local date-time in the calendar's zone, an RRULE value in the subset
// of recurrence_rule.h, and optional EXDATE local date-times. Semantics in recurrence_set.h.
struct RuleSchedule {
  date::local_seconds dtstart{};
  std::string rrule;  // e.g. "FREQ=MONTHLY;BYDAY=2TU"
  std::vector<date::local_seconds> exdates;

  friend bool operator==(const RuleSchedule&, const RuleSchedule&) = default;
};

struct CustomCalendarDefinition {
  std::string id;  // see ValidateCalendarId
  std::string name;
  std::string description;
  std::string zone;                     // IANA name, e.g. "Europe/Berlin"
  EventKind kind = EventKind::kCustom;  // the kind of every event
  std::optional<std::chrono::seconds> duration;
  std::variant<DateListSchedule, RuleSchedule> schedule;

  friend bool operator==(const CustomCalendarDefinition&,
                         const CustomCalendarDefinition&) = default;
};

// The most entries a date list may have.
inline constexpr std::size_t kMaxListedDates = 10'000;

// Checks a custom calendar id: 1..64 characters of [a-z0-9_-], starting with a letter or digit
// (kInvalidArgument "calendar id 'Foo Bar' must be 1-64 characters of a-z, 0-9, '_' and '-',
// starting with a letter or digit"), and not a built-in id (kConflict "calendar id 'microsoft' is
// taken by a built-in calendar").
Status ValidateCalendarId(std::string_view id);

// Validates `definition` and builds its calendar (CalendarKind::kCustom; events have source kApi,
// is_public true, the definition's kind and duration; ids as event.h describes).
// Errors, each message starting "calendar '<id>': " after the id itself is valid:
//  - the id (ValidateCalendarId); an empty name (kInvalidArgument);
//  - the zone: kNotFound or kInvalidArgument from LocateZone;
//  - a negative duration (kInvalidArgument);
//  - a date list that is empty or longer than kMaxListedDates (kInvalidArgument);
//  - the RRULE: ParseRecurrenceRule's errors (kUnprocessable for parts outside the subset).
Result<std::unique_ptr<Calendar>> MakeCustomCalendar(const CustomCalendarDefinition& definition);

}  // namespace patchcast::calendars
