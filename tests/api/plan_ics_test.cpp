// A stored plan as iCalendar: scale windows found from the buckets, one VEVENT each with the
// times, words and identifiers operators read, in RFC 5545's line discipline.
#include "api/plan_ics.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/plan_json.h"
#include "api/point_text.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_seconds;

sys_seconds At(const char* text) { return *ParseRfc3339Seconds(text); }

const sys_seconds kStart = At("2026-12-08T00:00:00Z");

// A plan document (the shape PlanJson stores) with hourly buckets of `units`, 8 logins/s of
// demand per unit and 10 of capacity.
json Document(const std::vector<int>& units, json actions) {
  json buckets = json::array();
  for (std::size_t i = 0; i < units.size(); ++i) {
    buckets.push_back({{"ts", FormatRfc3339(kStart + hours{i})},
                       {"demand", 8.0 * units[i]},
                       {"units", units[i]},
                       {"capacity", 10.0 * units[i]},
                       {"p_exceed", 0.001},
                       {"at_risk", false}});
  }
  return {{"id", "plan-1"},
          {"series", "demo-login"},
          {"forecast_id", "fc-1"},
          {"as_of", "2026-12-07T23:40:00Z"},
          {"generated_at", "2026-12-07T23:41:07Z"},
          {"valid_until", "2026-12-08T09:00:00Z"},
          {"step_seconds", 3600},
          {"mode", "recommend"},
          {"quantile", 0.99},
          {"unit_capacity", 10.0},
          {"buckets", std::move(buckets)},
          {"actions", std::move(actions)},
          {"fallback_units", 8}};
}

json Action(const char* at, const char* ready, const char* kind, int units, const char* reason,
            const char* event_id = nullptr, bool late = false) {
  return {{"at", at},
          {"ready", ready},
          {"kind", kind},
          {"units", units},
          {"late", late},
          {"reason", reason},
          {"event_id", event_id ? json(event_id) : json(nullptr)}};
}

// A routine rise to 5 units (the resting level), a release's wave to 8 built and shed around it,
// a routine fall to 3, then an out-of-band release's wave to 9 that lasts to the plan's end.
json TwoWindows() {
  return Document(
      {3, 3, 5, 8, 8, 5, 3, 9, 9},
      json::array(
          {Action("2026-12-08T01:45:00Z", "2026-12-08T02:00:00Z", "scale_out", 5,
                  "baseline demand rising"),
           Action("2026-12-08T02:45:00Z", "2026-12-08T03:00:00Z", "scale_out", 8,
                  "microsoft 2026-12-08 release: +3 h wave", "microsoft:2026-12-08:release"),
           Action("2026-12-08T05:00:00Z", "2026-12-08T05:00:00Z", "scale_in", 5,
                  "microsoft 2026-12-08 release: wave over", "microsoft:2026-12-08:release"),
           Action("2026-12-08T06:00:00Z", "2026-12-08T06:00:00Z", "scale_in", 3, "demand falling"),
           Action("2026-12-08T06:45:00Z", "2026-12-08T07:00:00Z", "scale_out", 9,
                  "microsoft 2026-12-08 out of band: +1 h wave",
                  "microsoft:2026-12-08:out_of_band")}));
}

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

TEST_CASE("scale windows are the runs above the routine peak, from the first scale-out's issue") {
  auto found = FindPlanScaleWindows(TwoWindows());
  REQUIRE(found);
  // The most units a scale-out without an event brings; not the fewest (3), which would make the
  // routine rise at 02:00 part of a window.
  CHECK(found->resting_units == 5);
  REQUIRE(found->windows.size() == 2);
  const PlanScaleWindow& wave = found->windows[0];
  CHECK(wave.first_bucket == 3);
  CHECK(wave.end_bucket == 5);
  CHECK(wave.start == At("2026-12-08T02:45:00Z"));  // lead time before the first bucket
  CHECK(wave.end == At("2026-12-08T05:00:00Z"));    // back at rest
  CHECK(wave.peak_units == 8);
  CHECK(wave.peak_bucket == 3);
  CHECK(wave.peak_demand == 64);
  CHECK(wave.actions == std::vector<std::size_t>{1, 2});
  const PlanScaleWindow& oob = found->windows[1];
  CHECK(oob.first_bucket == 7);
  CHECK(oob.end_bucket == 9);
  CHECK(oob.start == At("2026-12-08T06:45:00Z"));
  CHECK(oob.end == At("2026-12-08T09:00:00Z"));  // the plan's end: it never comes back
  CHECK(oob.actions == std::vector<std::size_t>{4});
}

