#include "calendars/zone.h"

#include <date/date.h>
#include <doctest/doctest.h>

#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::AsUtc;
using testing::Day;
using testing::Local;
using testing::Utc;

const date::time_zone& Zone(std::string_view name) {
  Result<const date::time_zone*> zone = LocateZone(name);
  REQUIRE(zone.has_value());
  return **zone;
}

TEST_CASE("LocateZone finds IANA zones and names the unknown ones") {
  CHECK((*LocateZone("America/Los_Angeles"))->name() == "America/Los_Angeles");

  const Result<const date::time_zone*> unknown = LocateZone("Mars/Olympus_Mons");
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::kNotFound);
  CHECK(unknown.error().message == "time zone 'Mars/Olympus_Mons' is not in the tz database");

  const Result<const date::time_zone*> empty = LocateZone("");
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE(
    "a local time in the spring-forward gap takes the offset before the gap (RFC 5545 3.3.5)") {
  // RFC 5545 3.3.5: "TZID=America/New_York:20070311T023000 indicates March 11, 2007 at 3:30 A.M.
  // EDT (UTC-04:00), one hour after 1:30 A.M. EST (UTC-05:00)."
  ZoneConverter new_york(Zone("America/New_York"));
  CHECK(new_york.ToSys(Local("2007-03-11T02:30")) == Utc("2007-03-11T07:30:00Z"));
  CHECK(new_york.ToLocal(Utc("2007-03-11T07:30:00Z")) == Local("2007-03-11T03:30"));
}

TEST_CASE("an ambiguous local time means its first occurrence (RFC 5545 3.3.5)") {
  // "TZID=America/New_York:20071104T013000 indicates November 4, 2007 at 1:30 A.M. EDT
  // (UTC-04:00)."
  ZoneConverter new_york(Zone("America/New_York"));
  CHECK(new_york.ToSys(Local("2007-11-04T01:30")) == Utc("2007-11-04T05:30:00Z"));
}

TEST_CASE("conversions agree whether or not the converter's cache is warm") {
  ZoneConverter warm(Zone("America/Los_Angeles"));
  for (date::local_days day = Day("2006-01-01"); day < Day("2009-01-01"); day += date::days{1}) {
    for (int hour : {0, 1, 2, 3, 10, 23}) {
      const date::local_seconds local = day + std::chrono::hours{hour};
      ZoneConverter cold(Zone("America/Los_Angeles"));
      REQUIRE_MESSAGE(warm.ToSys(local) == cold.ToSys(local), FormatLocalDateTime(local));
      const std::chrono::sys_seconds utc = AsUtc(local);
      REQUIRE_MESSAGE(warm.ToLocal(utc) == cold.ToLocal(utc), FormatUtcDateTime(utc));
    }
  }
}

// The US rule since 2007 (Energy Policy Act of 2005): daylight time from 02:00 on the second Sunday
// of March to 02:00 on the first Sunday of November. The zoneinfo files list it only until 2037.
TEST_CASE("US daylight time continues after 2037, where the zoneinfo tables end") {
  ZoneConverter los_angeles(Zone("America/Los_Angeles"));
  for (int y = 2030; y <= 2200; ++y) {
    const date::year year{y};
    const date::local_days spring{year / date::March / date::Sunday[2]};
    const date::local_days autumn{year / date::November / date::Sunday[1]};
    CAPTURE(y);
    // Noon the day before and the day after each change: PST is UTC-8, PDT UTC-7.
    const date::local_seconds before_spring = spring - date::days{1} + std::chrono::hours{12};
    const date::local_seconds after_spring = spring + date::days{1} + std::chrono::hours{12};
    const date::local_seconds before_autumn = autumn - date::days{1} + std::chrono::hours{12};
    const date::local_seconds after_autumn = autumn + date::days{1} + std::chrono::hours{12};
    CHECK(los_angeles.ToSys(before_spring) == AsUtc(before_spring) + std::chrono::hours{8});
    CHECK(los_angeles.ToSys(after_spring) == AsUtc(after_spring) + std::chrono::hours{7});
    CHECK(los_angeles.ToSys(before_autumn) == AsUtc(before_autumn) + std::chrono::hours{7});
    CHECK(los_angeles.ToSys(after_autumn) == AsUtc(after_autumn) + std::chrono::hours{8});
    // 02:30 on the spring day does not exist: the offset before the gap (PST) applies.
    const date::local_seconds in_gap = spring + std::chrono::minutes{150};
    CHECK(los_angeles.ToSys(in_gap) == AsUtc(in_gap) + std::chrono::hours{8});
    // And back: 19:00Z on the day after the spring change is noon PDT.
    CHECK(los_angeles.ToLocal(AsUtc(after_spring) + std::chrono::hours{7}) == after_spring);
  }
}

TEST_CASE("southern-hemisphere daylight time continues after 2037 too") {
  // Australia/Sydney: AEDT (UTC+11) in January, AEST (UTC+10) in July.
  ZoneConverter sydney(Zone("Australia/Sydney"));
  CHECK(sydney.ToSys(Local("2040-01-15T12:00")) == Utc("2040-01-15T01:00:00Z"));
  CHECK(sydney.ToSys(Local("2040-07-15T12:00")) == Utc("2040-07-15T02:00:00Z"));
  CHECK(sydney.ToLocal(Utc("2100-01-15T01:00:00Z")) == Local("2100-01-15T12:00"));
}

TEST_CASE("a zone that abolished daylight time stays on its last offset") {
  // Europe/Moscow has been UTC+3 all year since 2014-10-26.
  ZoneConverter moscow(Zone("Europe/Moscow"));
  CHECK(moscow.ToSys(Local("2040-01-15T12:00")) == Utc("2040-01-15T09:00:00Z"));
  CHECK(moscow.ToSys(Local("2040-07-15T12:00")) == Utc("2040-07-15T09:00:00Z"));
}

}  // namespace
}  // namespace patchcast::calendars
