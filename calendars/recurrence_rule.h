// RecurrenceRule: the subset of an iCalendar RRULE value (RFC 5545 section 3.3.10) that custom
// calendars may use, and its strict parser. Value type; thread-safe functions.
//
// Supported parts: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL, COUNT, UNTIL, BYDAY (with ordinals
// such as 2TU or -1FR), BYMONTHDAY (negative values count from the month's end), BYMONTH, BYSETPOS,
// WKST. Every occurrence is at DTSTART's local time of day, so the time-of-day parts (BYHOUR,
// BYMINUTE, BYSECOND) and the sub-daily frequencies are outside the subset, as are BYWEEKNO and
// BYYEARDAY. Expansion lives in recurrence_set.h.
#pragma once

#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace patchcast::calendars {

enum class Frequency { kDaily, kWeekly, kMonthly, kYearly };

// One BYDAY entry: "TU" (every Tuesday of the period), "2TU" (the second), "-1FR" (the last
// Friday).
struct WeekdayNum {
  int ordinal = 0;  // 0 for every such weekday; else 1..53 or -53..-1
  date::weekday weekday;

  friend bool operator==(const WeekdayNum&, const WeekdayNum&) = default;
};

// UNTIL, inclusive (RFC 5545 3.3.10): a UTC date-time, or a date meaning "through that local date".
using RecurrenceUntil = std::variant<std::chrono::sys_seconds, date::local_days>;

struct RecurrenceRule {
  Frequency frequency = Frequency::kDaily;
  int interval = 1;          // >= 1
  std::optional<int> count;  // >= 1; never together with `until`
  std::optional<RecurrenceUntil> until;
  std::vector<WeekdayNum> by_day;
  std::vector<int> by_month_day;            // 1..31 or -31..-1
  std::vector<unsigned> by_month;           // 1..12
  std::vector<int> by_set_pos;              // 1..366 or -366..-1
  date::weekday week_start = date::Monday;  // WKST; matters for WEEKLY with INTERVAL > 1

  friend bool operator==(const RecurrenceRule&, const RecurrenceRule&) = default;
};

// Parses an RRULE value such as "FREQ=MONTHLY;BYDAY=2TU" (an "RRULE:" prefix is accepted). Part
// names and values are case-insensitive; parts may come in any order; UNTIL is "YYYYMMDDTHHMMSSZ"
// or "YYYYMMDD" (RFC 5545 requires UTC when DTSTART has a TZID, so a floating date-time is
// refused). Errors:
//  - kUnprocessable, for rules outside the subset, naming the part: "RRULE part BYHOUR is not
//    supported" (likewise BYMINUTE, BYSECOND, BYWEEKNO, BYYEARDAY, RDATE, EXDATE, DTSTART and any
//    unknown or X- part), "RRULE FREQ=HOURLY is not supported" (likewise SECONDLY, MINUTELY).
//  - kInvalidArgument, for malformed rules: "RRULE is empty", "RRULE part 'FREQ' has no value",
//    "RRULE part FREQ appears twice", "RRULE has no FREQ", a bad value naming part and value
//    ("RRULE part BYMONTHDAY has invalid value '0'"), and the RFC's own restrictions: "RRULE must
//    not have both COUNT and UNTIL", "RRULE part BYDAY value '2TU' has an ordinal, which needs
//    FREQ= MONTHLY or FREQ=YEARLY", "RRULE part BYMONTHDAY is not allowed with FREQ=WEEKLY", "RRULE
//    part BYSETPOS needs another BY part".
Result<RecurrenceRule> ParseRecurrenceRule(std::string_view text);

// The canonical text of `rule` (no "RRULE:" prefix), parts in the order FREQ, INTERVAL (when not
// 1), COUNT, UNTIL, BYMONTH, BYMONTHDAY, BYDAY, BYSETPOS, WKST (when not MO).
// ParseRecurrenceRule(ToString(rule)) == rule for every rule the parser accepts.
std::string ToString(const RecurrenceRule& rule);

}  // namespace patchcast::calendars
