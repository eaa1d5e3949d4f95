#include "api/points_csv.h"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "calendars/time_text.h"
#include "forecasting/series.h"

namespace patchcast::api {
namespace {

using forecasting::Point;

std::chrono::sys_seconds Ts(const char* text) { return calendars::ParseUtcDateTime(text).value(); }

Point P(const char* ts, double value) { return {Ts(ts), value}; }

// The one detail of a body whose only data row is `row`, which must be refused.
std::string OnlyDetail(const std::string& row) {
  const Result<ParsedPoints> parsed = ParsePointsCsv("ts,value\n" + row + "\n");
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
  CHECK(parsed.error().message == "1 row is invalid; it is listed in details");
  REQUIRE(parsed.error().details.size() == 1);
  return parsed.error().details[0];
}

TEST_CASE("a CSV body gives its points with exact values, in body order") {
  const Result<ParsedPoints> parsed = ParsePointsCsv(
      "ts,value\n2026-11-01T00:01:00Z,1234\n2026-11-01T00:00:00Z,0\n2026-11-01T00:02:00Z,12.5\n");
  REQUIRE(parsed.has_value());
  CHECK(parsed->layout == PointsLayout::kCsv);
  CHECK(parsed->points == std::vector<Point>{P("2026-11-01T00:01:00Z", 1234),
                                             P("2026-11-01T00:00:00Z", 0),
                                             P("2026-11-01T00:02:00Z", 12.5)});
}

TEST_CASE("a CSV body may vary in the ways the format allows") {
  const std::vector<Point> expected = {P("2026-11-01T00:00:00Z", 1), P("2026-11-01T00:01:00Z", 2)};
  struct Case {
    const char* name;
    std::string body;
  };
  const Case cases[] = {
      {"LF", "ts,value\n2026-11-01T00:00:00Z,1\n2026-11-01T00:01:00Z,2\n"},
      {"no final line end", "ts,value\n2026-11-01T00:00:00Z,1\n2026-11-01T00:01:00Z,2"},
      {"CRLF", "ts,value\r\n2026-11-01T00:00:00Z,1\r\n2026-11-01T00:01:00Z,2\r\n"},
      {"CRLF, no final line end", "ts,value\r\n2026-11-01T00:00:00Z,1\r\n2026-11-01T00:01:00Z,2"},
      {"byte order mark", "\xEF\xBB\xBFts,value\n2026-11-01T00:00:00Z,1\n2026-11-01T00:01:00Z,2\n"},
      {"columns swapped", "value,ts\n1,2026-11-01T00:00:00Z\n2,2026-11-01T00:01:00Z\n"},
      {"Unix seconds", "ts,value\n1793491200,1\n1793491260,2\n"},
      {"UTC offsets", "ts,value\n2026-11-01T01:00:00+01:00,1\n2026-10-31T19:01:00-05:00,2\n"},
      {"lower case t and z (RFC 3339 5.6)",
       "ts,value\n2026-11-01t00:00:00z,1\n2026-11-01t00:01:00z,2\n"},
      {"zero fractions", "ts,value\n2026-11-01T00:00:00.0Z,1\n2026-11-01T00:01:00.000000Z,2\n"},
      {"value forms", "ts,value\n2026-11-01T00:00:00Z,1.0\n2026-11-01T00:01:00Z,0.2e1\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Result<ParsedPoints> parsed = ParsePointsCsv(c.body);
    REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
    CHECK(parsed->points == expected);
  }
}

TEST_CASE("round numbers and the limits of the accepted ranges parse exactly") {
  const Result<ParsedPoints> parsed = ParsePointsCsv(
      "ts,value\n0,1000000\n1970-01-01T00:00:00Z,1e15\n9999-12-31T23:59:59Z,999999999999999\n"
      "253402300799,0.5\n2024-02-29T23:59:59Z,007\n");
  REQUIRE(parsed.has_value());
  CHECK(parsed->points ==
        std::vector<Point>{P("1970-01-01T00:00:00Z", 1e6), P("1970-01-01T00:00:00Z", 1e15),
                           P("9999-12-31T23:59:59Z", 999999999999999.0),
                           P("9999-12-31T23:59:59Z", 0.5), P("2024-02-29T23:59:59Z", 7)});
}

TEST_CASE("minus zero is read as zero") {
  const Result<ParsedPoints> parsed =
      ParsePointsCsv("ts,value\n2026-11-01T00:00:00Z,-0\n2026-11-01T00:01:00Z,-0.0e5\n");
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->points.size() == 2);
  for (const Point& point : parsed->points) {
    CHECK(point.value == 0);
    CHECK_FALSE(std::signbit(point.value));
  }
}

TEST_CASE("a header with no rows gives no points") {
  CHECK(ParsePointsCsv("ts,value").value().points.empty());
  CHECK(ParsePointsCsv("ts,value\n").value().points.empty());
  CHECK(ParsePointsCsv("ts,value\r\n").value().points.empty());
}

TEST_CASE("an empty body is refused") {
  for (const char* body : {"", "\xEF\xBB\xBF"}) {
    const Result<ParsedPoints> parsed = ParsePointsCsv(body);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
    CHECK(parsed.error().message == "empty body");
  }
}

TEST_CASE("a wrong header is refused naming line 1") {
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {"time,count\n2026-11-01T00:00:00Z,1\n",
       "line 1: the header must be 'ts,value', not 'time,count'"},
      {"ts\n2026-11-01T00:00:00Z\n", "line 1: the header lacks the column 'value'"},
      {"value\n1\n", "line 1: the header lacks the column 'ts'"},
      {"ts,count\n", "line 1: the header lacks the column 'value'"},
      {"ts,ts\n", "line 1: the header lacks the column 'value'"},
      {"ts,value,region\n", "line 1: the header has 3 columns; expected exactly ts and value"},
      {"ts,value,\n", "line 1: the header has 3 columns; expected exactly ts and value"},
      {"TS,Value\n", "line 1: the header must be 'ts,value', not 'TS,Value'"},
      {"ts, value\n", "line 1: the header lacks the column 'value'"},
      {"\"ts\",\"value\"\n", "line 1: the header must be 'ts,value', not '\"ts\",\"value\"'"},
      {"\n2026-11-01T00:00:00Z,1\n", "line 1: the header must be 'ts,value', not ''"},
      {"2026-11-01T00:00:00Z,1\n",
       "line 1: the header must be 'ts,value', not '2026-11-01T00:00:00Z,1'"},
      {std::string(100, 'x'),
       std::string("line 1: the header must be 'ts,value', not '") + std::string(64, 'x') + "...'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    const Result<ParsedPoints> parsed = ParsePointsCsv(c.body);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
    CHECK(parsed.error().message == c.message);
  }
}

TEST_CASE("a bad timestamp is refused naming the row, the line and the reason") {
  struct Case {
    std::string row;
    std::string detail;
  };
  const Case cases[] = {
      {"2026-02-30T00:00:00Z,1",
       "row 1 (line 2): timestamp '2026-02-30T00:00:00Z' is not a valid date"},
      {"2025-02-29T00:00:00Z,1",
       "row 1 (line 2): timestamp '2025-02-29T00:00:00Z' is not a valid date"},
      {"2026-13-01T00:00:00Z,1",
       "row 1 (line 2): timestamp '2026-13-01T00:00:00Z' is not a valid date"},
      {"2026-11-00T00:00:00Z,1",
       "row 1 (line 2): timestamp '2026-11-00T00:00:00Z' is not a valid date"},
      {"2026-11-01T24:00:00Z,1",
       "row 1 (line 2): timestamp '2026-11-01T24:00:00Z' is not a valid time of day"},
      {"2026-11-01T00:60:00Z,1",
       "row 1 (line 2): timestamp '2026-11-01T00:60:00Z' is not a valid time of day"},
      {"2016-12-31T23:59:60Z,1",
       "row 1 (line 2): timestamp '2016-12-31T23:59:60Z': leap seconds are not supported"},
      {"2026-11-01T00:00:00.5Z,1",
       "row 1 (line 2): timestamp '2026-11-01T00:00:00.5Z': sub-second timestamps are not "
       "supported"},
      {"2026-11-01T00:00:00.Z,1",
       "row 1 (line 2): timestamp '2026-11-01T00:00:00.Z' is neither an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z nor integer Unix seconds"},
      {"2026-11-01T00:00:00+24:00,1",
       "row 1 (line 2): timestamp '2026-11-01T00:00:00+24:00' has an invalid UTC offset"},
      {"2026-11-01T00:00:00+01:60,1",
       "row 1 (line 2): timestamp '2026-11-01T00:00:00+01:60' has an invalid UTC offset"},
      {"1969-12-31T23:59:59Z,1",
       "row 1 (line 2): timestamp '1969-12-31T23:59:59Z' is before 1970-01-01T00:00:00Z"},
      {"1970-01-01T00:30:00+01:00,1",
       "row 1 (line 2): timestamp '1970-01-01T00:30:00+01:00' is before 1970-01-01T00:00:00Z"},
      {"0000-01-01T00:00:00Z,1",
       "row 1 (line 2): timestamp '0000-01-01T00:00:00Z' is before 1970-01-01T00:00:00Z"},
      {"-1,1", "row 1 (line 2): timestamp '-1' is before 1970-01-01T00:00:00Z"},
      {"-99999999999999999999,1",
       "row 1 (line 2): timestamp '-99999999999999999999' is before 1970-01-01T00:00:00Z"},
      {"253402300800,1", "row 1 (line 2): timestamp '253402300800' is after 9999-12-31T23:59:59Z"},
      {"9223372036854775808,1",
       "row 1 (line 2): timestamp '9223372036854775808' is after 9999-12-31T23:59:59Z"},
      {"10000-01-01T00:00:00Z,1",
       "row 1 (line 2): timestamp '10000-01-01T00:00:00Z' is after 9999-12-31T23:59:59Z"},
      {"9999-12-31T23:00:00-01:00,1",
       "row 1 (line 2): timestamp '9999-12-31T23:00:00-01:00' is after 9999-12-31T23:59:59Z"},
      {"1.5,1",
       "row 1 (line 2): timestamp '1.5' is neither an RFC 3339 date-time like 2026-11-01T00:00:00Z "
       "nor integer Unix seconds"},
      {"+1793491200,1",
       "row 1 (line 2): timestamp '+1793491200' is neither an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z nor integer Unix seconds"},
      {"2026-11-01 00:00:00Z,1",
       "row 1 (line 2): timestamp '2026-11-01 00:00:00Z' is neither an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z nor integer Unix seconds"},
      {"2026-11-01T00:00:00,1",
       "row 1 (line 2): timestamp '2026-11-01T00:00:00' is neither an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z nor integer Unix seconds"},
      {"2026-11-01T00:00Z,1",
       "row 1 (line 2): timestamp '2026-11-01T00:00Z' is neither an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z nor integer Unix seconds"},
      {"2026-11-01T00:00:00+0100,1",
       "row 1 (line 2): timestamp '2026-11-01T00:00:00+0100' is neither an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z nor integer Unix seconds"},
      {" 2026-11-01T00:00:00Z,1",
       "row 1 (line 2): timestamp ' 2026-11-01T00:00:00Z' is neither an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z nor integer Unix seconds"},
      {"\"2026-11-01T00:00:00Z\",1",
       "row 1 (line 2): timestamp '\"2026-11-01T00:00:00Z\"' is neither an RFC 3339 date-time like "
       "2026-11-01T00:00:00Z nor integer Unix seconds"},
      {",1",
       "row 1 (line 2): timestamp '' is neither an RFC 3339 date-time like 2026-11-01T00:00:00Z "
       "nor integer Unix seconds"},
      {"-,1",
       "row 1 (line 2): timestamp '-' is neither an RFC 3339 date-time like 2026-11-01T00:00:00Z "
       "nor integer Unix seconds"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.row);
    CHECK(OnlyDetail(c.row) == c.detail);
  }
}

TEST_CASE("a bad value is refused naming the row, the line and the reason") {
  struct Case {
    std::string value;
    std::string detail;
  };
  const Case cases[] = {
      {"-3", "row 1 (line 2): value -3 is negative"},
      {"-0.5", "row 1 (line 2): value -0.5 is negative"},
      {"nan", "row 1 (line 2): value nan is not a finite number"},
      {"NaN", "row 1 (line 2): value NaN is not a finite number"},
      {"inf", "row 1 (line 2): value inf is not a finite number"},
      {"-Infinity", "row 1 (line 2): value -Infinity is not a finite number"},
      {"1e999", "row 1 (line 2): value 1e999 is not a finite number"},
      {"-1e999", "row 1 (line 2): value -1e999 is not a finite number"},
      {std::string("1") + std::string(400, '0'),
       std::string("row 1 (line 2): value 1") + std::string(63, '0') + " is not a finite number"},
      {"1e-999", "row 1 (line 2): value 1e-999 is too close to 0 to be represented"},
      {std::string("0.") + std::string(400, '0') + "1", std::string("row 1 (line 2): value 0.") +
                                                            std::string(62, '0') +
                                                            " is too close to 0 to be represented"},
      {"1000000000000001", "row 1 (line 2): value 1000000000000001 is over the limit of 1e+15"},
      {"1e16", "row 1 (line 2): value 1e16 is over the limit of 1e+15"},
      {"1.00e16", "row 1 (line 2): value 1.00e16 is over the limit of 1e+15"},
      {"9223372036854775808",
       "row 1 (line 2): value 9223372036854775808 is over the limit of 1e+15"},
      {"abc", "row 1 (line 2): value 'abc' is not a number"},
      {"+5", "row 1 (line 2): value '+5' is not a number"},
      {" 5", "row 1 (line 2): value ' 5' is not a number"},
      {"5 ", "row 1 (line 2): value '5 ' is not a number"},
      {"0x10", "row 1 (line 2): value '0x10' is not a number"},
      {"\"5\"", "row 1 (line 2): value '\"5\"' is not a number"},
      {"1e", "row 1 (line 2): value '1e' is not a number"},
      {"", "row 1 (line 2): value is empty"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value);
    CHECK(OnlyDetail("2026-11-01T00:00:00Z," + c.value) == c.detail);
  }
}

TEST_CASE("a row with the wrong number of columns is refused") {
  CHECK(OnlyDetail("2026-11-01T00:00:00Z") ==
        "row 1 (line 2): has 1 column; expected 2 (ts,value)");
  CHECK(OnlyDetail("2026-11-01T00:00:00Z,1,2") ==
        "row 1 (line 2): has 3 columns; expected 2 (ts,value)");
  CHECK(OnlyDetail("2026-11-01T00:00:00Z,1,") ==
        "row 1 (line 2): has 3 columns; expected 2 (ts,value)");
}

TEST_CASE("a 10,000-column line is refused by counting, not by splitting") {
  std::string row = "2026-11-01T00:00:00Z";
  for (int i = 1; i < 10000; ++i) row += ",1";
  CHECK(OnlyDetail(row) == "row 1 (line 2): has 10000 columns; expected 2 (ts,value)");
}

TEST_CASE("a blank line inside the body is refused") {
  const Result<ParsedPoints> parsed =
      ParsePointsCsv("ts,value\n2026-11-01T00:00:00Z,1\n\n2026-11-01T00:02:00Z,1\n\n");
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().message == "2 rows are invalid; the first are listed in details");
  CHECK(parsed.error().details ==
        std::vector<std::string>{"row 2 (line 3): empty line", "row 4 (line 5): empty line"});
  CHECK(OnlyDetail("\r") == "row 1 (line 2): empty line");
}

TEST_CASE("rows are numbered from the first data row, lines from the header") {
  std::string body = "ts,value\n";
  const auto start = Ts("2026-11-01T00:00:00Z");
  for (int i = 0; i < 30; ++i) {
    body += calendars::FormatUtcDateTime(start + std::chrono::minutes{i});
    body += i == 16 ? ",-3\n" : ",1\n";
  }
  const Result<ParsedPoints> parsed = ParsePointsCsv(body);
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().details ==
        std::vector<std::string>{"row 17 (line 18): value -3 is negative"});
}

