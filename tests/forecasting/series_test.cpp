#include "forecasting/series.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "calendars/time_text.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;

std::chrono::sys_seconds Ts(const char* text) { return calendars::ParseUtcDateTime(text).value(); }

Point P(const char* ts, double value) { return {Ts(ts), value}; }

TEST_CASE("a series id is 1 to 128 path-safe characters") {
  CHECK(ValidateSeriesId("skype-login.eu-west").has_value());
  CHECK(ValidateSeriesId("a").has_value());
  CHECK(ValidateSeriesId("A_z-0.9").has_value());
  CHECK(ValidateSeriesId("...x").has_value());
  CHECK(ValidateSeriesId(std::string(128, 'x')).has_value());
}

TEST_CASE("a bad series id is refused with the reason") {
  struct Case {
    std::string id;
    std::string message;
  };
  const Case cases[] = {
      {"", "series id must not be empty"},
      {std::string(129, 'x'), "series id is 129 characters long; at most 128 are allowed"},
      {"a/b", "series id 'a/b' has '/' at position 1; only A-Z a-z 0-9 . _ - are allowed"},
      {"a b", "series id 'a b' has ' ' at position 1; only A-Z a-z 0-9 . _ - are allowed"},
      {"..%2f", "series id '..%2f' has '%' at position 2; only A-Z a-z 0-9 . _ - are allowed"},
      {"\xC3\xA9",
       "series id '\xC3\xA9' has '\xC3' at position 0; only A-Z a-z 0-9 . _ - are "
       "allowed"},
      {".", "series id '.' is reserved"},
      {"..", "series id '..' is reserved"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.id);
    const Status status = ValidateSeriesId(c.id);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == ErrorCode::kInvalidArgument);
    CHECK(status.error().message == c.message);
  }
}

TEST_CASE("a step is whole seconds that divide a day") {
  for (const long step : {1L, 60L, 300L, 900L, 3600L, 7200L, 86400L}) {
    CAPTURE(step);
    CHECK(ValidateStep(seconds{step}).has_value());
  }
  CHECK(ValidateStep(seconds{0}).error().message ==
        "step_seconds must be between 1 and 86400, not 0");
  CHECK(ValidateStep(seconds{-60}).error().message ==
        "step_seconds must be between 1 and 86400, not -60");
  CHECK(ValidateStep(seconds{172800}).error().message ==
        "step_seconds must be between 1 and 86400, not 172800");
  const Status seven = ValidateStep(seconds{7});
  CHECK(seven.error().code == ErrorCode::kInvalidArgument);
  CHECK(seven.error().message ==
        "step_seconds must divide a day (86400 s) evenly, e.g. 60, 300, 900, 3600; 7 does not");
}

TEST_CASE("a zone mix names real zones once each with shares summing to 1") {
  const std::vector<ZoneShare> mix = {{"Europe/Berlin", 0.3}, {"America/New_York", 0.7}};
  CHECK(ValidateZoneMix(mix).has_value());
  CHECK(ValidateZoneMix({}).has_value());
  CHECK(ValidateZoneMix(std::vector<ZoneShare>{{"UTC", 1}}).has_value());
  // Ten shares of 0.1 do not sum to exactly 1 in binary; within 1e-6 is enough.
  std::vector<ZoneShare> tenths;
  const char* zones[] = {"Europe/Berlin",    "Europe/Paris",       "Europe/London",   "Asia/Tokyo",
                         "Asia/Kolkata",     "America/Denver",     "America/Chicago", "UTC",
                         "Australia/Sydney", "America/Los_Angeles"};
  for (const char* zone : zones) tenths.push_back({zone, 0.1});
  CHECK(ValidateZoneMix(tenths).has_value());
}

