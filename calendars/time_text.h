// Strict text forms of dates and times at the module's edges: API parameters, the history CSV,
// custom calendar definitions and event ids. Pure functions; thread-safe.
//
// Parsing is strict: fixed-width digits, the exact separators, no surrounding blanks, and a value
// that exists in the proleptic Gregorian calendar. Errors are kInvalidArgument and quote the text,
// e.g. "'2026-02-30' is not a valid date".
#pragma once

#include <date/date.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace patchcast::calendars {

// Parses "YYYY-MM-DD" (years 0000..9999).
// Errors: "'2026-2-3' is not a date in YYYY-MM-DD form"; "'2026-02-30' is not a valid date".
Result<date::year_month_day> ParseDate(std::string_view text);

// Parses a local (zone-less) date-time: "YYYY-MM-DDTHH:MM:SS", "YYYY-MM-DDTHH:MM", or a bare
// "YYYY-MM-DD" meaning 00:00 that day. Hours 00..23, minutes and seconds 00..59.
// Errors: "'...' is not a local date-time in YYYY-MM-DD[THH:MM[:SS]] form"; "... is not a valid
// date";
// "'2026-03-10T24:00' is not a valid time of day".
Result<date::local_seconds> ParseLocalDateTime(std::string_view text);

// Parses an instant: "YYYY-MM-DDTHH:MM:SSZ", or with a numeric offset "+HH:MM" / "-HH:MM" in place
// of "Z" (RFC 3339). Errors as for ParseLocalDateTime, plus "'...' has an invalid UTC offset".
Result<std::chrono::sys_seconds> ParseUtcDateTime(std::string_view text);

// "YYYY-MM-DD" text of a date, built without allocating. Years outside 0..9999 are written with as
// many digits as they need and a leading '-' when negative.
class DateText {
 public:
  explicit DateText(date::year_month_day date);
  explicit DateText(date::local_days date) : DateText(date::year_month_day{date}) {}
  std::string_view view() const { return {chars_, size_}; }

 private:
  char chars_[16];
  std::size_t size_ = 0;
};

// Returns "YYYY-MM-DD".
std::string FormatDate(date::year_month_day date);
std::string FormatDate(date::local_days date);
// Returns "YYYY-MM-DDTHH:MM:SS" (seconds always written).
std::string FormatLocalDateTime(date::local_seconds local);
// Returns "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatUtcDateTime(std::chrono::sys_seconds utc);

}  // namespace patchcast::calendars