TEST_CASE("one bad row refuses the whole body; 20 are listed, all are counted") {
  std::string body = "ts,value\n";
  for (int i = 0; i < 25; ++i) body += "2026-11-01T00:00:00Z,-" + std::to_string(i + 1) + "\n";
  body += "2026-11-01T00:30:00Z,1\n";
  const Result<ParsedPoints> parsed = ParsePointsCsv(body);
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
  CHECK(parsed.error().message == "25 rows are invalid; the first are listed in details");
  REQUIRE(parsed.error().details.size() == 20);
  CHECK(parsed.error().details.front() == "row 1 (line 2): value -1 is negative");
  CHECK(parsed.error().details.back() == "row 20 (line 21): value -20 is negative");
}

TEST_CASE("a row's first problem is the one reported") {
  CHECK(OnlyDetail("2026-02-30T00:00:00Z,-1") ==
        "row 1 (line 2): timestamp '2026-02-30T00:00:00Z' is not a valid date");
  CHECK(OnlyDetail("1,-1") == "row 1 (line 2): value -1 is negative");
}

TEST_CASE("a long field is cut in the message") {
  const std::string long_ts(1000, '9');
  CHECK(OnlyDetail(long_ts + "x,1") == std::string("row 1 (line 2): timestamp '") +
                                           std::string(64, '9') +
                                           "...' is neither an RFC 3339 date-time like "
                                           "2026-11-01T00:00:00Z nor integer Unix seconds");
}