TEST_CASE("a bad zone mix is refused naming the entry") {
  struct Case {
    const char* name;
    std::vector<ZoneShare> mix;
    std::string message;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Case cases[] = {
      {"unknown zone",
       {{"Europe/Berlin", 0.5}, {"Mars/Olympus", 0.5}},
       "zone_mix[1]: time zone 'Mars/Olympus' is not in the tz database"},
      {"empty zone", {{"", 1}}, "zone_mix[0]: time zone must not be empty"},
      {"duplicate",
       {{"Europe/Berlin", 0.5}, {"UTC", 0.25}, {"Europe/Berlin", 0.25}},
       "zone_mix[2]: time zone 'Europe/Berlin' appears twice (also zone_mix[0])"},
      {"share above 1",
       {{"UTC", 1.5}},
       "zone_mix[0]: share must be greater than 0 and at most 1, not 1.5"},
      {"zero share",
       {{"UTC", 1}, {"Europe/Berlin", 0}},
       "zone_mix[1]: share must be greater than 0 and at most 1, not 0"},
      {"negative share",
       {{"UTC", -0.5}},
       "zone_mix[0]: share must be greater than 0 and at most 1, not -0.5"},
      {"NaN share",
       {{"UTC", nan}},
       "zone_mix[0]: share must be greater than 0 and at most 1, not nan"},
      {"sum below 1", {{"UTC", 0.4}, {"Europe/Berlin", 0.5}}, "zone_mix shares sum to 0.9, not 1"},
      {"sum just outside the tolerance",
       {{"UTC", 0.5}, {"Europe/Berlin", 0.500002}},
       "zone_mix shares sum to 1.000002, not 1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Status status = ValidateZoneMix(c.mix);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == ErrorCode::kInvalidArgument);
    CHECK(status.error().message == c.message);
  }
  const std::vector<ZoneShare> too_many(101, ZoneShare{"UTC", 0.01});
  CHECK(ValidateZoneMix(too_many).error().message ==
        "zone_mix has 101 entries; at most 100 are allowed");
}

TEST_CASE("series metadata is checked field by field") {
  SeriesMetadata metadata{"skype-login.eu-west",
                          seconds{60},
                          "logins",
                          "EU West sign-ins",
                          {{"Europe/Berlin", 0.3}, {"Europe/London", 0.7}}};
  CHECK(ValidateSeriesMetadata(metadata).has_value());
  SUBCASE("step 0 means not known yet") {
    metadata.step_seconds = seconds{0};
    CHECK(ValidateSeriesMetadata(metadata).has_value());
  }
  SUBCASE("a bad step") {
    metadata.step_seconds = seconds{7};
    CHECK(ValidateSeriesMetadata(metadata).error().message.starts_with("step_seconds must divide"));
  }
  SUBCASE("a bad id") {
    metadata.id = "a/b";
    CHECK(ValidateSeriesMetadata(metadata).error().message.starts_with("series id 'a/b'"));
  }
  SUBCASE("a long unit") {
    metadata.unit = std::string(65, 'u');
    CHECK(ValidateSeriesMetadata(metadata).error().message ==
          "unit is 65 bytes long; at most 64 are allowed");
  }
  SUBCASE("a long description") {
    metadata.description = std::string(4097, 'd');
    CHECK(ValidateSeriesMetadata(metadata).error().message ==
          "description is 4097 bytes long; at most 4096 are allowed");
  }
  SUBCASE("a bad zone mix") {
    metadata.zone_mix[1].share = 0.6;
    CHECK(ValidateSeriesMetadata(metadata).error().message == "zone_mix shares sum to 0.9, not 1");
  }
}

TEST_CASE("a point value is finite, not negative and at most 1e15") {
  static_assert(IsValidPointValue(0) && IsValidPointValue(1e15) && !IsValidPointValue(-1));
  CHECK(CheckPointValue(0).has_value());
  CHECK(CheckPointValue(-0.0).has_value());
  CHECK(CheckPointValue(1234.5).has_value());
  CHECK(CheckPointValue(1e15).has_value());
  CHECK(CheckPointValue(-3).error().message == "value -3 is negative");
  CHECK(CheckPointValue(std::nan("")).error().message == "value nan is not a finite number");
  CHECK(CheckPointValue(std::numeric_limits<double>::infinity()).error().message ==
        "value inf is not a finite number");
  CHECK(CheckPointValue(-std::numeric_limits<double>::infinity()).error().message ==
        "value -inf is not a finite number");
  CHECK(CheckPointValue(2e15).error().message == "value 2e+15 is over the limit of 1e+15");
  CHECK(CheckPointValue(11, 10).error().message == "value 11 is over the limit of 10");
  CHECK(CheckPointValue(-3).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("ValidatePoints accepts on-grid unique points and sorts them") {
  std::vector<Point> points = {P("2026-11-01T00:02:00Z", 3), P("2026-11-01T00:00:00Z", 1),
                               P("2026-11-01T00:01:00Z", 2)};
  REQUIRE(ValidatePoints(points, seconds{60}, {}).has_value());
  CHECK(points == std::vector<Point>{P("2026-11-01T00:00:00Z", 1), P("2026-11-01T00:01:00Z", 2),
                                     P("2026-11-01T00:02:00Z", 3)});
  std::vector<Point> none;
  CHECK(ValidatePoints(none, seconds{60}, {}).has_value());
  std::vector<Point> hourly = {P("2026-11-01T00:00:00Z", 1), P("2026-11-01T05:00:00Z", 2)};
  CHECK(ValidatePoints(hourly, seconds{3600}, {}).has_value());
}

TEST_CASE("ValidatePoints names the row of an off-grid timestamp") {
  std::vector<Point> points = {P("2026-11-01T00:00:00Z", 1), P("2026-11-01T00:00:30Z", 2)};
  PointValidationOptions options;
  SUBCASE("with the default row names") {
    const Status status = ValidatePoints(points, seconds{60}, options);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == ErrorCode::kUnprocessable);
    CHECK(status.error().message == "1 row is invalid; it is listed in details");
    CHECK(status.error().details ==
          std::vector<std::string>{
              "points[1]: timestamp 2026-11-01T00:00:30Z is not on the 60 s grid"});
  }
  SUBCASE("with the caller's row names") {
    options.row_name = [](std::size_t i) {
      return "row " + std::to_string(i + 1) + " (line " + std::to_string(i + 2) + ")";
    };
    const Status status = ValidatePoints(points, seconds{60}, options);
    CHECK(status.error().details ==
          std::vector<std::string>{
              "row 2 (line 3): timestamp 2026-11-01T00:00:30Z is not on the 60 s grid"});
  }
}

TEST_CASE("ValidatePoints refuses duplicates, naming the row each one repeats") {
  SUBCASE("sorted input") {
    std::vector<Point> points = {P("2026-11-01T00:00:00Z", 1), P("2026-11-01T00:01:00Z", 2),
                                 P("2026-11-01T00:01:00Z", 3)};
    const Status status = ValidatePoints(points, seconds{60}, {});
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == ErrorCode::kUnprocessable);
    CHECK(
        status.error().details ==
        std::vector<std::string>{"points[2]: timestamp 2026-11-01T00:01:00Z duplicates points[1]"});
  }
  SUBCASE("unsorted input, three of a kind") {
    std::vector<Point> points = {P("2026-11-01T00:05:00Z", 1), P("2026-11-01T00:01:00Z", 2),
                                 P("2026-11-01T00:05:00Z", 3), P("2026-11-01T00:00:00Z", 4),
                                 P("2026-11-01T00:05:00Z", 5)};
    const std::vector<Point> before = points;
    const Status status = ValidatePoints(points, seconds{60}, {});
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().message == "2 rows are invalid; the first are listed in details");
    CHECK(
        status.error().details ==
        std::vector<std::string>{"points[2]: timestamp 2026-11-01T00:05:00Z duplicates points[0]",
                                 "points[4]: timestamp 2026-11-01T00:05:00Z duplicates points[0]"});
    CHECK(points == before);  // not sorted on error
  }
}

TEST_CASE("with align_floor, timestamps are floored to the grid and then checked for duplicates") {
  PointValidationOptions options;
  options.align_floor = true;
  SUBCASE("off-grid timestamps are moved, not refused") {
    std::vector<Point> points = {P("2026-11-01T00:00:59Z", 1), P("2026-11-01T00:01:30Z", 2)};
    REQUIRE(ValidatePoints(points, seconds{60}, options).has_value());
    CHECK(points == std::vector<Point>{P("2026-11-01T00:00:00Z", 1), P("2026-11-01T00:01:00Z", 2)});
  }
  SUBCASE("two timestamps in one step collide") {
    std::vector<Point> points = {P("2026-11-01T00:00:10Z", 1), P("2026-11-01T00:00:50Z", 2)};
    const Status status = ValidatePoints(points, seconds{60}, options);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().details ==
          std::vector<std::string>{"points[1]: timestamp 2026-11-01T00:00:00Z (floored to the 60 "
                                   "s grid) duplicates points[0]"});
  }
}

