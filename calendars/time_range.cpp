#include "calendars/time_range.h"

#include <string>

#include "calendars/time_text.h"

namespace patchcast::calendars {
namespace {

// The instant `kMaxRangeYears` calendar years after `t` (29 February maps to 1 March when the
// target year is not a leap year, which only widens the limit by a day).
std::chrono::sys_seconds MaxRangeEnd(std::chrono::sys_seconds t) {
  const date::sys_days day = date::floor<date::days>(t);
  const date::year_month_day later = date::year_month_day{day} + kMaxRangeYears;
  return date::sys_days{later} + (t - day);
}

}  // namespace

Result<TimeRange> UtcDayRange(date::year_month_day from, date::year_month_day to) {
  if (!from.ok()) return InvalidArgument(FormatDate(from) + " is not a valid date");
  if (!to.ok()) return InvalidArgument(FormatDate(to) + " is not a valid date");
  if (from > to) {
    return InvalidArgument("range start " + FormatDate(from) + " is after its end " +
                           FormatDate(to));
  }
  if (to >= from + kMaxRangeYears) {
    return InvalidArgument("range " + FormatDate(from) + ".." + FormatDate(to) +
                           " spans more than 200 years");
  }
  return TimeRange{date::sys_days{from}, date::sys_days{to} + date::days{1}};
}

Status ValidateRange(const TimeRange& range) {
  if (range.from > range.to) {
    return InvalidArgument("range start " + FormatUtcDateTime(range.from) + " is after its end " +
                           FormatUtcDateTime(range.to));
  }
  if (range.to > MaxRangeEnd(range.from)) {
    return InvalidArgument("range " + FormatUtcDateTime(range.from) + ".." +
                           FormatUtcDateTime(range.to) + " spans more than 200 years");
  }
  return {};
}

}  // namespace patchcast::calendars
