#include "api/point_text.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "api/parsed_points.h"
#include "calendars/time_text.h"

namespace patchcast::api {
namespace {

using std::chrono::sys_seconds;

sys_seconds At(std::int64_t unix_seconds) {
  return sys_seconds{std::chrono::seconds{unix_seconds}};
}

TEST_CASE("ParseRfc3339Seconds reads whole-second instants exactly") {
  struct Case {
    const char* text;
    std::int64_t unix_seconds;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-11-01T00:00:00Z", 1793491200},
      {"2026-11-01T01:00:00+01:00", 1793491200},
      {"2026-10-31T19:00:00-05:00", 1793491200},
      {"2026-11-01T05:45:00+05:45", 1793491200},
      {"2026-11-01T00:00:00-00:00", 1793491200},
      {"2026-11-01t00:00:00z", 1793491200},
      {"2026-11-01T00:00:00.000000000Z", 1793491200},
      {"2024-02-29T12:34:56Z", 1709210096},
      {"2000-02-29T00:00:00Z", 951782400},
      {"9999-12-31T23:59:59Z", 253402300799},
      {"9999-12-31T23:59:59+00:00", 253402300799},
      {"1970-01-01T01:00:00+01:00", 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(ParseRfc3339Seconds(c.text).value() == At(c.unix_seconds));
  }
}

TEST_CASE("ParseRfc3339 agrees with calendars::ParseUtcDateTime on every form both accept") {
  std::mt19937_64 random(20261110);
  std::uniform_int_distribution<std::int64_t> instant(0, 253402300799);
  std::uniform_int_distribution<int> offset_minutes(-23 * 60 - 59, 23 * 60 + 59);
  for (int i = 0; i < 20000; ++i) {
    const sys_seconds utc = At(instant(random));
    const std::string text = calendars::FormatUtcDateTime(utc);
    sys_seconds parsed;
    REQUIRE(ParseRfc3339(text, parsed) == TimestampError::kNone);
    CHECK(parsed == utc);
    // The same instant written with an offset: local time = utc + offset.
    const int offset = offset_minutes(random);
    std::string local = calendars::FormatUtcDateTime(utc + std::chrono::minutes{offset});
    local.pop_back();  // the 'Z'
    const int magnitude = std::abs(offset);
    local += offset < 0 ? '-' : '+';
    local += static_cast<char>('0' + magnitude / 600);
    local += static_cast<char>('0' + magnitude / 60 % 10);
    local += ':';
    local += static_cast<char>('0' + magnitude % 60 / 10);
    local += static_cast<char>('0' + magnitude % 10);
    CAPTURE(local);
    const Result<sys_seconds> theirs = calendars::ParseUtcDateTime(local);
    const TimestampError ours = ParseRfc3339(local, parsed);
    if (theirs.has_value() && *theirs >= At(0) && *theirs <= At(253402300799)) {
      REQUIRE(ours == TimestampError::kNone);
      CHECK(parsed == *theirs);
    } else {
      // Only the edges of the range differ: the offset moved the instant outside 1970..9999, or
      // the local year out of four digits.
      CHECK(ours != TimestampError::kNone);
    }
  }
}

TEST_CASE("ParseRfc3339Seconds gives the reason for each kind of bad timestamp") {
  struct Case {
    const char* text;
    TimestampError error;
    const char* message;
  };
  const Case cases[] = {
      {"2026-02-30T00:00:00Z", TimestampError::kDate,
       "timestamp '2026-02-30T00:00:00Z' is not a valid date"},
      {"2100-02-29T00:00:00Z", TimestampError::kDate,
       "timestamp '2100-02-29T00:00:00Z' is not a valid date"},
      {"2026-04-31T00:00:00Z", TimestampError::kDate,
       "timestamp '2026-04-31T00:00:00Z' is not a valid date"},
      {"2026-11-01T23:59:61Z", TimestampError::kTimeOfDay,
       "timestamp '2026-11-01T23:59:61Z' is not a valid time of day"},
      {"2016-12-31T23:59:60Z", TimestampError::kLeapSecond,
       "timestamp '2016-12-31T23:59:60Z': leap seconds are not supported"},
      {"2026-11-01T00:00:00.000001Z", TimestampError::kSubSecond,
       "timestamp '2026-11-01T00:00:00.000001Z': sub-second timestamps are not supported"},
      {"2026-11-01T00:00:00+23:60", TimestampError::kOffset,
       "timestamp '2026-11-01T00:00:00+23:60' has an invalid UTC offset"},
      {"1969-12-31T23:59:59Z", TimestampError::kBefore1970,
       "timestamp '1969-12-31T23:59:59Z' is before 1970-01-01T00:00:00Z"},
      {"12026-11-01T00:00:00Z", TimestampError::kAfter9999,
       "timestamp '12026-11-01T00:00:00Z' is after 9999-12-31T23:59:59Z"},
      {"2026-11-01T00:00:00", TimestampError::kNotRfc3339,
       "timestamp '2026-11-01T00:00:00' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"},
      {"2026-11-01T00:00:00ZZ", TimestampError::kNotRfc3339,
       "timestamp '2026-11-01T00:00:00ZZ' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"},
      {"2026-11-01T00:00:00+01", TimestampError::kNotRfc3339,
       "timestamp '2026-11-01T00:00:00+01' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"},
      {"2026-1-01T00:00:00Z", TimestampError::kNotRfc3339,
       "timestamp '2026-1-01T00:00:00Z' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"},
      {"1793491200", TimestampError::kNotRfc3339,
       "timestamp '1793491200' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"},
      {"", TimestampError::kNotRfc3339,
       "timestamp '' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    sys_seconds parsed = At(42);
    CHECK(ParseRfc3339(c.text, parsed) == c.error);
    CHECK(parsed == At(42));  // untouched on error
    const Result<sys_seconds> result = ParseRfc3339Seconds(c.text);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == ErrorCode::kInvalidArgument);
    CHECK(result.error().message == c.message);
  }
}

TEST_CASE("ParseTimestampText also reads integer Unix seconds within 1970..9999") {
  sys_seconds parsed;
  CHECK(ParseTimestampText("0", parsed) == TimestampError::kNone);
  CHECK(parsed == At(0));
  CHECK(ParseTimestampText("1793491200", parsed) == TimestampError::kNone);
  CHECK(parsed == At(1793491200));
  CHECK(ParseTimestampText("-0", parsed) == TimestampError::kNone);
  CHECK(parsed == At(0));
  CHECK(ParseTimestampText("253402300799", parsed) == TimestampError::kNone);
  CHECK(ParseTimestampText("253402300800", parsed) == TimestampError::kAfter9999);
  CHECK(ParseTimestampText("-1", parsed) == TimestampError::kBefore1970);
  CHECK(ParseTimestampText("99999999999999999999999", parsed) == TimestampError::kAfter9999);
  CHECK(ParseTimestampText("1e9", parsed) == TimestampError::kNotTimestamp);
  CHECK(UnixSecondsToTime(-1, parsed) == TimestampError::kBefore1970);
}

TEST_CASE("ParseValueText reads decimal numbers and applies the value rule") {
  double value = -1;
  CHECK(ParseValueText("1234", 1e15, value) == ValueError::kNone);
  CHECK(value == 1234);
  CHECK(ParseValueText("000000000001234", 1e15, value) == ValueError::kNone);
  CHECK(value == 1234);
  CHECK(ParseValueText("999999999999999", 1e15, value) == ValueError::kNone);
  CHECK(value == 999999999999999.0);
  CHECK(ParseValueText("0.1", 1e15, value) == ValueError::kNone);
  CHECK(value == 0.1);
  CHECK(ParseValueText("2.5E3", 1e15, value) == ValueError::kNone);
  CHECK(value == 2500);
  CHECK(ParseValueText("-0", 1e15, value) == ValueError::kNone);
  CHECK_FALSE(std::signbit(value));
  CHECK(ParseValueText("1e15", 1e15, value) == ValueError::kNone);
  CHECK(ParseValueText("1000000000000001", 1e15, value) == ValueError::kRule);
  CHECK(ParseValueText("-1", 1e15, value) == ValueError::kRule);
  CHECK(ParseValueText("nan", 1e15, value) == ValueError::kRule);
  CHECK(ParseValueText("1e400", 1e15, value) == ValueError::kOverflow);
  CHECK(ParseValueText("1e-400", 1e15, value) == ValueError::kUnderflow);
  CHECK(ParseValueText("", 1e15, value) == ValueError::kEmpty);
  CHECK(ParseValueText("1,5", 1e15, value) == ValueError::kNotANumber);
  CHECK(DescribeValueError(ValueError::kRule, "-7", 1e15) == "value -7 is negative");
}

TEST_CASE("only TooManyPointsError's own errors count as too many points") {
  CHECK(IsTooManyPoints(TooManyPointsError(5'000'000)));
  CHECK(IsTooManyPoints(TooManyPointsError(1)));
  CHECK_FALSE(IsTooManyPoints(Unprocessable(TooManyPointsError(3).message)));
  CHECK_FALSE(IsTooManyPoints(
      Error(ErrorCode::kInvalidArgument, TooManyPointsError(3).message, {"row 1 (line 2): x"})));
  CHECK_FALSE(
      IsTooManyPoints(InvalidArgument("more than x points in one request; split the upload")));
  CHECK_FALSE(
      IsTooManyPoints(InvalidArgument("more than  points in one request; split the upload")));
  CHECK_FALSE(IsTooManyPoints(InvalidArgument("empty body")));
}

TEST_CASE("rows are named as the body's author counts them") {
  CHECK(RowName(PointsLayout::kCsv, 0) == "row 1 (line 2)");
  CHECK(RowName(PointsLayout::kCsv, 16) == "row 17 (line 18)");
  CHECK(RowName(PointsLayout::kJsonPoints, 17) == "points[17]");
  CHECK(RowName(PointsLayout::kJsonColumns, 3) == "timestamps[3]");
  ParsedPoints parsed;
  parsed.layout = PointsLayout::kJsonPoints;
  CHECK(parsed.RowName(2) == "points[2]");
}

}  // namespace
}  // namespace patchcast::api
