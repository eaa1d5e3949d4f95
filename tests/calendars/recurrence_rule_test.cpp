#include "calendars/recurrence_rule.h"

#include <doctest/doctest.h>

#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Day;
using testing::Utc;

TEST_CASE("a rule with every supported part parses into its fields") {
  const Result<RecurrenceRule> rule = ParseRecurrenceRule(
      "RRULE:FREQ=YEARLY;INTERVAL=2;UNTIL=20301231T235959Z;BYMONTH=1,7;BYMONTHDAY=-1,15;"
      "BYDAY=2TU,-1fr,SU;BYSETPOS=1,-2;WKST=SU");
  REQUIRE(rule.has_value());
  CHECK(rule->frequency == Frequency::kYearly);
  CHECK(rule->interval == 2);
  CHECK_FALSE(rule->count.has_value());
  CHECK(rule->until == RecurrenceUntil{Utc("2030-12-31T23:59:59Z")});
  CHECK(rule->by_month == std::vector<unsigned>{1, 7});
  CHECK(rule->by_month_day == std::vector<int>{-1, 15});
  CHECK(rule->by_day ==
        std::vector<WeekdayNum>{{2, date::Tuesday}, {-1, date::Friday}, {0, date::Sunday}});
  CHECK(rule->by_set_pos == std::vector<int>{1, -2});
  CHECK(rule->week_start == date::Sunday);
}

TEST_CASE("defaults are INTERVAL=1, no COUNT or UNTIL, WKST=MO") {
  const Result<RecurrenceRule> rule = ParseRecurrenceRule("freq=monthly;byday=2tu");
  REQUIRE(rule.has_value());
  CHECK(rule->frequency == Frequency::kMonthly);
  CHECK(rule->interval == 1);
  CHECK_FALSE(rule->count.has_value());
  CHECK_FALSE(rule->until.has_value());
  CHECK(rule->week_start == date::Monday);
}

TEST_CASE("UNTIL may be a date, meaning through that local day") {
  const Result<RecurrenceRule> rule = ParseRecurrenceRule("FREQ=DAILY;UNTIL=20261231");
  REQUIRE(rule.has_value());
  CHECK(rule->until == RecurrenceUntil{Day("2026-12-31")});
}

