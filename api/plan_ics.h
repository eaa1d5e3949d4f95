// A stored plan as iCalendar (RFC 5545), for humans: `?format=ics` on GET /v1/plans/{id},
// GET /v1/series/{id}/plans/latest and POST /v1/series/{id}/plan. One VEVENT per scale window, so
// that operators see in their calendar when the service runs above its usual size, how far and
// why.
//
// The resting level of a plan is the most units that its routine scale-outs bring (scale-out
// actions that name no event: "baseline demand rising"), that is the ordinary daily peak; a plan
// without such actions (mode forecast_only, or no routine rise in its horizon) rests at the fewest
// units any of its buckets runs. The calendar thus shows what an event makes the service run
// beyond an ordinary day, not the daily cycle. (The fewest units over the horizon, or the units at
// the plan's start, would make every day's cycle a window: on the demo series a 7-day plan gave
// three windows of one to four days each, most of it ordinary daytime demand.) A scale window is a
// maximal run of consecutive buckets with more units than the resting level. It starts, for
// humans, when its first scale-out action is issued (`at`, lead_time before the units are needed),
// or at its first bucket when no action starts it (a plan that starts above rest); it ends
// when capacity is back at rest (the start of the first bucket at or below the resting level), or
// at the plan's end.
//
// Works from the stored plan document (plan_json.h), like PlanCsv. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"

namespace patchcast::api {

struct PlanScaleWindow {
  std::size_t first_bucket = 0;      // the first bucket above the resting level
  std::size_t end_bucket = 0;        // one past the last (the bucket count when it never ends)
  std::chrono::sys_seconds start{};  // the first scale-out's `at`, or the first bucket's ts
  std::chrono::sys_seconds end{};    // the first bucket back at rest, or the plan's end
  int peak_units = 0;
  std::size_t peak_bucket = 0;         // the first bucket with peak_units
  double peak_demand = 0;              // logins per second at the plan quantile, the window's most
  std::size_t peak_demand_bucket = 0;  // the first bucket with peak_demand
  std::size_t at_risk_buckets = 0;     // buckets that max_units held below the demand
  // Indices into the document's actions whose `ready` lies in [first bucket ts, end]: the
  // scale-outs that build the window and the scale-ins that shed it, in the document's order.
  std::vector<std::size_t> actions;
};

struct PlanScaleWindows {
  int resting_units = 0;                 // the resting level described above
  std::vector<PlanScaleWindow> windows;  // by start
};

// The scale windows of a stored plan document. A plan whose units never change has none.
// Errors: kInternal when `document` is not a plan document (a missing or mistyped member).
Result<PlanScaleWindows> FindPlanScaleWindows(const nlohmann::json& document);

// The VCALENDAR of a stored plan (ics_writer.h: CRLF, folding, TEXT escaping; X-WR-CALNAME
// "Patchcast plan <id> for <series>"), one VEVENT per scale window:
//  - UID "<plan id>-<first bucket's ts as YYYYMMDDTHHMMSSZ>@patchcast", stable for the plan and
//    window; DTSTAMP the plan's generated_at; DTSTART and DTEND the window's start and end (UTC);
//  - SUMMARY "Pre-scale <series> to <peak> units (<cause>)": the cause is the event label of the
//    scale-out that first reaches the peak ("microsoft 2026-12-08 release"), or its reason when it
//    names no event ("baseline demand rising"); without actions there is no cause in brackets;
//  - DESCRIPTION: the resting level and the span; the peak units and capacity, and the peak
//    demand at the plan quantile, with their times; the buckets at risk, if any; one line per
//    action: when it is issued, its kind and units, when it is ready (scale-outs), "late" when it
//    comes too late for its lead time, and its reason; the plan id, series, as_of and forecast id;
//  - CATEGORIES "scale window", TRANSP TRANSPARENT (a window does not make anyone busy).
// A plan without windows gives a VCALENDAR without VEVENTs, as an empty event feed does.
// Errors: those of FindPlanScaleWindows.
Result<std::string> PlanIcs(const nlohmann::json& document);

}  // namespace patchcast::api
