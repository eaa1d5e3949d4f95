// Monthly release-day rules of the built-in vendor calendars, as constexpr date arithmetic.
//
// Each rule maps a month to that month's local release date, or to a date for which ok() is false
// when the vendor has no scheduled release in that month. The dates are local calendar dates in the
// vendor's zone; the time of day and zone live with the calendar (vendor_calendars.h). Pure
// functions; thread-safe. Their known values are checked at compile time at the bottom of this
// file.
#pragma once

#include <date/date.h>

namespace patchcast::calendars {

// Microsoft's "Update Tuesday": the second Tuesday of every month. Microsoft set this schedule in
// October 2003 (MSRC, "Security Bulletin Summary for October 2003"; see calendars/data/README.md).
// The second Tuesday is always day 8..14.
constexpr date::year_month_day PatchTuesday(date::year_month month) {
  return date::year_month_day{date::sys_days{month.year() / month.month() / date::Tuesday[2]}};
}

// Microsoft's Advance Notification Service published on the Thursday five days before the second
// Tuesday (always day 3..9 of the same month). Public ANS ran from November 2004 to December 2014.
constexpr date::year_month_day AdvanceNoticeDay(date::year_month month) {
  return date::year_month_day{date::sys_days{PatchTuesday(month)} - date::days{5}};
}

// The first Monday of the month (day 1..7): the Android Security Bulletin's publication day.
constexpr date::year_month_day FirstMonday(date::year_month month) {
  return date::year_month_day{date::sys_days{month.year() / month.month() / date::Monday[1]}};
}

// The Tuesday closest to day `target` of `month`: the Tuesday in [target - 3, target + 3], of which
// there is exactly one. Precondition: 4 <= target <= 25, so the whole window lies in the month.
constexpr date::year_month_day TuesdayNearest(date::year_month month, unsigned target) {
  const date::sys_days window_start{month.year() / month.month() / date::day{target - 3}};
  // (Tuesday - weekday) is in [0, 6] days: the offset of the first Tuesday in the window.
  return date::year_month_day{window_start + (date::Tuesday - date::weekday{window_start})};
}

// Oracle's quarterly Critical Patch Update (January, April, July, October), in three eras:
//  - January 2005 to October 2010: the Tuesday closest to the 15th ("Since the inception of the
//    Critical Patch Update program, Critical Patch Updates were released on the Tuesdays closest to
//    the 15th"; Oracle CPU documentation, quoted at oadba.wordpress.com, 2010);
//  - January 2011 to October 2024: the Tuesday closest to the 17th ("starting in January 2011, ...
//    the Tuesdays closest to the 17th", same source; e.g. 2018-01-16, 2018-04-17, 2024-10-15);
//  - from January 2025: the third Tuesday ("Critical Patch Updates are released on the third
//  Tuesday
//    of January, April, July, and October", oracle.com/corporate/security-practices/assurance/
//    vulnerability/). The two rules differ only when the 14th is a Tuesday; the first such CPU
//    month after the change was January 2025, released on 2025-01-21 (the closest-to-17th rule
//    would give 2025-01-14). The exact month Oracle switched is not documented; no CPU month
//    between July 2020 (14th a Tuesday, released 2020-07-14) and January 2025 tells the rules
//    apart.
// Before 2005 there was no CPU program; the first era's rule is extrapolated (the Oracle calendar
// starts in January 2005, see vendor_calendars.h). Months other than Jan/Apr/Jul/Oct: !ok().
constexpr date::year_month_day OracleCriticalPatchUpdateDay(date::year_month month) {
  const unsigned m = static_cast<unsigned>(month.month());
  if (m != 1 && m != 4 && m != 7 && m != 10) return date::year_month_day{};  // !ok(): no CPU
  if (month.year() < date::year{2011}) return TuesdayNearest(month, 15);
  if (month.year() < date::year{2025}) return TuesdayNearest(month, 17);
  return date::year_month_day{date::sys_days{month.year() / month.month() / date::Tuesday[3]}};
}

// Compile-time checks against published dates.
static_assert(PatchTuesday(date::year{2007} / 8) == date::year{2007} / 8 / 14);
static_assert(PatchTuesday(date::year{2007} / 3) == date::year{2007} / 3 / 13);
static_assert(AdvanceNoticeDay(date::year{2007} / 8) == date::year{2007} / 8 / 9);
static_assert(AdvanceNoticeDay(date::year{2014} / 12) == date::year{2014} / 12 / 4);
static_assert(FirstMonday(date::year{2024} / 1) == date::year{2024} / 1 / 1);
static_assert(OracleCriticalPatchUpdateDay(date::year{2010} / 1) == date::year{2010} / 1 / 12);
static_assert(OracleCriticalPatchUpdateDay(date::year{2018} / 4) == date::year{2018} / 4 / 17);
static_assert(OracleCriticalPatchUpdateDay(date::year{2024} / 10) == date::year{2024} / 10 / 15);
static_assert(OracleCriticalPatchUpdateDay(date::year{2025} / 1) == date::year{2025} / 1 / 21);
static_assert(!OracleCriticalPatchUpdateDay(date::year{2024} / 2).ok());

}  // namespace patchcast::calendars