TEST_CASE("more rows than the limit is refused whole, before parsing, as too many points") {
  ParseLimits limits;
  limits.max_points = 3;
  const std::string three = "ts,value\n1,1\n2,1\n3,1\n";
  CHECK(ParsePointsCsv(three, limits).value().points.size() == 3);
  for (const std::string& body : {three + "4,1\n", three + "4,1", three + "bad row"}) {
    CAPTURE(body);
    const Result<ParsedPoints> parsed = ParsePointsCsv(body, limits);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
    CHECK(parsed.error().message == "more than 3 points in one request; split the upload");
    CHECK(IsTooManyPoints(parsed.error()));
  }
  CHECK(ParseLimits{}.max_points == 5'000'000);
  CHECK(TooManyPointsError(5'000'000).message ==
        "more than 5000000 points in one request; split the upload");
}

TEST_CASE("the value limit can be lowered") {
  ParseLimits limits;
  limits.max_value = 100;
  const Result<ParsedPoints> parsed = ParsePointsCsv("ts,value\n1,100\n2,101\n", limits);
  CHECK(parsed.error().details ==
        std::vector<std::string>{"row 2 (line 3): value 101 is over the limit of 100"});
}

TEST_CASE("parsed rows keep their names through grid and duplicate validation") {
  const Result<ParsedPoints> parsed = ParsePointsCsv(
      "ts,value\n2026-11-01T00:00:00Z,1\n2026-11-01T00:00:30Z,2\n2026-11-01T00:00:00Z,3\n");
  REQUIRE(parsed.has_value());
  std::vector<Point> points = parsed->points;
  forecasting::PointValidationOptions options;
  options.row_name = [&](std::size_t i) { return parsed->RowName(i); };
  const Status status = forecasting::ValidatePoints(points, std::chrono::seconds{60}, options);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kUnprocessable);
  CHECK(status.error().details ==
        std::vector<std::string>{
            "row 2 (line 3): timestamp 2026-11-01T00:00:30Z is not on the 60 s grid",
            "row 3 (line 4): timestamp 2026-11-01T00:00:00Z duplicates row 1 (line 2)"});
}

}  // namespace
}  // namespace patchcast::api