TEST_CASE("ToString writes a canonical rule that parses back to the same rule") {
  for (const char* text :
       {"FREQ=DAILY", "FREQ=WEEKLY;INTERVAL=2;COUNT=8;BYDAY=TU,TH;WKST=SU",
        "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
        "FREQ=YEARLY;UNTIL=20000131;BYMONTH=1;BYDAY=SU,MO", "FREQ=MONTHLY;BYMONTHDAY=-3",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2"}) {
    CAPTURE(text);
    const Result<RecurrenceRule> rule = ParseRecurrenceRule(text);
    REQUIRE(rule.has_value());
    CHECK(ToString(*rule) == text);
    CHECK(ParseRecurrenceRule(ToString(*rule)).value() == *rule);
  }
}

TEST_CASE("parts outside the subset are unprocessable and the error names the part") {
  struct Case {
    const char* rule;
    const char* message;
  };
  const Case cases[] = {
      {"FREQ=DAILY;BYHOUR=9", "RRULE part BYHOUR is not supported"},
      {"FREQ=DAILY;BYMINUTE=0", "RRULE part BYMINUTE is not supported"},
      {"FREQ=DAILY;BYSECOND=0", "RRULE part BYSECOND is not supported"},
      {"FREQ=YEARLY;BYWEEKNO=20", "RRULE part BYWEEKNO is not supported"},
      {"FREQ=YEARLY;BYYEARDAY=100", "RRULE part BYYEARDAY is not supported"},
      {"FREQ=DAILY;RDATE=20260101", "RRULE part RDATE is not supported"},
      {"FREQ=DAILY;EXDATE=20260101", "RRULE part EXDATE is not supported"},
      {"FREQ=DAILY;X-NAME=1", "RRULE part X-NAME is not supported"},
      {"FREQ=DAILY;SKIP=FORWARD", "RRULE part SKIP is not supported"},
      {"FREQ=HOURLY;INTERVAL=3", "RRULE FREQ=HOURLY is not supported"},
      {"FREQ=MINUTELY", "RRULE FREQ=MINUTELY is not supported"},
      {"FREQ=SECONDLY", "RRULE FREQ=SECONDLY is not supported"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule);
    const Result<RecurrenceRule> rule = ParseRecurrenceRule(c.rule);
    REQUIRE_FALSE(rule.has_value());
    CHECK(rule.error().code == ErrorCode::kUnprocessable);
    CHECK(rule.error().message == c.message);
  }
}

TEST_CASE("malformed rules are invalid and the error names the part and value") {
  struct Case {
    const char* rule;
    const char* message;
  };
  const Case cases[] = {
      {"", "RRULE is empty"},
      {"RRULE:", "RRULE is empty"},
      {"INTERVAL=2", "RRULE has no FREQ"},
      {"FREQ", "RRULE part 'FREQ' has no value"},
      {"FREQ=", "RRULE part 'FREQ' has no value"},
      {"FREQ=DAILY;FREQ=WEEKLY", "RRULE part FREQ appears twice"},
      {"FREQ=FORTNIGHTLY", "RRULE part FREQ has invalid value 'FORTNIGHTLY'"},
      {"FREQ=DAILY;INTERVAL=0", "RRULE part INTERVAL has invalid value '0'"},
      {"FREQ=DAILY;INTERVAL=x", "RRULE part INTERVAL has invalid value 'X'"},
      {"FREQ=DAILY;COUNT=-1", "RRULE part COUNT has invalid value '-1'"},
      {"FREQ=DAILY;UNTIL=20260230", "RRULE part UNTIL has invalid value '20260230'"},
      {"FREQ=DAILY;UNTIL=2026-12-31", "RRULE part UNTIL has invalid value '2026-12-31'"},
      {"FREQ=DAILY;UNTIL=20261231T100000",
       "RRULE part UNTIL must be a UTC date-time ending in Z or a date, got '20261231T100000'"},
      {"FREQ=MONTHLY;BYDAY=2XX", "RRULE part BYDAY has invalid value '2XX'"},
      {"FREQ=MONTHLY;BYDAY=0TU", "RRULE part BYDAY has invalid value '0TU'"},
      {"FREQ=YEARLY;BYDAY=54MO", "RRULE part BYDAY has invalid value '54MO'"},
      {"FREQ=MONTHLY;BYDAY=MO,", "RRULE part BYDAY has invalid value ''"},
      {"FREQ=MONTHLY;BYMONTHDAY=0", "RRULE part BYMONTHDAY has invalid value '0'"},
      {"FREQ=MONTHLY;BYMONTHDAY=32", "RRULE part BYMONTHDAY has invalid value '32'"},
      {"FREQ=YEARLY;BYMONTH=13", "RRULE part BYMONTH has invalid value '13'"},
      {"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=367", "RRULE part BYSETPOS has invalid value '367'"},
      {"FREQ=WEEKLY;WKST=XX", "RRULE part WKST has invalid value 'XX'"},
      {"FREQ=DAILY;COUNT=3;UNTIL=20261231", "RRULE must not have both COUNT and UNTIL"},
      {"FREQ=WEEKLY;BYDAY=2TU",
       "RRULE part BYDAY value '2TU' has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY"},
      {"FREQ=DAILY;BYDAY=-1FR",
       "RRULE part BYDAY value '-1FR' has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY"},
      {"FREQ=WEEKLY;BYMONTHDAY=1", "RRULE part BYMONTHDAY is not allowed with FREQ=WEEKLY"},
      {"FREQ=MONTHLY;BYSETPOS=1", "RRULE part BYSETPOS needs another BY part"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.rule);
    const Result<RecurrenceRule> rule = ParseRecurrenceRule(c.rule);
    REQUIRE_FALSE(rule.has_value());
    CHECK(rule.error().code == ErrorCode::kInvalidArgument);
    CHECK(rule.error().message == c.message);
  }
}

}  // namespace
}  // namespace patchcast::calendars
