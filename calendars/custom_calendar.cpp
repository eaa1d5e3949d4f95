#include "calendars/custom_calendar.h"

#include <algorithm>
#include <string>
#include <utility>

#include "calendars/builtin_calendars.h"
#include "calendars/recurrence_set.h"
#include "calendars/zone.h"

namespace patchcast::calendars {
namespace {

constexpr std::size_t kMaxIdLength = 64;

Event MakeEvent(const CalendarInfo& info, EventKind kind,
                std::optional<std::chrono::seconds> duration, date::local_seconds local,
                std::chrono::sys_seconds utc) {
  Event event;
  event.calendar_id = info.id;
  event.kind = kind;
  event.scheduled_date = date::floor<date::days>(local);
  event.start = utc;
  event.local_start = local;
  event.zone = info.zone;
  event.duration = duration;
  event.source = EventSource::kApi;
  return event;
}

// Explicit dates: every event is computed once, at construction.
class DateListCalendar final : public Calendar {
 public:
  DateListCalendar(CalendarInfo info, EventKind kind, std::optional<std::chrono::seconds> duration,
                   std::vector<date::local_seconds> starts)
      : info_(std::move(info)) {
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    ZoneConverter converter(*info_.zone);
    events_.reserve(starts.size());
    for (date::local_seconds local : starts) {
      events_.push_back(MakeEvent(info_, kind, duration, local, converter.ToSys(local)));
    }
    AssignOrdinals(events_);
    std::sort(events_.begin(), events_.end(), StartThenIdLess);
  }

  const CalendarInfo& info() const override { return info_; }

  Status AppendEvents(const TimeRange& range, std::size_t max_events,
                      std::vector<Event>& out) const override {
    if (range.from >= range.to) return {};
    const auto by_start = [](const Event& event, std::chrono::sys_seconds t) {
      return event.start < t;
    };
    const auto first = std::lower_bound(events_.begin(), events_.end(), range.from, by_start);
    const auto last = std::lower_bound(first, events_.end(), range.to, by_start);
    if (static_cast<std::size_t>(last - first) > max_events) {
      return TooManyEvents(info_.id, max_events, range);
    }
    ReserveMore(out, static_cast<std::size_t>(last - first));
    out.insert(out.end(), first, last);
    return {};
  }

 private:
  CalendarInfo info_;
  std::vector<Event> events_;  // sorted by start then id
};

// A recurrence, expanded per query.
class RecurrenceCalendar final : public Calendar {
 public:
  RecurrenceCalendar(CalendarInfo info, EventKind kind,
                     std::optional<std::chrono::seconds> duration, RecurrenceSet set)
      : info_(std::move(info)), kind_(kind), duration_(duration), set_(std::move(set)) {}

  const CalendarInfo& info() const override { return info_; }

  Status AppendEvents(const TimeRange& range, std::size_t max_events,
                      std::vector<Event>& out) const override {
    const Expansion expansion = ExpandRecurrence(set_, range, max_events);
    if (expansion.truncated) return TooManyEvents(info_.id, max_events, range);
    ReserveMore(out, expansion.occurrences.size());
    // Every occurrence has DTSTART's time of day, so no two share a date: ordinals stay 0.
    for (const Occurrence& occurrence : expansion.occurrences) {
      out.push_back(MakeEvent(info_, kind_, duration_, occurrence.local, occurrence.utc));
    }
    return {};
  }

 private:
  CalendarInfo info_;
  EventKind kind_;
  std::optional<std::chrono::seconds> duration_;
  RecurrenceSet set_;
};

Error Prefixed(std::string_view id, const Error& error) {
  return Error{error.code, "calendar '" + std::string(id) + "': " + error.message};
}

}  // namespace

Status ValidateCalendarId(std::string_view id) {
  const bool well_formed =
      !id.empty() && id.size() <= kMaxIdLength && id.front() != '_' && id.front() != '-' &&
      std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      });
  if (!well_formed) {
    return InvalidArgument("calendar id '" + std::string(id) +
                           "' must be 1-64 characters of a-z, 0-9, '_' and '-', starting with a "
                           "letter or digit");
  }
  if (IsBuiltinCalendarId(id)) {
    return Conflict("calendar id '" + std::string(id) + "' is taken by a built-in calendar");
  }
  return {};
}

Result<std::unique_ptr<Calendar>> MakeCustomCalendar(const CustomCalendarDefinition& definition) {
  if (Status status = ValidateCalendarId(definition.id); !status) return status.error();
  const std::string& id = definition.id;
  if (definition.name.empty()) return Prefixed(id, InvalidArgument("name is empty"));
  Result<const date::time_zone*> zone = LocateZone(definition.zone);
  if (!zone) return Prefixed(id, zone.error());
  if (definition.duration && definition.duration->count() < 0) {
    return Prefixed(id, InvalidArgument("duration must not be negative"));
  }

  CalendarInfo info{definition.id, definition.name, CalendarKind::kCustom, *zone,
                    definition.description};
  if (const auto* list = std::get_if<DateListSchedule>(&definition.schedule)) {
    if (list->starts.empty()) return Prefixed(id, InvalidArgument("the date list is empty"));
    if (list->starts.size() > kMaxListedDates) {
      return Prefixed(id, InvalidArgument("the date list has more than " +
                                          std::to_string(kMaxListedDates) + " entries"));
    }
    return std::unique_ptr<Calendar>(std::make_unique<DateListCalendar>(
        std::move(info), definition.kind, definition.duration, list->starts));
  }
  const RuleSchedule& schedule = std::get<RuleSchedule>(definition.schedule);
  Result<RecurrenceRule> rule = ParseRecurrenceRule(schedule.rrule);
  if (!rule) return Prefixed(id, rule.error());
  RecurrenceSet set{schedule.dtstart, *zone, std::move(*rule), schedule.exdates};
  return std::unique_ptr<Calendar>(std::make_unique<RecurrenceCalendar>(
      std::move(info), definition.kind, definition.duration, std::move(set)));
}

}  // namespace patchcast::calendars