TEST_CASE("each window is one VEVENT saying how far, when and why") {
  auto ics = PlanIcs(TwoWindows());
  REQUIRE(ics);
  const std::vector<std::string> lines = ContentLines(*ics);
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

TEST_CASE("without routine scale-outs the resting level is the fewest units") {
  json document = TwoWindows();
  document["actions"].erase(0);
  auto found = FindPlanScaleWindows(document);
  REQUIRE(found);
  CHECK(found->resting_units == 3);
  REQUIRE(found->windows.size() == 2);
  CHECK(found->windows[0].first_bucket == 2);
  CHECK(found->windows[0].end_bucket == 6);
  CHECK(found->windows[0].end == At("2026-12-08T06:00:00Z"));
}

TEST_CASE("the same plan document gives the same calendar bytes") {
  CHECK(*PlanIcs(TwoWindows()) == *PlanIcs(TwoWindows()));
}

TEST_CASE("a plan that starts above rest, without actions, opens its window at its start") {
  json document = Document({5, 5, 3, 3}, json::array());
  document["mode"] = "forecast_only";
  auto found = FindPlanScaleWindows(document);
  REQUIRE(found);
  REQUIRE(found->windows.size() == 1);
  CHECK(found->windows[0].start == kStart);
  CHECK(found->windows[0].end == kStart + hours{2});
  auto ics = PlanIcs(document);
  REQUIRE(ics);
  const std::vector<std::string> lines = ContentLines(*ics);
  CHECK(Values(lines, "SUMMARY") == std::vector<std::string>{"Pre-scale demo-login to 5 units"});
  CHECK(Values(lines, "DESCRIPTION")[0].find("No scaling actions") != std::string::npos);
}

TEST_CASE("late actions and at-risk steps are called out") {
  json document = Document(
      {3, 9, 9, 3},
      json::array({Action("2026-12-08T00:00:00Z", "2026-12-08T01:00:00Z", "scale_out", 9,
                          "microsoft 2026-12-08 release: +1 h wave", "microsoft:2026-12-08:release",
                          /*late=*/true)}));
  document["buckets"][2]["at_risk"] = true;
  auto ics = PlanIcs(document);
  REQUIRE(ics);
  const std::string description = Values(ContentLines(*ics), "DESCRIPTION").at(0);
  CHECK(description.find("ready 2026-12-08T01:00:00Z (late: issued at the plan's start): ") !=
        std::string::npos);
  CHECK(description.find("At risk for 1 step: max_units holds capacity below the demand.") !=
        std::string::npos);
}

TEST_CASE("a flat plan has no windows and gives an empty calendar") {
  auto found = FindPlanScaleWindows(Document({4, 4, 4}, json::array()));
  REQUIRE(found);
  CHECK(found->resting_units == 4);
  CHECK(found->windows.empty());
  auto ics = PlanIcs(Document({4, 4, 4}, json::array()));
  REQUIRE(ics);
  CHECK(ics->find("BEGIN:VEVENT") == std::string::npos);
  CHECK(ics->ends_with("END:VCALENDAR\r\n"));
}

TEST_CASE("a document that is not a plan is an internal error") {
  for (const char* member : {"buckets", "generated_at", "step_seconds", "id"}) {
    CAPTURE(member);
    json document = TwoWindows();
    document.erase(member);
    auto ics = PlanIcs(document);
    REQUIRE_FALSE(ics);
    CHECK(ics.error().code == ErrorCode::kInternal);
    CHECK(ics.error().message.find(member) != std::string::npos);
  }
  json bad_units = TwoWindows();
  bad_units["buckets"][1]["units"] = "three";
  CHECK_FALSE(PlanIcs(bad_units));
  CHECK_FALSE(PlanIcs(json::array()));
}

// A plan the planner made, at 5-minute steps: 100 logins/s, a routine rise to 150 for the first
// two hours, and a release that doubles demand from 04:00 to 06:00.
TEST_CASE("the windows of a real plan are its event's surge above the routine peak") {
  forecasting::Forecast forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  for (int i = 0; i < 12 * 12; ++i) {
    const double rate = (i >= 48 && i < 72) ? 200 : (i >= 12 && i < 24) ? 150 : 100;
    forecasting::ForecastPoint point;
    point.ts = kStart + minutes{5 * i};
    point.quantiles = {0.8 * rate * 300, 0.9 * rate * 300, rate * 300};
    point.baseline = 0.8 * 100 * 300;
    forecast.points.push_back(point);
  }
  forecasting::EventForecast release;
  release.id = "microsoft:2026-12-08:release";
  release.calendar_id = "microsoft";
  release.start = kStart + hours{4};
  release.peak.ts = release.start;
  forecast.events.push_back(release);
  forecasting::CapacityModel model;
  model.unit_capacity = 10;
  model.lead_time = minutes{20};
  model.min_action_interval = minutes{10};
  model.scale_in_step_fraction = 1;
  model.hold_after_event = minutes{0};
  auto plan = forecasting::PlanCapacity(forecast, std::chrono::seconds{300}, model);
  REQUIRE(plan);
  const PlanHeader header{"plan-real", "demo-login", "fc-real", kStart, kStart, kStart + hours{12}};
  const json document = PlanJson(header, model, *plan);
  auto found = FindPlanScaleWindows(document);
  REQUIRE(found);
  CHECK(found->resting_units == 18);  // the routine rise: ceil(150 x 1.2 / 10)
  REQUIRE(found->windows.size() == 1);
  const PlanScaleWindow& window = found->windows[0];
  CHECK(window.peak_units == 24);  // ceil(200 x 1.2 / 10)
  CHECK(window.first_bucket == 48);
  CHECK(window.end_bucket == 72);
  // Issued lead_time before the surge, the window ends when the units are back at rest.
  CHECK(window.start == kStart + minutes{5 * 48} - minutes{20});
  CHECK(window.end == kStart + minutes{5 * 72});
  auto ics = PlanIcs(document);
  REQUIRE(ics);
  const std::vector<std::string> lines = ContentLines(*ics);
  CHECK(
      Values(lines, "SUMMARY") ==
      std::vector<std::string>{"Pre-scale demo-login to 24 units (microsoft 2026-12-08 release)"});
  CHECK(Values(lines, "DTSTART") == std::vector<std::string>{"20261208T034000Z"});
  CHECK(Values(lines, "DTEND") == std::vector<std::string>{"20261208T060000Z"});
}

}  // namespace
}  // namespace patchcast::api
