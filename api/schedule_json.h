// The JSON form of a series' run schedule (forecasting/run_schedule.h), as PUT
// /v1/series/{id}/schedule takes it and GET answers it:
//
//   {"enabled": true,
//    "weekly": {"day": "monday", "time": "06:00", "timezone": "Europe/Berlin"},
//    "cron": null,
//    "on_calendar_events": true, "under_way_every_minutes": 15,
//    "horizon_hours": 168, "calendars": ["microsoft"]}
//
// Every member but one trigger may be left out: "weekly" and "cron" (or null) for none, the others
// take the defaults shown. "cron" ({"expression": "0 6 * * 1-5", "timezone": "Europe/Berlin"},
// calendars/cron_expression.h) is the alternative to "weekly"; a schedule takes one or neither.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "forecasting/run_schedule.h"

namespace patchcast::api {

// The shortest and longest gap between under-way runs: a run forecasts a year of data, and a day
// is the longest a surge's early zones should wait to inform the later ones.
inline constexpr std::chrono::minutes kMinUnderWayEvery{5};
inline constexpr std::chrono::minutes kMaxUnderWayEvery{24 * 60};

// Reads a schedule. Errors (kInvalidArgument), naming the field: unknown members; wrong types; a
// day not in monday..sunday; a time not "HH:MM" in 00:00..23:59; an unknown timezone;
// under_way_every_minutes not 0 or 5..1440; horizon_hours not 1..744; empty calendars; a cron
// expression cron_expression.h refuses; both "weekly" and "cron"; and a schedule that would never
// run ("the schedule never runs: give 'weekly' or 'cron', or set 'on_calendar_events' to true").
Result<forecasting::RunSchedule> ParseSchedule(const nlohmann::json& body);

// Writes a schedule in full, every member present ("weekly" and "cron" null when absent).
nlohmann::json ScheduleJson(const forecasting::RunSchedule& schedule);

}  // namespace patchcast::api