TEST_CASE("ValidatePoints refuses timestamps outside the accepted window and bad values") {
  PointValidationOptions options;
  options.not_before = Ts("2020-01-01T00:00:00Z");
  options.not_after = Ts("2026-11-02T12:00:00Z");
  std::vector<Point> points = {
      P("2019-12-31T23:59:00Z", 1),
      P("2026-11-01T00:00:00Z", 1),
      P("2026-11-03T00:00:00Z", 1),
      P("2026-11-01T00:01:00Z", -3),
      P("2026-11-01T00:02:00Z", std::nan("")),
      P("2026-11-01T00:03:00Z", 2e15),
      P("2026-11-02T12:00:00Z", 1),  // exactly the latest accepted instant: fine
  };
  const Status status = ValidatePoints(points, seconds{60}, options);
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kUnprocessable);
  CHECK(status.error().message == "5 rows are invalid; the first are listed in details");
  CHECK(status.error().details ==
        std::vector<std::string>{
            "points[0]: timestamp 2019-12-31T23:59:00Z is before 2020-01-01T00:00:00Z",
            "points[2]: timestamp 2026-11-03T00:00:00Z is after 2026-11-02T12:00:00Z, the latest "
            "accepted",
            "points[3]: value -3 is negative",
            "points[4]: value nan is not a finite number",
            "points[5]: value 2e+15 is over the limit of 1e+15",
        });
}

