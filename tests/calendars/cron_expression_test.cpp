// Cron expressions (issue 15's alternative to a weekly slot): parsing with errors that name the
// field, cron's day rule, and firing instants on a zone's wall clock across DST changes. Instants
// are worked out by hand in the comments.
#include "calendars/cron_expression.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Utc;

const date::time_zone& Zone(std::string_view name) {
  Result<const date::time_zone*> zone = LocateZone(name);
  REQUIRE(zone.has_value());
  return **zone;
}

CronExpression Cron(std::string_view text) {
  Result<CronExpression> cron = CronExpression::Parse(text);
  REQUIRE_MESSAGE(cron.has_value(), (cron.has_value() ? "" : cron.error().message));
  return *cron;
}

std::string ParseError(std::string_view text) {
  Result<CronExpression> cron = CronExpression::Parse(text);
  REQUIRE_FALSE(cron.has_value());
  CHECK(cron.error().code == ErrorCode::kInvalidArgument);
  return cron.error().message;
}

TEST_CASE("an expression keeps its text with blanks made single spaces") {
  CHECK(Cron("  0   6 * *\t1-5 ").text() == "0 6 * * 1-5");
  CHECK(Cron("0 6 * * 1") == Cron("0  6 * * 1"));
}

TEST_CASE("errors name the field and what is wrong with it") {
  CHECK(ParseError("0 6 * *") ==
        "a cron expression has five fields (minute hour day-of-month month day-of-week), got 4");
  CHECK(ParseError("0 25 * * *") == "cron field 2 (hour) '25': 25 is out of 0-23");
  CHECK(ParseError("60 * * * *") == "cron field 1 (minute) '60': 60 is out of 0-59");
  CHECK(ParseError("0 0 0 * *") == "cron field 3 (day of month) '0': 0 is out of 1-31");
  CHECK(ParseError("0 0 * 13 *") == "cron field 4 (month) '13': 13 is out of 1-12");
  CHECK(ParseError("0 0 * * 8") == "cron field 5 (day of week) '8': 8 is out of 0-7");
  CHECK(ParseError("0 0 * * fri-mon") ==
        "cron field 5 (day of week) 'fri-mon': the range 5-1 runs backwards");
  CHECK(ParseError("*/0 * * * *") ==
        "cron field 1 (minute) '*/0': the step '0' is not a whole number from 1");
  CHECK(ParseError("x * * * *") == "cron field 1 (minute) 'x': 'x' is not a number");
  CHECK(ParseError("0 0 * smarch *") ==
        "cron field 4 (month) 'smarch': 'smarch' is not a number or a name such as 'jan'");
  CHECK(ParseError("0 0 1,,2 * *") == "cron field 3 (day of month) '1,,2': '' is not a number");
  CHECK(ParseError("0 0 30 2 *") ==
        "the cron expression '0 0 30 2 *' never fires: no date matches its day-of-month, month "
        "and day-of-week fields");
}

TEST_CASE("lists, ranges, steps and names") {
  const date::time_zone& utc = Zone("UTC");
  // Every 20 minutes from 10 past, in hours 9 to 17 on weekdays.
  const CronExpression cron = Cron("10/20 9-17 * * MON-fri");
  CHECK(cron.NextAfter(utc, Utc("2026-12-04T17:30:00Z")) == Utc("2026-12-04T17:50:00Z"));
  // Friday's last, then Monday 09:10.
  CHECK(cron.NextAfter(utc, Utc("2026-12-04T17:50:00Z")) == Utc("2026-12-07T09:10:00Z"));
  // Sunday is 0 and 7; a month's name.
  CHECK(Cron("0 0 * * 7").NextAfter(utc, Utc("2026-12-04T00:00:00Z")) ==
        Utc("2026-12-06T00:00:00Z"));
  CHECK(Cron("0 0 1 jan,Jul *").NextAfter(utc, Utc("2026-12-04T00:00:00Z")) ==
        Utc("2027-01-01T00:00:00Z"));
  CHECK(Cron("*/15 * * * *").NextAfter(utc, Utc("2026-12-04T10:15:00Z")) ==
        Utc("2026-12-04T10:30:00Z"));
}

