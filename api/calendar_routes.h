// The calendar routes of issue 3: calendars (built-in and custom), their events as JSON and as
// iCalendar feeds, the next event, and operator overrides. Thin adapters: they read the query or
// body (calendar_json.h), call the CalendarCatalog or its current snapshot, and write JSON or ICS.
#pragma once

#include <cstddef>

#include "api/router.h"
#include "core/clock.h"
#include "forecasting/calendar_catalog.h"

namespace patchcast::api {

// The most events one response may hold; a larger result is kUnprocessable (422) asking for a
// narrower range. 200 years of every built-in calendar is about 13,000 events.
inline constexpr std::size_t kMaxEventsPerResponse = 50'000;

// Adds, with the scope each needs:
//   GET    /v1/calendars                          read   list every calendar
//   POST   /v1/calendars                          write  create a custom calendar (201, Location)
//   GET    /v1/calendars/{id}                     read   one calendar (custom: with its definition)
//   DELETE /v1/calendars/{id}                     admin  delete a custom calendar and its overrides
//   GET    /v1/calendars/{id}/events[.ics]        read   its events in ?from&to (UTC days)
//   GET    /v1/calendars/{id}/overrides           read   its overrides, in the order they apply
//   POST   /v1/calendars/{id}/overrides           write  add an override (201, Location)
//   GET    /v1/calendars/{id}/overrides/{oid}     read   one override
//   DELETE /v1/calendars/{id}/overrides/{oid}     write  remove an override
//   GET    /v1/events[.ics]                       read   events of ?calendar=a,b (default all)
//   GET    /v1/events/next                        read   the next event of ?calendar (&kind)
// Query parameters are strict: an unknown or repeated one is 400 naming it. `from` defaults to
// today (UTC, from `clock`), `to` to 364 days after `from`. When `catalog` is null (a router built
// only to be listed, as the OpenAPI test does) the routes exist and answer 503. `catalog` and
// `clock` must outlive `router`.
void AddCalendarRoutes(Router& router, forecasting::CalendarCatalog& catalog, const Clock& clock);

}  // namespace patchcast::api