TEST_CASE("ValidatePoints lists the first 20 offending rows in row order and counts them all") {
  std::vector<Point> points;
  const auto start = Ts("2026-11-01T00:00:00Z");
  for (int i = 0; i < 30; ++i) points.push_back({start + std::chrono::minutes{i}, 1});
  // Rows 25..29 repeat row 0..4 (duplicates listed by the sort), rows 5, 10, 15, ... are off grid.
  for (int i = 25; i < 30; ++i) points[i].ts = points[i - 25].ts;
  for (int i = 5; i < 25; i += 5) points[i].ts += seconds{1};
  for (int i = 1; i < 5; ++i) points[i].value = -1;    // rows 1..4: negative
  for (int i = 16; i < 25; ++i) points[i].value = -1;  // rows 16..24: negative
  const Status status = ValidatePoints(points, seconds{60}, {});
  REQUIRE_FALSE(status.has_value());
  // Invalid: 1..4, 5, 10, 15, 16..24 (20 counted once) and the duplicates 25..29 (26..29 repeat
  // rows 1..4, which are invalid themselves but hold those timestamps first): 16 + 5.
  CHECK(status.error().message == "21 rows are invalid; the first are listed in details");
  const std::vector<std::string>& details = status.error().details;
  REQUIRE(details.size() == 20);
  CHECK(details.front() == "points[1]: value -1 is negative");
  CHECK(details[4] == "points[5]: timestamp 2026-11-01T00:05:01Z is not on the 60 s grid");
  CHECK(details[15] == "points[24]: value -1 is negative");
  CHECK(details.back() == "points[28]: timestamp 2026-11-01T00:03:00Z duplicates points[3]");
}

