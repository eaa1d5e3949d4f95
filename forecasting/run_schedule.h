// RunSchedule: when a series' forecast-and-plan job is due (issue 15). A schedule runs at a weekly
// slot on a zone's wall clock ("Monday 06:00 Europe/Berlin"), or at a cron expression's instants on
// one ("0 6 * * 1-5" in Europe/Berlin), and at the instants of its calendars'
// events that change what a forecast should say: an advance notice (the sizes are announced) and a
// release, scheduled or out of band (the surge begins). The scheduler asks what is due now and when
// to wake next; a service that was down for several slots runs once, for the latest of them.
//
// Pure functions of their inputs: the caller passes the instants (no clock reads). Value types;
// thread-compatible.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/cron_expression.h"
#include "calendars/event.h"
#include "core/result.h"

namespace patchcast::forecasting {

// A weekly slot: `day` at `time` after midnight on `zone`'s wall clock. A time that a
// daylight-saving change skips or repeats is read as iCalendar reads it (calendars/zone.h): after
// the gap, or the first of the two.
struct WeeklySlot {
  date::weekday day = date::Monday;
  std::chrono::minutes time{6 * 60};  // [0, 24 h)
  const date::time_zone* zone = nullptr;

  friend bool operator==(const WeeklySlot&, const WeeklySlot&) = default;
};

// A cron slot: the instants a five-field cron expression fires on `zone`'s wall clock.
struct CronSlot {
  calendars::CronExpression expression;
  const date::time_zone* zone = nullptr;

  friend bool operator==(const CronSlot&, const CronSlot&) = default;
};

// How long after a release (scheduled or out of band) its surge is under way: the install night
// in every zone of a fleet, the next working morning's boots and the stragglers.
inline constexpr std::chrono::hours kUnderWayWindow{72};

struct RunSchedule {
  bool enabled = true;
  std::optional<WeeklySlot> weekly;
  // The alternative to `weekly` for those who prefer cron; a schedule has at most one of the two.
  std::optional<CronSlot> cron;
  // Also run at the advance notices and releases of the series' calendars. Default true.
  bool on_calendar_events = true;
  // While a release is under way (kUnderWayWindow from its start), a run at every multiple of this
  // after its start, when new points arrived since the last run. Zero: none. Default 15 minutes.
  std::chrono::minutes under_way_every{15};
  // What each run forecasts: how far ahead, and with which calendars' events.
  std::chrono::seconds horizon{std::chrono::hours{168}};
  std::vector<std::string> calendars{"microsoft"};

  friend bool operator==(const RunSchedule&, const RunSchedule&) = default;
};

// Why a run was made.
enum class RunTrigger : std::uint8_t {
  kWeekly,          // the schedule's weekly slot
  kAdvanceNotice,   // an advance notice of a release: the sizes are announced
  kRelease,         // a release, scheduled or out of band: the surge begins
  kUnderWay,        // every few minutes while a release's surge rolls, once new points arrived
  kCalendarChange,  // an override changed the series' coming events
  kManual,          // asked for (POST /v1/series/{id}/runs)
  kCron,            // the schedule's cron expression
};

// "weekly", "advance_notice", "release", "under_way", "calendar_change", "manual", "cron".
std::string_view ToString(RunTrigger trigger);

// The strict inverse of ToString; kInvalidArgument naming the text and the accepted names.
Result<RunTrigger> ParseRunTrigger(std::string_view text);

// A run and the instant of the trigger it is for.
struct ScheduledRun {
  RunTrigger trigger = RunTrigger::kWeekly;
  std::chrono::sys_seconds at{};

  friend bool operator==(const ScheduledRun&, const ScheduledRun&) = default;
};

// The slot's first instant strictly after `after`.
std::chrono::sys_seconds NextWeeklySlot(const WeeklySlot& slot, std::chrono::sys_seconds after);

// The slot's last instant at or before `at`.
std::chrono::sys_seconds LatestWeeklySlot(const WeeklySlot& slot, std::chrono::sys_seconds at);

// The trigger of `event`, when it is one: advance notices, releases and out-of-band releases.
std::optional<RunTrigger> TriggerOf(const calendars::Event& event);

// The run due at `now` for a schedule last run (or created) at `since`: the latest trigger instant
// in (since, now], weekly or cron slot or calendar event, or none. Triggers missed while the
// service was down come out as this one run; a clock slot and an event at the same instant are one
// run, the event's. None for a disabled schedule.
std::optional<ScheduledRun> DueRun(const RunSchedule& schedule,
                                   std::span<const calendars::Event> events,
                                   std::chrono::sys_seconds since, std::chrono::sys_seconds now);

// The latest under-way slot in (since, now]: a release's start plus a whole number (at least one)
// of `under_way_every`, within kUnderWayWindow of it. None for a disabled schedule or one with no
// under-way runs. Whether new points arrived is the caller's question.
std::optional<ScheduledRun> DueUnderWayRun(const RunSchedule& schedule,
                                           std::span<const calendars::Event> events,
                                           std::chrono::sys_seconds since,
                                           std::chrono::sys_seconds now);

// The first trigger strictly after `now`, under-way slots included: when the scheduler should wake
// for this schedule. None for a disabled schedule, or one with no clock slot and nothing ahead in
// `events`.
std::optional<ScheduledRun> NextRun(const RunSchedule& schedule,
                                    std::span<const calendars::Event> events,
                                    std::chrono::sys_seconds now);

}  // namespace patchcast::forecasting
