#include "calendars/calendar_registry.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <numeric>
#include <set>
#include <utility>

#include "calendars/builtin_calendars.h"
#include "calendars/time_text.h"
#include "calendars/zone.h"

namespace patchcast::calendars {
namespace {

// Override windows: an annotation reaches notices up to two weeks before its date; an added event
// needs the events already on its date for its id. One day more each side absorbs zone offsets.
constexpr date::days kOverrideWindowBefore{15};
constexpr date::days kOverrideWindowAfter{3};

// Sorts `windows` and merges overlapping ones, so no event is generated twice.
std::vector<TimeRange> Merge(std::vector<TimeRange> windows) {
  std::sort(windows.begin(), windows.end(),
            [](const TimeRange& a, const TimeRange& b) { return a.from < b.from; });
  std::vector<TimeRange> merged;
  for (const TimeRange& window : windows) {
    if (!merged.empty() && window.from <= merged.back().to) {
      merged.back().to = std::max(merged.back().to, window.to);
    } else {
      merged.push_back(window);
    }
  }
  return merged;
}

// Sorts `events` by start, then id. `events` is a concatenation of runs ending at `run_ends`, one
// per calendar, each usually sorted already: the runs are sorted where needed and merged on an
// index array, and then every event moves once, into its final place. Sorting 136-byte events
// directly costs several times more on 200-year queries.
void SortRuns(std::vector<Event>& events, const std::vector<std::size_t>& run_ends) {
  if (events.size() > std::numeric_limits<std::uint32_t>::max()) {
    std::sort(events.begin(), events.end(), StartThenIdLess);
    return;
  }
  std::vector<std::uint32_t> order(events.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  const auto less = [&](std::uint32_t a, std::uint32_t b) {
    return StartThenIdLess(events[a], events[b]);
  };
  std::size_t begin = 0;
  for (std::size_t end : run_ends) {
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(begin);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(end);
    if (!std::is_sorted(first, last, less)) std::sort(first, last, less);
    if (begin > 0) std::inplace_merge(order.begin(), first, last, less);
    begin = end;
  }
  // Apply the permutation cycle by cycle: position j receives the event that was at order[j].
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] == i) continue;
    Event first_of_cycle = std::move(events[i]);
    std::size_t j = i;
    while (true) {
      const std::size_t k = order[j];
      order[j] = static_cast<std::uint32_t>(j);
      if (k == i) {
        events[j] = std::move(first_of_cycle);
        break;
      }
      events[j] = std::move(events[k]);
      j = k;
    }
  }
}

}  // namespace

Result<CalendarRegistry> CalendarRegistry::Create(std::span<const CustomCalendarDefinition> custom,
                                                  std::vector<Override> overrides) {
  Result<std::vector<std::unique_ptr<Calendar>>> builtins = MakeBuiltinCalendars();
  if (!builtins) return builtins.error();
  std::vector<RegisteredCalendar> calendars;
  for (std::unique_ptr<Calendar>& calendar : *builtins) {
    calendars.push_back({std::move(calendar), nullptr});
  }
  for (const CustomCalendarDefinition& definition : custom) {
    Result<std::unique_ptr<Calendar>> calendar = MakeCustomCalendar(definition);
    if (!calendar) return calendar.error();
    calendars.push_back({std::move(*calendar), nullptr});
  }
  return FromCalendars(std::move(calendars), std::move(overrides));
}

Result<CalendarRegistry> CalendarRegistry::FromCalendars(std::vector<RegisteredCalendar> calendars,
                                                         std::vector<Override> overrides) {
  std::set<std::string, std::less<>> ids;
  for (const RegisteredCalendar& entry : calendars) {
    if (!ids.insert(entry.calendar->info().id).second) {
      return Conflict("calendar id '" + entry.calendar->info().id + "' is defined twice");
    }
  }
  CalendarRegistry registry(std::move(calendars), std::move(overrides));
  for (const Override& override_ : registry.overrides_) {
    const RegisteredCalendar* entry = registry.Find(override_.calendar_id);
    if (entry == nullptr) {
      return NotFound("override '" + override_.id + "': calendar '" + override_.calendar_id +
                      "' does not exist");
    }
    if (Status status = ValidateOverride(override_, entry->calendar->info()); !status) {
      return status.error();
    }
  }
  return registry;
}

std::vector<CalendarInfo> CalendarRegistry::ListCalendars() const {
  std::vector<CalendarInfo> infos;
  infos.reserve(calendars_.size());
  for (const RegisteredCalendar& entry : calendars_) infos.push_back(entry.calendar->info());
  return infos;
}

std::vector<std::string> CalendarRegistry::CalendarIds() const {
  std::vector<std::string> ids;
  ids.reserve(calendars_.size());
  for (const RegisteredCalendar& entry : calendars_) ids.push_back(entry.calendar->info().id);
  return ids;
}

const RegisteredCalendar* CalendarRegistry::Find(std::string_view id) const {
  for (const RegisteredCalendar& entry : calendars_) {
    if (entry.calendar->info().id == id) return &entry;
  }
  return nullptr;
}

Result<CalendarInfo> CalendarRegistry::FindCalendar(std::string_view id) const {
  const RegisteredCalendar* entry = Find(id);
  if (entry == nullptr) return NotFound("calendar '" + std::string(id) + "' does not exist");
  return entry->calendar->info();
}