TEST_CASE("ValidatePoints puts duplicates among other problems in row order") {
  std::vector<Point> points = {P("2026-11-01T00:01:00Z", 1), P("2026-11-01T00:00:00Z", 1),
                               P("2026-11-01T00:01:00Z", 1), P("2026-11-01T00:02:00Z", -1)};
  const Status status = ValidatePoints(points, seconds{60}, {});
  CHECK(status.error().details ==
        std::vector<std::string>{"points[2]: timestamp 2026-11-01T00:01:00Z duplicates points[0]",
                                 "points[3]: value -1 is negative"});
}

TEST_CASE("ValidatePoints refuses an invalid step instead of dividing by it") {
  std::vector<Point> points = {P("2026-11-01T00:00:00Z", 1)};
  const Status status = ValidatePoints(points, seconds{0}, {});
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("InferStep takes the greatest common divisor of the gaps") {
  const std::vector<Point> gappy = {P("2026-11-01T00:00:00Z", 1), P("2026-11-01T00:01:00Z", 1),
                                    P("2026-11-01T00:04:00Z", 1)};
  CHECK(InferStep(gappy).value() == seconds{60});
  const std::vector<Point> unsorted = {P("2026-11-01T03:00:00Z", 1), P("2026-11-01T00:00:00Z", 1),
                                       P("2026-11-01T01:00:00Z", 1), P("2026-11-01T03:00:00Z", 1)};
  CHECK(InferStep(unsorted).value() == seconds{3600});
  const std::vector<Point> quarter = {P("2026-11-01T00:15:00Z", 1), P("2026-11-01T01:00:00Z", 1),
                                      P("2026-11-01T01:30:00Z", 1)};
  CHECK(InferStep(quarter).value() == seconds{900});
}

TEST_CASE("InferStep needs two distinct timestamps and a step that divides a day") {
  const std::string single = "cannot infer step_seconds from a single timestamp; give step_seconds";
  CHECK(InferStep({}).error().message == single);
  const std::vector<Point> one = {P("2026-11-01T00:00:00Z", 1)};
  CHECK(InferStep(one).error().message == single);
  const std::vector<Point> same = {P("2026-11-01T00:00:00Z", 1), P("2026-11-01T00:00:00Z", 2)};
  CHECK(InferStep(same).error().message == single);
  const std::vector<Point> odd = {P("2026-11-01T00:00:00Z", 1), P("2026-11-01T00:00:07Z", 1)};
  const Result<seconds> step = InferStep(odd);
  REQUIRE_FALSE(step.has_value());
  CHECK(step.error().code == ErrorCode::kInvalidArgument);
  CHECK(step.error().message ==
        "the timestamps' spacing suggests a step of 7 s, which does not divide a day; give "
        "step_seconds");
}

TEST_CASE("RowErrors counts every row but keeps 20 details, built only when kept") {
  RowErrors errors;
  int built = 0;
  for (int i = 0; i < 25; ++i) {
    errors.Add([&] {
      ++built;
      return "row " + std::to_string(i);
    });
  }
  CHECK(built == 20);
  CHECK(errors.count() == 25);
  const Error error = std::move(errors).ToError(ErrorCode::kInvalidArgument);
  CHECK(error.code == ErrorCode::kInvalidArgument);
  CHECK(error.message == "25 rows are invalid; the first are listed in details");
  CHECK(error.details.size() == 20);
  CHECK(error.details.back() == "row 19");
}

}  // namespace
}  // namespace patchcast::forecasting
