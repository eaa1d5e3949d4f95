// The JSON forms of calendars, events, custom calendar definitions and overrides: domain values to
// response bodies, and request bodies to domain values with strict errors that name the field.
//
// Output: optional fields that are not known are omitted (never null). Input: unknown fields, and
// fields that do not belong to the chosen form, are errors; JSON null means "not given".
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "calendars/calendar.h"
#include "calendars/custom_calendar.h"
#include "calendars/event.h"
#include "calendars/override.h"
#include "core/result.h"

namespace patchcast::api {

// The longest duration a definition or an added event may have: one year, in minutes.
inline constexpr std::int64_t kMaxDurationMinutes = 366 * 24 * 60;
// The largest bulletin count an annotation may give.
inline constexpr std::int64_t kMaxBulletins = 100'000;

// {"id","calendar","kind","start" (RFC 3339 UTC),"local_start","timezone","end"?,
// "duration_minutes"?,"public","bulletins"?,"max_severity"?,"restart_required"?,"notes"?,
// "announces"? (advance notices: the date of the release they announce),"source"}.
nlohmann::json EventJson(const calendars::Event& event);

// {"id","name","description","timezone","type":"builtin"|"custom"}, plus "definition"
// (DefinitionJson) when `definition` is not null.
nlohmann::json CalendarJson(const calendars::CalendarInfo& calendar,
                            const calendars::CustomCalendarDefinition* definition = nullptr);

// The definition in the form POST /v1/calendars takes: {"id","name","description","timezone",
// "kind","duration_minutes"?, and "rrule","dtstart","exdates" or "dates"}; times are written
// "YYYY-MM-DDTHH:MM:SS".
nlohmann::json DefinitionJson(const calendars::CustomCalendarDefinition& definition);

// {"id","calendar","date","action", then the action's fields as ParseOverride reads them}.
nlohmann::json OverrideJson(const calendars::Override& override_);

// Reads a custom calendar definition: "id", "name", "timezone" (required strings), "description",
// "kind" (event kind, default "custom"), "duration_minutes" (0..kMaxDurationMinutes), and either
// "rrule" + "dtstart" (+ optional "exdates") or "dates" (local dates or date-times in the zone).
// Errors, each naming the field: kInvalidArgument for unknown fields, wrong types, missing or
// conflicting fields, malformed times, an unknown time zone; kUnprocessable for RRULE parts
// outside the supported subset ("field 'rrule': RRULE part BYHOUR is not supported"). The id,
// name and the schedule as a whole are checked again by the catalog (MakeCustomCalendar).
Result<calendars::CustomCalendarDefinition> ParseCalendarDefinition(const nlohmann::json& body);

// Reads an override of calendar `calendar_id` (its id is left empty for the catalog to assign):
// "date" (YYYY-MM-DD) and "action" always, then by action:
//   cancel:   "kind"?
//   move:     "to" (local date-time, required), "kind"?
//   add:      "at" (RFC 3339 instant, required), "kind"? (default out_of_band),
//             "duration_minutes"?, and the annotation fields
//   annotate: the annotation fields "bulletins" (0..kMaxBulletins), "max_severity",
//             "restart_required" (boolean), "notes"
// Errors (kInvalidArgument) name the field: unknown fields, fields of another action ("field 'to'
// does not apply to action 'cancel'"), wrong types, malformed dates and times, unknown names.
Result<calendars::Override> ParseOverride(const nlohmann::json& body, std::string_view calendar_id);

}  // namespace patchcast::api
