// CronExpression: the five fields of a crontab line ("0 6 * * 1-5"), for schedules that prefer cron
// to a weekly slot (issue 15), with the instants they fire on a zone's wall clock.
//
// The fields are those of POSIX crontab(5) with Vixie cron's extensions: minute (0-59), hour
// (0-23), day of month (1-31), month (1-12 or jan-dec) and day of week (0-7 or sun-sat, 0 and 7
// both Sunday); each a `*`, a number, a range `a-b`, any of these with a step `/n`, or a
// comma-separated list of them. As in cron, when both day fields are restricted (neither starts
// with `*`), a day matches when either does.
//
// On a zone's wall clock, a local time that a daylight-saving change skips or repeats is read as
// iCalendar reads it (zone.h): after the gap, or the first of the two. Pure functions; value type.
#pragma once

#include <date/tz.h>

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "calendars/zone.h"
#include "core/result.h"

namespace patchcast::calendars {

class CronExpression {
 public:
  // Parses five fields separated by blanks. Errors (kInvalidArgument) name the field and what is
  // wrong: "cron field 2 (hour) '25': 25 is out of 0-23"; a wrong number of fields; and an
  // expression no date can match ("never fires: no date matches day of month '31' in month '2'").
  static Result<CronExpression> Parse(std::string_view text);

  // The expression as given, blanks normalized to one space.
  const std::string& text() const { return text_; }

  // The first instant strictly after `after` at which it fires on `zone`'s wall clock.
  std::chrono::sys_seconds NextAfter(const date::time_zone& zone,
                                     std::chrono::sys_seconds after) const;

  // The last instant at or before `at` at which it fired on `zone`'s wall clock.
  std::chrono::sys_seconds LatestAtOrBefore(const date::time_zone& zone,
                                            std::chrono::sys_seconds at) const;

  friend bool operator==(const CronExpression& a, const CronExpression& b) {
    return a.text_ == b.text_;
  }

 private:
  bool MatchesDay(date::local_days day) const;
  // Its earliest firing on local `day` strictly after `after`, and its latest at or before `at`.
  std::optional<std::chrono::sys_seconds> FirstOnDayAfter(ZoneConverter& zone, date::local_days day,
                                                          std::chrono::sys_seconds after) const;
  std::optional<std::chrono::sys_seconds> LastOnDayAtOrBefore(ZoneConverter& zone,
                                                              date::local_days day,
                                                              std::chrono::sys_seconds at) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // bit 0 unused
  std::bitset<13> months_;         // bit 0 unused
  std::bitset<7> days_of_week_;    // 0 = Sunday
  bool day_of_month_any_ = false;  // the field starts with '*'
  bool day_of_week_any_ = false;
};

}  // namespace patchcast::calendars