TEST_CASE("with both day fields restricted, either matches; with one a '*', both must") {
  const date::time_zone& utc = Zone("UTC");
  // The 13th, or any Friday: Friday 4 December comes first.
  CHECK(Cron("0 12 13 * 5").NextAfter(utc, Utc("2026-12-01T00:00:00Z")) ==
        Utc("2026-12-04T12:00:00Z"));
  // "*/2" starts with '*': odd days that are also Fridays. 4 December is even; the 11th is odd.
  CHECK(Cron("0 12 */2 * 5").NextAfter(utc, Utc("2026-12-01T00:00:00Z")) ==
        Utc("2026-12-11T12:00:00Z"));
  // cron's well-known trap: "the 8th to the 14th, on Tuesday" is every one of those days and every
  // Tuesday, not Patch Tuesday alone.
  const CronExpression trap = Cron("0 18 8-14 * 2");
  CHECK(trap.NextAfter(utc, Utc("2026-12-02T00:00:00Z")) == Utc("2026-12-08T18:00:00Z"));
  CHECK(trap.NextAfter(utc, Utc("2026-12-08T18:00:00Z")) == Utc("2026-12-09T18:00:00Z"));
  CHECK(trap.NextAfter(utc, Utc("2026-12-14T18:00:00Z")) == Utc("2026-12-15T18:00:00Z"));
}

TEST_CASE("fires on the zone's wall clock, summer and winter") {
  const date::time_zone& berlin = Zone("Europe/Berlin");
  const CronExpression monday_six = Cron("0 6 * * 1");
  // Winter (UTC+1) and summer (UTC+2).
  CHECK(monday_six.NextAfter(berlin, Utc("2026-12-04T00:00:00Z")) == Utc("2026-12-07T05:00:00Z"));
  CHECK(monday_six.NextAfter(berlin, Utc("2027-06-01T00:00:00Z")) == Utc("2027-06-07T04:00:00Z"));
  // The latest at or before: the same instant counts.
  CHECK(monday_six.LatestAtOrBefore(berlin, Utc("2026-12-07T05:00:00Z")) ==
        Utc("2026-12-07T05:00:00Z"));
  CHECK(monday_six.LatestAtOrBefore(berlin, Utc("2026-12-07T04:59:59Z")) ==
        Utc("2026-11-30T05:00:00Z"));
}

TEST_CASE("a time the spring change skips runs after the gap; a repeated time runs once") {
  const date::time_zone& new_york = Zone("America/New_York");
  // 2027-03-14: 02:00 EST jumps to 03:00 EDT. 02:30 does not exist: it runs at 03:30 EDT (07:30Z).
  const CronExpression half_past_two = Cron("30 2 * * *");
  CHECK(half_past_two.NextAfter(new_york, Utc("2027-03-14T05:00:00Z")) ==
        Utc("2027-03-14T07:30:00Z"));
  CHECK(half_past_two.NextAfter(new_york, Utc("2027-03-14T07:30:00Z")) ==
        Utc("2027-03-15T06:30:00Z"));
  // 2027-11-07: 02:00 EDT falls back to 01:00 EST. 01:30 happens twice; it runs at the first
  // (05:30Z), not at the second (06:30Z).
  const CronExpression half_past_one = Cron("30 1 * * *");
  CHECK(half_past_one.NextAfter(new_york, Utc("2027-11-07T04:00:00Z")) ==
        Utc("2027-11-07T05:30:00Z"));
  CHECK(half_past_one.NextAfter(new_york, Utc("2027-11-07T05:30:00Z")) ==
        Utc("2027-11-08T06:30:00Z"));
  CHECK(half_past_one.LatestAtOrBefore(new_york, Utc("2027-11-07T07:00:00Z")) ==
        Utc("2027-11-07T05:30:00Z"));
}

TEST_CASE("a rare expression is found years ahead and behind") {
  const date::time_zone& utc = Zone("UTC");
  // 29 February comes once in four years.
  const CronExpression leap_day = Cron("0 0 29 2 *");
  CHECK(leap_day.NextAfter(utc, Utc("2026-12-04T00:00:00Z")) == Utc("2028-02-29T00:00:00Z"));
  CHECK(leap_day.LatestAtOrBefore(utc, Utc("2026-12-04T00:00:00Z")) == Utc("2024-02-29T00:00:00Z"));
}

}  // namespace
}  // namespace patchcast::calendars
