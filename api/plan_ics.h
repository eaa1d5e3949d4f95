// A stored plan as iCalendar (RFC 5545), for humans: `?format=ics` on GET /v1/plans/{id},
// GET /v1/series/{id}/plans/latest and POST /v1/series/{id}/plan. One VEVENT per scale window, so
// that operators see in their calendar when the service runs above its usual size, how far and
// why.
//
// The windows are forecasting::FindScaleWindows'. Pure functions; thread-safe.
#pragma once

#include <string>

#include "forecasting/plan_record.h"

namespace patchcast::api {

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
std::string PlanIcs(const forecasting::PlanRecord& record);

}  // namespace patchcast::api
