// RecurrenceSet: a recurrence as iCalendar defines one — DTSTART as a local date-time in a named
// zone, an RRULE (recurrence_rule.h) and EXDATE exclusions — and its expansion into occurrences.
//
// Value type; ExpandRecurrence and ParseRecurrenceSet are pure and thread-safe.
//
// Semantics (RFC 5545):
//  - Occurrences are local times in the set's zone, all at DTSTART's time of day (3.8.5.3: "to make
//    sure all the recurrence instances start at the same local time regardless of time zone
//    changes"), converted to UTC through the tz database.
//  - DTSTART is always the first occurrence and counts towards COUNT (3.8.5.1: "The DTSTART
//  property
//    defines the first instance in the recurrence set"), even when the rule would not generate it.
//  - Candidate days come from the period (day, week starting on WKST, month, year) filtered by
//    BYMONTH, BYMONTHDAY and BYDAY; a BYDAY ordinal counts within the month for FREQ=MONTHLY and
//    for FREQ=YEARLY with BYMONTH, within the year for FREQ=YEARLY without it. When the rule gives
//    no day, DTSTART supplies it (3.3.10): its weekday for WEEKLY, its day of month for MONTHLY,
//    its month and day for YEARLY. BYSETPOS then picks from each period's sorted candidates.
//    Invalid dates (February 30) are never candidates, so they are skipped and not counted
//    (3.3.10).
//  - COUNT counts generated occurrences, EXDATE then removes some (3.8.5.1: the set is the RRULE's
//    occurrences "and then excluding any start DATE-TIME values specified by EXDATE").
//  - UNTIL is inclusive; a date-only UNTIL includes that whole local date.
//  - A local time inside a spring-forward gap is NOT dropped: it is resolved as RFC 5545 3.3.5
//    resolves a DATE-TIME with TZID, with the UTC offset before the gap, which moves it forward by
//    the gap's length (02:30 becomes 03:30 daylight time). RFC 5545 3.3.10 says such generated
//    instances "MUST be ignored"; Patchcast deliberately keeps them, because silently losing a
//    release day would hide a login wave. A local time that occurs twice means its first occurrence
//    (3.3.5).
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

#include "calendars/recurrence_rule.h"
#include "calendars/time_range.h"
#include "core/result.h"

namespace patchcast::calendars {

struct RecurrenceSet {
  date::local_seconds dtstart{};          // local date-time in `zone`
  const date::time_zone* zone = nullptr;  // never null in a valid set
  RecurrenceRule rule;
  std::vector<date::local_seconds> exdates;  // local date-times in `zone` to exclude
};

struct Occurrence {
  date::local_seconds local;  // in the set's zone
  std::chrono::sys_seconds utc;

  friend bool operator==(const Occurrence&, const Occurrence&) = default;
};

struct Expansion {
  std::vector<Occurrence> occurrences;  // in increasing order
  bool truncated = false;               // more occurrences lie in the range than were returned
};

// Returns the occurrences of `set` whose UTC instant lies in `range`, at most `max_occurrences` of
// them (the first ones; `truncated` tells whether more exist), so an unbounded rule is safe to
// expand. The work is bounded by the range as well: periods are not scanned past its end, and
// without COUNT the scan starts near range.from instead of at DTSTART. Never fails; an empty range
// or max_occurrences == 0 yields nothing (truncated when an occurrence was cut).
// Precondition: set.zone is not null.
Expansion ExpandRecurrence(const RecurrenceSet& set, const TimeRange& range,
                           std::size_t max_occurrences);

// Parses the iCalendar property lines that define a recurrence (RFC
// 5545 3.8.2.4, 3.8.5.1, 3.8.5.3):
//   DTSTART;TZID=America/New_York:19970902T090000   (or DTSTART:19970902T130000Z for UTC)
//   RRULE:FREQ=DAILY;COUNT=10
//   EXDATE;TZID=America/New_York:19970902T090000,19970903T090000   (optional, repeatable)
// Lines end in LF or CRLF; folded lines (continued with a leading space, RFC 5545 3.1) are
// unfolded; blank lines are ignored. EXDATE values are local times in DTSTART's zone (a TZID on
// EXDATE must name the same zone) or UTC times ending in Z. Errors: kInvalidArgument for a missing
// or repeated DTSTART or RRULE, a DTSTART that is neither TZID-qualified nor UTC ("DTSTART needs a
// TZID or a UTC time ending in Z"), a malformed date-time
// ("DTSTART value '1997-09-02' is not a date-time in YYYYMMDDTHHMMSS form"); kNotFound for an
// unknown TZID (LocateZone); kUnprocessable for RDATE ("RDATE is not supported; use a date-list
// calendar") and any other property ("property SUMMARY is not supported"); the RRULE's own errors
// (ParseRecurrenceRule).
Result<RecurrenceSet> ParseRecurrenceSet(std::string_view text);

}  // namespace patchcast::calendars
