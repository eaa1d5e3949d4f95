#include "calendars/time_text.h"

#include <doctest/doctest.h>

#include "calendars/time_range.h"
#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Utc;

TEST_CASE("ParseDate accepts exactly YYYY-MM-DD naming a real day") {
  CHECK(ParseDate("2026-02-28").value() == date::year{2026} / 2 / 28);
  CHECK(ParseDate("2024-02-29").value() == date::year{2024} / 2 / 29);
  CHECK(ParseDate("0001-01-01").value() == date::year{1} / 1 / 1);
}

TEST_CASE("ParseDate names the offending text") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"2026-02-30", "'2026-02-30' is not a valid date"},
      {"2025-02-29", "'2025-02-29' is not a valid date"},
      {"2026-13-01", "'2026-13-01' is not a valid date"},
      {"2026-00-10", "'2026-00-10' is not a valid date"},
      {"2026-2-3", "'2026-2-3' is not a date in YYYY-MM-DD form"},
      {"2026/02/03", "'2026/02/03' is not a date in YYYY-MM-DD form"},
      {" 2026-02-03", "' 2026-02-03' is not a date in YYYY-MM-DD form"},
      {"2026-02-03T00:00", "'2026-02-03T00:00' is not a date in YYYY-MM-DD form"},
      {"", "'' is not a date in YYYY-MM-DD form"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    const Result<date::year_month_day> day = ParseDate(c.text);
    REQUIRE_FALSE(day.has_value());
    CHECK(day.error().code == ErrorCode::kInvalidArgument);
    CHECK(day.error().message == c.message);
  }
}

TEST_CASE("ParseLocalDateTime accepts a date, minutes or seconds") {
  const date::local_days day{date::year{2026} / 3 / 10};
  CHECK(ParseLocalDateTime("2026-03-10").value() == day + std::chrono::seconds{0});
  CHECK(ParseLocalDateTime("2026-03-10T10:00").value() == day + std::chrono::hours{10});
  CHECK(ParseLocalDateTime("2026-03-10T23:59:59").value() ==
        day + std::chrono::hours{23} + std::chrono::minutes{59} + std::chrono::seconds{59});
  CHECK(ParseLocalDateTime("2026-03-10T24:00").error().message ==
        "'2026-03-10T24:00' is not a valid time of day");
  CHECK(ParseLocalDateTime("2026-02-30T10:00").error().message ==
        "'2026-02-30' is not a valid date");
  CHECK(ParseLocalDateTime("2026-03-10 10:00").error().message ==
        "'2026-03-10 10:00' is not a local date-time in YYYY-MM-DD[THH:MM[:SS]] form");
}

TEST_CASE("ParseUtcDateTime reads Z and numeric offsets") {
  CHECK(FormatUtcDateTime(ParseUtcDateTime("2007-03-13T17:00:00Z").value()) ==
        "2007-03-13T17:00:00Z");
  CHECK(ParseUtcDateTime("2007-03-13T10:00:00-07:00").value() == Utc("2007-03-13T17:00:00Z"));
  CHECK(ParseUtcDateTime("2007-03-14T02:30:00+09:30").value() == Utc("2007-03-13T17:00:00Z"));
  CHECK(ParseUtcDateTime("2007-03-13T17:00:00").error().message ==
        "'2007-03-13T17:00:00' is not a UTC date-time in YYYY-MM-DDTHH:MM:SSZ form");
  CHECK(ParseUtcDateTime("2026-02-30T00:00:00Z").error().message ==
        "'2026-02-30' is not a valid date");
  CHECK(ParseUtcDateTime("2026-02-01T00:00:00+24:00").error().message ==
        "'2026-02-01T00:00:00+24:00' has an invalid UTC offset");
}

TEST_CASE("formatting writes fixed-width ISO 8601 text") {
  const date::local_days day{date::year{2007} / 8 / 14};
  CHECK(FormatDate(day) == "2007-08-14");
  CHECK(FormatLocalDateTime(day + std::chrono::hours{10}) == "2007-08-14T10:00:00");
  CHECK(FormatUtcDateTime(testing::AsUtc(day + std::chrono::hours{17})) == "2007-08-14T17:00:00Z");
  CHECK(FormatDate(date::year_month_day{date::year{33} / 1 / 2}) == "0033-01-02");
  CHECK(FormatDate(date::year_month_day{date::year{12345} / 1 / 2}) == "12345-01-02");
  CHECK(FormatDate(date::year_month_day{date::year{-44} / 3 / 15}) == "-44-03-15");
}

TEST_CASE("a UTC day range includes both days") {
  const Result<TimeRange> range = UtcDayRange(date::year{2026} / 1 / 1, date::year{2026} / 12 / 31);
  REQUIRE(range.has_value());
  CHECK(range->from == Utc("2026-01-01T00:00:00Z"));
  CHECK(range->to == Utc("2027-01-01T00:00:00Z"));
  CHECK(range->Contains(Utc("2026-12-31T23:59:59Z")));
  CHECK_FALSE(range->Contains(Utc("2027-01-01T00:00:00Z")));
  CHECK(UtcDayRange(date::year{2026} / 5 / 5, date::year{2026} / 5 / 5).has_value());
}

TEST_CASE("day ranges refuse bad dates, inverted ranges and spans over 200 years") {
  struct Case {
    date::year_month_day from;
    date::year_month_day to;
    const char* message;
  };
  const Case cases[] = {
      {date::year{2026} / 2 / 30, date::year{2026} / 3 / 1, "2026-02-30 is not a valid date"},
      {date::year{2026} / 3 / 1, date::year{2026} / 2 / 1,
       "range start 2026-03-01 is after its end 2026-02-01"},
      {date::year{1900} / 1 / 1, date::year{2100} / 1 / 1,
       "range 1900-01-01..2100-01-01 spans more than 200 years"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.message);
    const Result<TimeRange> range = UtcDayRange(c.from, c.to);
    REQUIRE_FALSE(range.has_value());
    CHECK(range.error().code == ErrorCode::kInvalidArgument);
    CHECK(range.error().message == c.message);
  }
  CHECK(UtcDayRange(date::year{1900} / 1 / 1, date::year{2099} / 12 / 31).has_value());
}

TEST_CASE("instant ranges may be empty but not inverted or longer than 200 years") {
  CHECK(ValidateRange({Utc("2026-01-01T00:00:00Z"), Utc("2026-01-01T00:00:00Z")}).has_value());
  CHECK(ValidateRange({Utc("1900-01-01T00:00:00Z"), Utc("2100-01-01T00:00:00Z")}).has_value());
  const Status inverted = ValidateRange({Utc("2026-01-02T00:00:00Z"), Utc("2026-01-01T00:00:00Z")});
  REQUIRE_FALSE(inverted.has_value());
  CHECK(inverted.error().message ==
        "range start 2026-01-02T00:00:00Z is after its end 2026-01-01T00:00:00Z");
  const Status too_long = ValidateRange({Utc("1900-01-01T00:00:00Z"), Utc("2100-01-01T00:00:01Z")});
  REQUIRE_FALSE(too_long.has_value());
  CHECK(too_long.error().code == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace patchcast::calendars
