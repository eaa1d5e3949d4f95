// A kept plan as iCalendar: one VEVENT per scale window (forecasting/scale_windows.h) with the
// times, words and identifiers operators read, in RFC 5545's line discipline.
#include "api/plan_ics.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/forecasting/plan_record_fixture.h"

namespace patchcast::api {
namespace {

using forecasting::ActionKind;
using forecasting::PlanRecord;
using forecasting::testing::Action;
using forecasting::testing::HourlyPlan;
using forecasting::testing::TwoWindowsPlan;

// The content lines of a calendar, unfolded (RFC 5545 3.1), after checking the physical lines:
// CRLF only and at most 75 octets each.
std::vector<std::string> ContentLines(const std::string& ics) {
  REQUIRE(ics.ends_with("\r\n"));
  std::vector<std::string> lines;
  std::size_t from = 0;
  while (from < ics.size()) {
    const std::size_t end = ics.find("\r\n", from);
    REQUIRE(end != std::string::npos);
    const std::string physical = ics.substr(from, end - from);
    CHECK(physical.size() <= 75);
    CHECK(physical.find('\n') == std::string::npos);
    CHECK(physical.find('\r') == std::string::npos);
    if (physical.starts_with(" ")) {
      REQUIRE_FALSE(lines.empty());
      lines.back() += physical.substr(1);
    } else {
      lines.push_back(physical);
    }
    from = end + 2;
  }
  return lines;
}

// The values of property `name` in the VEVENTs, in order.
std::vector<std::string> Values(const std::vector<std::string>& lines, const std::string& name) {
  std::vector<std::string> values;
  bool in_event = false;
  for (const std::string& line : lines) {
    if (line == "BEGIN:VEVENT") in_event = true;
    if (line == "END:VEVENT") in_event = false;
    if (in_event && line.starts_with(name + ":")) values.push_back(line.substr(name.size() + 1));
  }
  return values;
}

TEST_CASE("each window is one VEVENT saying how far, when and why") {
  const std::vector<std::string> lines = ContentLines(PlanIcs(TwoWindowsPlan()));
  CHECK(lines.front() == "BEGIN:VCALENDAR");
  CHECK(lines.back() == "END:VCALENDAR");
  CHECK(std::find(lines.begin(), lines.end(), "VERSION:2.0") != lines.end());
  CHECK(std::find(lines.begin(), lines.end(),
                  "X-WR-CALNAME:Patchcast plan plan-1 for demo-login") != lines.end());
  CHECK(Values(lines, "UID") == std::vector<std::string>{"plan-1-20261208T030000Z@patchcast",
                                                         "plan-1-20261208T070000Z@patchcast"});
  CHECK(Values(lines, "DTSTAMP") ==
        std::vector<std::string>{"20261207T234107Z", "20261207T234107Z"});
  CHECK(Values(lines, "DTSTART") ==
        std::vector<std::string>{"20261208T024500Z", "20261208T064500Z"});
  CHECK(Values(lines, "DTEND") == std::vector<std::string>{"20261208T050000Z", "20261208T090000Z"});
  CHECK(Values(lines, "SUMMARY") ==
        std::vector<std::string>{
            "Pre-scale demo-login to 8 units (microsoft 2026-12-08 release)",
            "Pre-scale demo-login to 9 units (microsoft 2026-12-08 out_of_band)"});
  const std::vector<std::string> descriptions = Values(lines, "DESCRIPTION");
  REQUIRE(descriptions.size() == 2);
  const std::string& wave = descriptions[0];
  CAPTURE(wave);
  // TEXT escaping: ';' and ',' get a backslash, line breaks become \n.
  CHECK(
      wave.starts_with("demo-login runs above its resting level of 5 units from "
                       "2026-12-08T03:00:00Z until 2026-12-08T05:00:00Z.\\n"));
  CHECK(wave.find("Peak: 8 units (80.0 logins/s) from 2026-12-08T03:00:00Z\\; peak demand 64.0 "
                  "logins/s (p99 forecast) at 2026-12-08T03:00:00Z.") != std::string::npos);
  CHECK(wave.find("\\n- 2026-12-08T02:45:00Z scale out to 8 units\\, ready 2026-12-08T03:00:00Z: "
                  "microsoft 2026-12-08 release: +3 h wave\\n") != std::string::npos);
  CHECK(wave.find("\\n- 2026-12-08T05:00:00Z scale in to 5 units: microsoft 2026-12-08 release: "
                  "wave over\\n") != std::string::npos);
  // The routine actions around the window are not part of it.
  CHECK(wave.find("baseline demand rising") == std::string::npos);
  CHECK(wave.find("demand falling") == std::string::npos);
  CHECK(
      wave.ends_with("Plan plan-1 of demo-login\\, as of 2026-12-07T23:40:00Z\\, forecast fc-1."));
  CHECK(descriptions[1].find("until the plan's end (2026-12-08T08:00:00Z + 3600 s)") !=
        std::string::npos);
  CHECK(Values(lines, "TRANSP") == std::vector<std::string>{"TRANSPARENT", "TRANSPARENT"});
}

TEST_CASE("the same plan gives the same calendar bytes") {
  CHECK(PlanIcs(TwoWindowsPlan()) == PlanIcs(TwoWindowsPlan()));
}

TEST_CASE("a window without actions has no cause and says there are none") {
  PlanRecord record = HourlyPlan({5, 5, 3, 3}, {});
  record.plan.mode = forecasting::PlanMode::kForecastOnly;
  const std::vector<std::string> lines = ContentLines(PlanIcs(record));
  CHECK(Values(lines, "SUMMARY") == std::vector<std::string>{"Pre-scale demo-login to 5 units"});
  CHECK(Values(lines, "DTSTART") == std::vector<std::string>{"20261208T000000Z"});
  CHECK(Values(lines, "DESCRIPTION")[0].find("No scaling actions") != std::string::npos);
}

TEST_CASE("late actions and at-risk steps are called out") {
  PlanRecord record =
      HourlyPlan({3, 9, 9, 3},
                 {Action(0, 60, ActionKind::kScaleOut, 9, "microsoft 2026-12-08 release: +1 h wave",
                         "microsoft:2026-12-08:release", /*late=*/true)});
  record.plan.buckets[2].at_risk = true;
  const std::string description = Values(ContentLines(PlanIcs(record)), "DESCRIPTION").at(0);
  CHECK(description.find("ready 2026-12-08T01:00:00Z (late: issued at the plan's start): ") !=
        std::string::npos);
  CHECK(description.find("At risk for 1 step: max_units holds capacity below the demand.") !=
        std::string::npos);
}

TEST_CASE("a flat plan gives a calendar without events") {
  const std::string ics = PlanIcs(HourlyPlan({4, 4, 4}, {}));
  CHECK(ics.find("BEGIN:VEVENT") == std::string::npos);
  CHECK(ics.ends_with("END:VCALENDAR\r\n"));
}

}  // namespace
}  // namespace patchcast::api