Status CalendarRegistry::AppendCalendarEvents(const RegisteredCalendar& entry,
                                              const TimeRange& range, std::size_t max_events,
                                              std::vector<Event>& out) const {
  const CalendarInfo& info = entry.calendar->info();
  std::vector<Override> own_overrides;
  for (const Override& override_ : overrides_) {
    if (override_.calendar_id == info.id) own_overrides.push_back(override_);
  }
  if (!entry.shift && own_overrides.empty()) {
    // Nothing to adjust: the calendar's own events for the range are the answer.
    if (!entry.calendar->AppendEvents(range, max_events, out)) {
      return TooManyEvents(info.id, max_events, range);
    }
    return {};
  }

  // Generate a little more than the range: shifted events may enter it from up to kMaxShiftDays
  // away, and overrides need the events around their dates (override.h).
  const date::days margin = entry.shift ? kMaxShiftDays : date::days{0};
  std::vector<TimeRange> windows{{range.from - margin, range.to + margin}};
  for (const Override& override_ : own_overrides) {
    const date::sys_days day{override_.date.time_since_epoch()};
    windows.push_back({day - kOverrideWindowBefore, day + kOverrideWindowAfter});
  }
  // Generation may see more events than the range holds; the cap below is on what is returned.
  const std::size_t generation_cap = 2 * max_events + 10'000;
  std::vector<Event> events;
  for (const TimeRange& window : Merge(std::move(windows))) {
    if (!entry.calendar->AppendEvents(window, generation_cap, events)) {
      return TooManyEvents(info.id, max_events, range);
    }
  }

  if (entry.shift) {
    ZoneConverter converter(*info.zone);
    for (Event& event : events) {
      const date::local_days scheduled = date::floor<date::days>(event.local_start);
      const date::local_days effective =
          entry.shift->EffectiveDate(scheduled, *event.zone, event.kind);
      if (effective == scheduled) continue;
      event.local_start += effective - scheduled;
      event.start = converter.ToSys(event.local_start);
    }
  }
  if (!own_overrides.empty()) events = ApplyOverrides(std::move(events), own_overrides, info);

  // Each calendar's run is sorted, which SortRuns takes advantage of.
  std::sort(events.begin(), events.end(), StartThenIdLess);
  const auto first =
      std::lower_bound(events.begin(), events.end(), range.from,
                       [](const Event& e, std::chrono::sys_seconds t) { return e.start < t; });
  const auto last =
      std::lower_bound(first, events.end(), range.to,
                       [](const Event& e, std::chrono::sys_seconds t) { return e.start < t; });
  if (static_cast<std::size_t>(last - first) > max_events) {
    return TooManyEvents(info.id, max_events, range);
  }
  ReserveMore(out, static_cast<std::size_t>(last - first));
  out.insert(out.end(), std::make_move_iterator(first), std::make_move_iterator(last));
  return {};
}

Result<std::vector<Event>> CalendarRegistry::Events(std::span<const std::string> calendar_ids,
                                                    const TimeRange& range,
                                                    std::size_t max_events) const {
  if (Status status = ValidateRange(range); !status) return status.error();
  if (calendar_ids.empty()) return InvalidArgument("no calendar ids given");
  std::vector<const RegisteredCalendar*> entries;
  for (const std::string& id : calendar_ids) {
    const RegisteredCalendar* entry = Find(id);
    if (entry == nullptr) return NotFound("calendar '" + id + "' does not exist");
    if (std::find(entries.begin(), entries.end(), entry) == entries.end()) entries.push_back(entry);
  }
  // Room for two events a month per calendar (the built-ins' most) avoids regrowing the result.
  const auto months =
      static_cast<std::size_t>(date::floor<date::months>(range.to - range.from).count()) + 2;
  std::vector<Event> events;
  events.reserve(std::min(max_events, 2 * months * entries.size()));
  std::vector<std::size_t> run_ends;
  for (const RegisteredCalendar* entry : entries) {
    const std::size_t remaining = max_events - events.size();
    if (Status status = AppendCalendarEvents(*entry, range, remaining, events); !status) {
      return TooManyEvents(entry->calendar->info().id, max_events, range);
    }
    run_ends.push_back(events.size());
  }
  SortRuns(events, run_ends);
  return events;
}

Result<Event> CalendarRegistry::NextEvent(std::string_view calendar_id,
                                          std::chrono::sys_seconds after,
                                          std::optional<EventKind> kind) const {
  const RegisteredCalendar* entry = Find(calendar_id);
  if (entry == nullptr)
    return NotFound("calendar '" + std::string(calendar_id) + "' does not exist");

  const date::sys_days after_day = date::floor<date::days>(after);
  const std::chrono::sys_seconds horizon =
      date::sys_days{date::year_month_day{after_day} + kNextEventHorizon} + (after - after_day);
  // Look in windows of doubling length: near events are found cheaply, distant ones in a few steps.
  std::chrono::sys_seconds from = after + std::chrono::seconds{1};
  date::days length{35};
  while (from < horizon) {
    const TimeRange window{from, std::min(from + length, horizon)};
    std::vector<Event> events;
    if (Status status = AppendCalendarEvents(*entry, window, kDefaultMaxEvents, events); !status) {
      return status.error();
    }
    SortRuns(events, {events.size()});
    for (Event& event : events) {
      if (!kind || event.kind == *kind) return std::move(event);
    }
    from = window.to;
    length *= 2;
  }
  return NotFound("calendar '" + std::string(calendar_id) + "' has no " +
                  (kind ? std::string(ToString(*kind)) + " " : std::string()) + "event after " +
                  FormatUtcDateTime(after) + " within 250 years");
}

}  // namespace patchcast::calendars
