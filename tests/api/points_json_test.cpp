#include "api/points_json.h"

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

// The error of `body`, which must be refused with kInvalidArgument.
Error Refused(const std::string& body, const ParseLimits& limits = {}) {
  const Result<ParsedPoints> parsed = ParsePointsJson(body, limits);
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
  return parsed.error();
}

// The one detail of `body`, which must be refused for exactly one row.
std::string OnlyDetail(const std::string& body) {
  const Error error = Refused(body);
  CHECK(error.message == "1 row is invalid; it is listed in details");
  REQUIRE(error.details.size() == 1);
  return error.details[0];
}

TEST_CASE("each of the three JSON shapes gives the points with exact values") {
  const std::vector<Point> expected = {P("2026-11-01T00:01:00Z", 1234),
                                       P("2026-11-01T00:00:00Z", 0),
                                       P("2026-11-01T00:02:00Z", 12.5)};
  struct Case {
    const char* name;
    std::string body;
    PointsLayout layout;
  };
  const Case cases[] = {
      {"arrays",
       R"({"points":[["2026-11-01T00:01:00Z",1234],["2026-11-01T00:00:00Z",0],)"
       R"(["2026-11-01T00:02:00Z",12.5]]})",
       PointsLayout::kJsonPoints},
      {"objects",
       R"({"points":[{"ts":"2026-11-01T00:01:00Z","value":1234},{"value":0,"ts":"2026-11-01T00:00:00Z"},)"
       R"({"ts":"2026-11-01T00:02:00Z","value":12.5}]})",
       PointsLayout::kJsonPoints},
      {"mixed elements",
       R"({"points":[["2026-11-01T00:01:00Z",1234],{"ts":"2026-11-01T00:00:00Z","value":0},)"
       R"([1793491320,1.25e1]]})",
       PointsLayout::kJsonPoints},
      {"columns",
       R"({"timestamps":["2026-11-01T00:01:00Z","2026-11-01T00:00:00Z",1793491320],)"
       R"("values":[1234,0,12.5]})",
       PointsLayout::kJsonColumns},
      {"columns, values first",
       R"({"values":[1234,0,12.5],)"
       R"("timestamps":["2026-11-01T01:01:00+01:00","2026-11-01T00:00:00Z","2026-11-01T00:02:00Z"]})",
       PointsLayout::kJsonColumns},
      {"whitespace and a byte order mark",
       "\xEF\xBB\xBF \n{ \"points\" : [ [ \"2026-11-01T00:01:00Z\" , 1234 ] ,\r\n"
       "[\"2026-11-01T00:00:00Z\",0.0],[\"2026-11-01T00:02:00Z\",125e-1]\t] }\n",
       PointsLayout::kJsonPoints},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Result<ParsedPoints> parsed = ParsePointsJson(c.body);
    REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
    CHECK(parsed->layout == c.layout);
    CHECK(parsed->points == expected);
  }
}

TEST_CASE("empty arrays give no points") {
  CHECK(ParsePointsJson(R"({"points":[]})").value().points.empty());
  CHECK(ParsePointsJson(R"({"timestamps":[],"values":[]})").value().points.empty());
}

TEST_CASE("round numbers and the limits of the accepted ranges parse exactly") {
  const Result<ParsedPoints> parsed = ParsePointsJson(
      R"({"points":[[0,1000000],[253402300799,1e15],["9999-12-31T23:59:59Z",999999999999999],)"
      R"([1793491200,1000000000000000]]})");
  REQUIRE(parsed.has_value());
  CHECK(parsed->points == std::vector<Point>{P("1970-01-01T00:00:00Z", 1e6),
                                             P("9999-12-31T23:59:59Z", 1e15),
                                             P("9999-12-31T23:59:59Z", 999999999999999.0),
                                             P("2026-11-01T00:00:00Z", 1e15)});
}

TEST_CASE("minus zero is read as zero") {
  const Result<ParsedPoints> parsed =
      ParsePointsJson(R"({"points":[[0,-0],[60,-0.0],[120,-0e3]]})");
  REQUIRE(parsed.has_value());
  REQUIRE(parsed->points.size() == 3);
  for (const Point& point : parsed->points) {
    CHECK(point.value == 0);
    CHECK_FALSE(std::signbit(point.value));
  }
}

