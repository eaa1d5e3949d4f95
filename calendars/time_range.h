// TimeRange: a half-open interval of UTC instants [from, to), the unit every event query takes, and
// the checks the API applies to user-supplied ranges. Value type; thread-safe functions.
#pragma once

#include <date/date.h>

#include <chrono>

#include "core/result.h"

namespace patchcast::calendars {

struct TimeRange {
  std::chrono::sys_seconds from;  // included
  std::chrono::sys_seconds to;    // excluded

  bool Contains(std::chrono::sys_seconds t) const { return from <= t && t < to; }
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// The longest range a query may span, in calendar years.
inline constexpr date::years kMaxRangeYears{200};

// Returns the UTC days `from` through `to`, both included: [from 00:00Z, (to + 1 day) 00:00Z).
// This is how the API reads "?from=2026-01-01&to=2026-12-31".
// Errors (kInvalidArgument): a date that is not ok() ("2026-02-30 is not a valid date"); `from`
// after `to` ("range start 2026-03-01 is after its end 2026-02-01"); a span of more than 200 years,
// i.e. `to` on or after `from` + 200 years ("range 1900-01-01..2100-01-01 spans more than 200
// years").
Result<TimeRange> UtcDayRange(date::year_month_day from, date::year_month_day to);

// Checks an instant range: kInvalidArgument when from > to, or when `to` lies more than 200
// calendar years after `from`. An empty range (from == to) is valid.
Status ValidateRange(const TimeRange& range);

}  // namespace patchcast::calendars
