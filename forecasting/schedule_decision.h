// What a series' schedule asks of the scheduler at an instant (issue 15): which run is due, if
// any, given what the schedule's last run saw, and when to look again.
//
// Order of precedence at `now`, each trigger counted only after the schedule was put and after
// the series' last run started (a service that was down runs once, for the latest trigger):
//   1. the weekly slot, an advance notice or a release (DueRun in run_schedule.h);
//   2. a change to the calendars' events around the last run (an override moved, cancelled, added
//      or annotated one): the events digest differs from the one the last run recorded;
//   3. an under-way slot of a release (DueUnderWayRun), when points newer than the last run's
//      arrived.
//
// Pure functions of their inputs (no clock reads). Thread-compatible.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "calendars/event.h"
#include "forecasting/run_log.h"
#include "forecasting/run_schedule.h"
#include "forecasting/schedule_store.h"

namespace patchcast::forecasting {

// How far after a run its events digest looks: the coming month's releases and notices, which
// the run's forecast and the next ones depend on.
inline constexpr std::chrono::days kDigestSpan{35};

// What the scheduler knows of a series when it decides.
struct SeriesRunState {
  std::optional<RunRecord> last_run;
  std::optional<std::chrono::sys_seconds> last_point;  // the series' latest point, if any
};

// The events a decision at `now` reads, for a schedule last run (or put) at `since`: from an
// under-way window before `since` (releases still rolling) to kDigestSpan after `now`.
struct EventsRange {
  std::chrono::sys_seconds from{};
  std::chrono::sys_seconds to{};
};
EventsRange EventsToRead(std::chrono::sys_seconds since, std::chrono::sys_seconds now);

// When triggers start to count for `stored`: its last put, or its series' last run when later.
std::chrono::sys_seconds CountingSince(const StoredSchedule& stored, const SeriesRunState& state);

// A stable digest (16 hex digits) of what a forecast reads of the events that start in
// [from, from + kDigestSpan): their ids, instants, durations, kinds and annotations.
std::string EventsDigest(std::span<const calendars::Event> events, std::chrono::sys_seconds from);

// The run due for `stored` at `now`, by the precedence above, or none. `events` must cover
// EventsToRead(CountingSince(stored, state), now) for the schedule's calendars.
std::optional<ScheduledRun> WorkDue(const StoredSchedule& stored, const SeriesRunState& state,
                                    std::span<const calendars::Event> events,
                                    std::chrono::sys_seconds now);

}  // namespace patchcast::forecasting