TEST_CASE("an empty body and malformed JSON are refused with the byte offset") {
  CHECK(Refused("").message == "empty body");
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {"{", "request body is not valid JSON: syntax error at byte 2"},
      {"   ", "request body is not valid JSON: syntax error at byte 4"},
      {R"({"points":[[0,NaN]]})", "request body is not valid JSON: syntax error at byte 15"},
      {R"({"points":[[0,Infinity]]})", "request body is not valid JSON: syntax error at byte 15"},
      {R"({"points":[[0,1]]} x)", "request body is not valid JSON: syntax error at byte 20"},
      {R"({"points":[[0,1],]})", "request body is not valid JSON: syntax error at byte 18"},
      {R"({"points":[[0,01]]})", "request body is not valid JSON: syntax error at byte 16"},
      {R"({'points':[]})", "request body is not valid JSON: syntax error at byte 2"},
      {"{\"points\":[[\"\xFF\",1]]}", "request body is not valid JSON: syntax error at byte 14"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    CHECK(Refused(c.body).message == c.message);
  }
}

TEST_CASE("a body of the wrong shape is refused naming the field") {
  const std::string shape =
      "request body must be a JSON object with 'points', or 'timestamps' and 'values'";
  struct Case {
    std::string body;
    std::string message;
  };
  const Case cases[] = {
      {"[]", shape},
      {R"([["2026-11-01T00:00:00Z",1]])", shape},
      {"\"points\"", shape},
      {"42", shape},
      {"null", shape},
      {"{}", shape},
      {R"({"point":[]})",
       "unknown field 'point' in the request body; expected 'points', or 'timestamps' and "
       "'values'"},
      {R"({"points":[],"series":"x"})",
       "unknown field 'series' in the request body; expected 'points', or 'timestamps' and "
       "'values'"},
      {R"({"points":{}})", "field 'points' must be an array, not object"},
      {R"({"points":"[]"})", "field 'points' must be an array, not string"},
      {R"({"points":null})", "field 'points' must be an array, not null"},
      {R"({"values":5,"timestamps":[]})", "field 'values' must be an array, not number"},
      {R"({"points":[],"points":[]})", "field 'points' appears twice"},
      {R"({"points":[],"values":[]})", "'points' cannot be combined with 'timestamps' or 'values'"},
      {R"({"timestamps":[],"points":[]})",
       "'points' cannot be combined with 'timestamps' or 'values'"},
      {R"({"timestamps":[0]})", "'timestamps' is given without 'values'"},
      {R"({"values":[1]})", "'values' is given without 'timestamps'"},
      {R"({"timestamps":[0,60,120],"values":[1,2]})",
       "'timestamps' has 3 elements but 'values' has 2"},
      {R"({"values":[1,2],"timestamps":[0]})", "'timestamps' has 1 elements but 'values' has 2"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    CHECK(Refused(c.body).message == c.message);
  }
}

TEST_CASE("a bad timestamp is refused naming the element and the reason") {
  struct Case {
    std::string ts;
    std::string detail;
  };
  const Case cases[] = {
      {R"("2026-02-30T00:00:00Z")",
       "points[0]: timestamp '2026-02-30T00:00:00Z' is not a valid date"},
      {R"("2016-12-31T23:59:60Z")",
       "points[0]: timestamp '2016-12-31T23:59:60Z': leap seconds are not supported"},
      {R"("2026-11-01T00:00:00.25Z")",
       "points[0]: timestamp '2026-11-01T00:00:00.25Z': sub-second timestamps are not supported"},
      {R"("1969-12-31T23:59:59Z")",
       "points[0]: timestamp '1969-12-31T23:59:59Z' is before 1970-01-01T00:00:00Z"},
      {R"("10000-01-01T00:00:00Z")",
       "points[0]: timestamp '10000-01-01T00:00:00Z' is after 9999-12-31T23:59:59Z"},
      {R"("2026-11-01T00:00:00+25:00")",
       "points[0]: timestamp '2026-11-01T00:00:00+25:00' has an invalid UTC offset"},
      {R"("1793491200")",
       "points[0]: timestamp '1793491200' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"},
      {R"("")", "points[0]: timestamp '' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"},
      {"1.5",
       "points[0]: timestamp 1.5 is not whole Unix seconds; give an integer or an RFC 3339 string"},
      {"1793491200.0",
       "points[0]: timestamp 1793491200.0 is not whole Unix seconds; give an integer or an RFC "
       "3339 string"},
      {"1e9",
       "points[0]: timestamp 1e9 is not whole Unix seconds; give an integer or an RFC 3339 string"},
      {"-1", "points[0]: timestamp -1 is before 1970-01-01T00:00:00Z"},
      {"-9223372036854775808",
       "points[0]: timestamp -9223372036854775808 is before 1970-01-01T00:00:00Z"},
      {"-9223372036854775809",
       "points[0]: timestamp -9223372036854775809 is before 1970-01-01T00:00:00Z"},
      {"253402300800", "points[0]: timestamp 253402300800 is after 9999-12-31T23:59:59Z"},
      {"9223372036854775807",
       "points[0]: timestamp 9223372036854775807 is after 9999-12-31T23:59:59Z"},
      {"9223372036854775808",
       "points[0]: timestamp 9223372036854775808 is after 9999-12-31T23:59:59Z"},
      {"18446744073709551616",
       "points[0]: timestamp 18446744073709551616 is after 9999-12-31T23:59:59Z"},
      {"true",
       "points[0]: timestamp must be an RFC 3339 string or integer Unix seconds, not boolean"},
      {"null", "points[0]: timestamp must be an RFC 3339 string or integer Unix seconds, not null"},
      {"[0]", "points[0]: timestamp must be an RFC 3339 string or integer Unix seconds, not array"},
      {"{}", "points[0]: timestamp must be an RFC 3339 string or integer Unix seconds, not object"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.ts);
    CHECK(OnlyDetail(R"({"points":[[)" + c.ts + ",1]]}") == c.detail);
    // The same reason in the object form.
    CHECK(OnlyDetail(R"({"points":[{"ts":)" + c.ts + R"(,"value":1}]})") == c.detail);
  }
}

TEST_CASE("a bad value is refused naming the element and the reason") {
  struct Case {
    std::string value;
    std::string detail;
  };
  const Case cases[] = {
      {"-3", "points[0]: value -3 is negative"},
      {"-0.5", "points[0]: value -0.5 is negative"},
      {"1e999", "points[0]: value 1e999 is not a finite number"},
      {"-1e999", "points[0]: value -1e999 is not a finite number"},
      {"1e-999", "points[0]: value 1e-999 is too close to 0 to be represented"},
      {"1000000000000001", "points[0]: value 1000000000000001 is over the limit of 1e+15"},
      {"1.5e15", "points[0]: value 1.5e15 is over the limit of 1e+15"},
      {"9223372036854775807", "points[0]: value 9223372036854775807 is over the limit of 1e+15"},
      {"9223372036854775808", "points[0]: value 9223372036854775808 is over the limit of 1e+15"},
      {"18446744073709551616", "points[0]: value 18446744073709551616 is over the limit of 1e+15"},
      {"-9223372036854775809", "points[0]: value -9223372036854775809 is negative"},
      {R"("5")", "points[0]: value must be a number, not string"},
      {R"("NaN")", "points[0]: value must be a number, not string"},
      {"true", "points[0]: value must be a number, not boolean"},
      {"null", "points[0]: value must be a number, not null"},
      {"[1]", "points[0]: value must be a number, not array"},
      {R"({"n":1})", "points[0]: value must be a number, not object"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.value);
    CHECK(OnlyDetail(R"({"points":[["2026-11-01T00:00:00Z",)" + c.value + "]]}") == c.detail);
    CHECK(OnlyDetail(R"({"points":[{"ts":0,"value":)" + c.value + "}]}") == c.detail);
  }
}

TEST_CASE("a number beyond a double stops the parse but is still reported as its row") {
  // nlohmann refuses to go on after 1e999; the rows before it are reported, those after are not.
  const Error error = Refused(R"({"points":[[0,-1],[60,1e999],[120,-3]]})");
  CHECK(error.message == "2 rows are invalid; the first are listed in details");
  CHECK(error.details == std::vector<std::string>{"points[0]: value -1 is negative",
                                                  "points[1]: value 1e999 is not a finite number"});
  CHECK(Refused(R"({"timestamps":[1e999],"values":[1]})").details ==
        std::vector<std::string>{"timestamps[0]: timestamp 1e999 is not whole Unix seconds; give "
                                 "an integer or an RFC 3339 string"});
  CHECK(Refused(R"({"points":1e999})").message == "field 'points' must be an array, not number");
  CHECK(Refused(R"({"points":[[0,1,[1e999]]]})").message ==
        "request body has a number beyond the range of a double at byte 22");
}

TEST_CASE("a malformed element is refused naming it") {
  struct Case {
    std::string element;
    std::string detail;
  };
  const Case cases[] = {
      {"5", R"(points[0]: expected [ts, value] or {"ts": ..., "value": ...}, not number)"},
      {R"("2026-11-01T00:00:00Z")",
       R"(points[0]: expected [ts, value] or {"ts": ..., "value": ...}, not string)"},
      {"null", R"(points[0]: expected [ts, value] or {"ts": ..., "value": ...}, not null)"},
      {"[]", "points[0]: has 0 elements; expected [ts, value]"},
      {"[0]", "points[0]: has 1 element; expected [ts, value]"},
      {"[0,1,2]", "points[0]: has 3 elements; expected [ts, value]"},
      {"[0,1,[2,[3]]]", "points[0]: has 3 elements; expected [ts, value]"},
      {"{}", "points[0]: lacks 'ts'"},
      {R"({"ts":0})", "points[0]: lacks 'value'"},
      {R"({"value":1})", "points[0]: lacks 'ts'"},
      {R"({"ts":0,"value":1,"unit":"logins"})",
       "points[0]: unknown member 'unit'; expected 'ts' and 'value'"},
      {R"({"ts":0,"ts":60,"value":1})", "points[0]: has 'ts' twice"},
      {R"({"ts":0,"value":{"deep":[[[[1]]]]}})", "points[0]: value must be a number, not object"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.element);
    CHECK(OnlyDetail(R"({"points":[)" + c.element + "]}") == c.detail);
  }
}

TEST_CASE("columnar errors name the column and index, and count a row once") {
  const Error error = Refused(R"({"timestamps":[0,60,1.5,180,"x"],"values":[1,-2,3,true,-5]})");
  CHECK(error.message == "4 rows are invalid; the first are listed in details");
  CHECK(error.details ==
        std::vector<std::string>{
            "timestamps[2]: timestamp 1.5 is not whole Unix seconds; give an integer or an RFC "
            "3339 string",
            "timestamps[4]: timestamp 'x' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z",
            "values[1]: value -2 is negative", "values[3]: value must be a number, not boolean"});
  CHECK(Refused(R"({"timestamps":[[0]],"values":[{}]})").details ==
        std::vector<std::string>{
            "timestamps[0]: timestamp must be an RFC 3339 string or integer Unix seconds, not "
            "array"});
}

TEST_CASE("elements are numbered from 0 and one bad row refuses the whole body") {
  std::string body = R"({"points":[)";
  for (int i = 0; i < 30; ++i) {
    if (i > 0) body += ',';
    body.append("[").append(std::to_string(1793491200 + 60 * i)).append(i == 17 ? ",-3]" : ",1]");
  }
  body += "]}";
  CHECK(OnlyDetail(body) == "points[17]: value -3 is negative");
}

TEST_CASE("20 bad rows are listed and all are counted") {
  std::string body = R"({"points":[)";
  for (int i = 0; i < 25; ++i) body.append("[0,-").append(std::to_string(i + 1)).append("],");
  body += "[0,1]]}";
  const Error error = Refused(body);
  CHECK(error.message == "25 rows are invalid; the first are listed in details");
  REQUIRE(error.details.size() == 20);
  CHECK(error.details.front() == "points[0]: value -1 is negative");
  CHECK(error.details.back() == "points[19]: value -20 is negative");
}

TEST_CASE("more points than the limit is refused as too many points") {
  ParseLimits limits;
  limits.max_points = 2;
  CHECK(ParsePointsJson(R"({"points":[[0,1],[60,1]]})", limits).value().points.size() == 2);
  for (const std::string& body :
       {std::string(R"({"points":[[0,1],[60,1],[120,1]]})"),
        std::string(R"({"points":[[0,1],[60,1],"junk"]})"),
        std::string(R"({"timestamps":[0,60,120],"values":[1,1,1]})"),
        std::string(R"({"values":[1,1,1],"timestamps":[0]})"),
        std::string(R"({"points":[[0,1],[60,1],[120,1]]} trailing junk)")}) {
    CAPTURE(body);
    const Error error = Refused(body, limits);
    CHECK(error.message == "more than 2 points in one request; split the upload");
    CHECK(IsTooManyPoints(error));
  }
}

TEST_CASE("the value limit can be lowered") {
  ParseLimits limits;
  limits.max_value = 100;
  CHECK(Refused(R"({"points":[[0,100],[60,101],[120,100.5]]})", limits).details ==
        std::vector<std::string>{"points[1]: value 101 is over the limit of 100",
                                 "points[2]: value 100.5 is over the limit of 100"});
}

TEST_CASE("parsed elements keep their names through grid and duplicate validation") {
  const Result<ParsedPoints> parsed = ParsePointsJson(R"({"points":[[0,1],[30,1],[0,1]]})");
  REQUIRE(parsed.has_value());
  std::vector<Point> points = parsed->points;
  forecasting::PointValidationOptions options;
  options.row_name = [&](std::size_t i) { return parsed->RowName(i); };
  const Status status = forecasting::ValidatePoints(points, std::chrono::seconds{60}, options);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kUnprocessable);
  CHECK(
      status.error().details ==
      std::vector<std::string>{"points[1]: timestamp 1970-01-01T00:00:30Z is not on the 60 s grid",
                               "points[2]: timestamp 1970-01-01T00:00:00Z duplicates points[0]"});
  CHECK(RowName(PointsLayout::kJsonColumns, 4) == "timestamps[4]");
}

}  // namespace
}  // namespace patchcast::api
