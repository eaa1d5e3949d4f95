#include "forecasting/run_schedule.h"

#include <algorithm>

#include "calendars/zone.h"
#include "core/enum_names.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::sys_seconds;

constexpr EnumNames<RunTrigger, 7> kTriggerNames{{
    {RunTrigger::kWeekly, "weekly"},
    {RunTrigger::kAdvanceNotice, "advance_notice"},
    {RunTrigger::kRelease, "release"},
    {RunTrigger::kUnderWay, "under_way"},
    {RunTrigger::kCalendarChange, "calendar_change"},
    {RunTrigger::kManual, "manual"},
    {RunTrigger::kCron, "cron"},
}};

// The slot's instant in the week whose Monday (local) is `monday`.
sys_seconds SlotInWeek(const WeeklySlot& slot, date::local_days monday) {
  const date::local_days day = monday + (slot.day - date::Monday);
  calendars::ZoneConverter converter(*slot.zone);
  return converter.ToSys(date::local_seconds{day} + slot.time);
}

// The local Monday of the week that holds instant `at` on the slot's zone.
date::local_days MondayOf(const WeeklySlot& slot, sys_seconds at) {
  calendars::ZoneConverter converter(*slot.zone);
  const date::local_days today = date::floor<date::days>(converter.ToLocal(at));
  return today - (date::weekday{today} - date::Monday);
}

bool IsRelease(const calendars::Event& event) { return TriggerOf(event) == RunTrigger::kRelease; }

// The latest under-way slot of `release` at or before `at`, if one has come by then.
std::optional<sys_seconds> LatestUnderWaySlot(const calendars::Event& release,
                                              std::chrono::minutes every, sys_seconds at) {
  const sys_seconds last = std::min(at, release.start + kUnderWayWindow);
  if (last < release.start + every) return std::nullopt;
  return release.start + ((last - release.start) / every) * every;
}

// The first under-way slot of `release` strictly after `at`, if one is left.
std::optional<sys_seconds> NextUnderWaySlot(const calendars::Event& release,
                                            std::chrono::minutes every, sys_seconds at) {
  const sys_seconds first = release.start + every;
  const sys_seconds next =
      at < first ? first : release.start + ((at - release.start) / every + 1) * every;
  if (next > release.start + kUnderWayWindow) return std::nullopt;
  return next;
}

// A run the clock brings (weekly or cron slot), not the calendar.
bool IsClockSlot(RunTrigger trigger) {
  return trigger == RunTrigger::kWeekly || trigger == RunTrigger::kCron;
}

// Which of two runs at one instant to keep: an event's says more than a clock slot's.
bool Outranks(const ScheduledRun& a, const ScheduledRun& b) {
  if (a.at != b.at) return a.at > b.at;
  return !IsClockSlot(a.trigger) && IsClockSlot(b.trigger);
}

}  // namespace

std::string_view ToString(RunTrigger trigger) { return NameOf(kTriggerNames, trigger); }

Result<RunTrigger> ParseRunTrigger(std::string_view text) {
  return ParseName(kTriggerNames, "run trigger", text);
}

sys_seconds NextWeeklySlot(const WeeklySlot& slot, sys_seconds after) {
  // The slot in the week of `after` (local), else in the next; a DST change can move an instant
  // across a week's boundary by an hour, so look one week further when needed.
  date::local_days monday = MondayOf(slot, after);
  for (int week = 0; week < 3; ++week, monday += date::weeks{1}) {
    const sys_seconds candidate = SlotInWeek(slot, monday);
    if (candidate > after) return candidate;
  }
  return SlotInWeek(slot, monday);
}

sys_seconds LatestWeeklySlot(const WeeklySlot& slot, sys_seconds at) {
  date::local_days monday = MondayOf(slot, at);
  for (int week = 0; week < 3; ++week, monday -= date::weeks{1}) {
    const sys_seconds candidate = SlotInWeek(slot, monday);
    if (candidate <= at) return candidate;
  }
  return SlotInWeek(slot, monday);
}

std::optional<RunTrigger> TriggerOf(const calendars::Event& event) {
  switch (event.kind) {
    case calendars::EventKind::kAdvanceNotice:
      return RunTrigger::kAdvanceNotice;
    case calendars::EventKind::kRelease:
    case calendars::EventKind::kOutOfBand:
      return RunTrigger::kRelease;
    case calendars::EventKind::kPreview:
    case calendars::EventKind::kCustom:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<ScheduledRun> DueRun(const RunSchedule& schedule,
                                   std::span<const calendars::Event> events, sys_seconds since,
                                   sys_seconds now) {
  if (!schedule.enabled || now <= since) return std::nullopt;
  std::optional<ScheduledRun> due;
  const auto consider = [&](ScheduledRun run) {
    if (run.at <= since || run.at > now) return;
    if (!due || Outranks(run, *due)) due = run;
  };
  if (schedule.weekly) consider({RunTrigger::kWeekly, LatestWeeklySlot(*schedule.weekly, now)});
  if (schedule.cron) {
    const CronSlot& cron = *schedule.cron;
    consider({RunTrigger::kCron, cron.expression.LatestAtOrBefore(*cron.zone, now)});
  }
  if (schedule.on_calendar_events) {
    for (const calendars::Event& event : events) {
      if (auto trigger = TriggerOf(event)) consider({*trigger, event.start});
    }
  }
  return due;
}

std::optional<ScheduledRun> DueUnderWayRun(const RunSchedule& schedule,
                                           std::span<const calendars::Event> events,
                                           sys_seconds since, sys_seconds now) {
  if (!schedule.enabled || schedule.under_way_every <= std::chrono::minutes::zero()) {
    return std::nullopt;
  }
  std::optional<ScheduledRun> due;
  for (const calendars::Event& event : events) {
    if (!IsRelease(event)) continue;
    const auto slot = LatestUnderWaySlot(event, schedule.under_way_every, now);
    if (slot && *slot > since && (!due || *slot > due->at)) due = {RunTrigger::kUnderWay, *slot};
  }
  return due;
}

std::optional<ScheduledRun> NextRun(const RunSchedule& schedule,
                                    std::span<const calendars::Event> events, sys_seconds now) {
  if (!schedule.enabled) return std::nullopt;
  std::optional<ScheduledRun> next;
  const auto consider = [&](ScheduledRun run) {
    if (run.at <= now) return;
    if (!next || run.at < next->at || (run.at == next->at && !IsClockSlot(run.trigger))) {
      next = run;
    }
  };
  if (schedule.weekly) consider({RunTrigger::kWeekly, NextWeeklySlot(*schedule.weekly, now)});
  if (schedule.cron) {
    const CronSlot& cron = *schedule.cron;
    consider({RunTrigger::kCron, cron.expression.NextAfter(*cron.zone, now)});
  }
  if (schedule.on_calendar_events) {
    for (const calendars::Event& event : events) {
      if (auto trigger = TriggerOf(event)) consider({*trigger, event.start});
    }
  }
  if (schedule.under_way_every > std::chrono::minutes::zero()) {
    for (const calendars::Event& event : events) {
      if (!IsRelease(event)) continue;
      if (auto slot = NextUnderWaySlot(event, schedule.under_way_every, now)) {
        consider({RunTrigger::kUnderWay, *slot});
      }
    }
  }
  return next;
}

}  // namespace patchcast::forecasting
