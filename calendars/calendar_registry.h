// CalendarRegistry: the calendars the service knows — the built-ins plus the custom definitions and
// overrides it is given (storing those is the storage layer's job) — and the queries the API
// answers.
//
// Immutable after creation; all const methods are thread-safe. Nothing here reads the clock: "now"
// is always a parameter. Creating a registry costs well under a millisecond (the compiled-in
// history is parsed once per process), so callers may build one per change of definitions or
// overrides.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/calendar.h"
#include "calendars/custom_calendar.h"
#include "calendars/effective_date_shift.h"
#include "calendars/event.h"
#include "calendars/override.h"
#include "calendars/time_range.h"
#include "core/result.h"

namespace patchcast::calendars {

struct RegisteredCalendar {
  std::shared_ptr<const Calendar> calendar;         // never null
  std::shared_ptr<const EffectiveDateShift> shift;  // null: events take effect as scheduled
};

class CalendarRegistry {
 public:
  // The default cap on the events one query returns.
  static constexpr std::size_t kDefaultMaxEvents = 200'000;
  // How far NextEvent looks ahead before answering kNotFound.
  static constexpr date::years kNextEventHorizon{250};

  // Builds a registry of the built-in calendars (builtin_calendars.h) followed by `custom`, in that
  // order, with `overrides` (applied in the order given).
  // Errors: a custom definition's error (MakeCustomCalendar; kConflict for a built-in id),
  // kConflict "calendar id 'x' is defined twice", an override naming an unknown calendar (kNotFound
  // "override 'o1': calendar 'x' does not exist") or invalid for its calendar (ValidateOverride),
  // kInternal if the built-ins cannot be built.
  static Result<CalendarRegistry> Create(std::span<const CustomCalendarDefinition> custom,
                                         std::vector<Override> overrides = {});

  // Builds a registry from calendars built elsewhere (e.g. built-ins cached by the caller, or test
  // doubles), in the order given. Errors as for Create, except the custom definitions'.
  static Result<CalendarRegistry> FromCalendars(std::vector<RegisteredCalendar> calendars,
                                                std::vector<Override> overrides = {});

  // Every calendar, in registration order.
  std::vector<CalendarInfo> ListCalendars() const;
  // Every calendar id, in registration order.
  std::vector<std::string> CalendarIds() const;
  // The calendar `id`, or kNotFound "calendar 'x' does not exist".
  Result<CalendarInfo> FindCalendar(std::string_view id) const;
  const std::vector<Override>& overrides() const { return overrides_; }

  // Returns the events of the calendars `calendar_ids` whose start (after shifts and overrides)
  // lies in `range`, sorted by start, then id. A repeated id counts once. Errors: kInvalidArgument
  // for an invalid range (ValidateRange: from after to, over 200 years) or no ids ("no calendar ids
  // given"); kNotFound "calendar 'x' does not exist"; kUnprocessable when more than `max_events`
  // events match (TooManyEvents).
  Result<std::vector<Event>> Events(std::span<const std::string> calendar_ids,
                                    const TimeRange& range,
                                    std::size_t max_events = kDefaultMaxEvents) const;

  // Returns the first event of `calendar_id` (of `kind`, when given) starting strictly after
  // `after`, overrides and shifts applied; among events at the same instant, the smallest id.
  // Errors: kNotFound "calendar 'x' does not exist", or kNotFound "calendar 'x' has no <kind> event
  // after <instant> within 250 years" (e.g. a COUNT-bounded custom calendar that has ended).
  Result<Event> NextEvent(std::string_view calendar_id, std::chrono::sys_seconds after,
                          std::optional<EventKind> kind = std::nullopt) const;

 private:
  CalendarRegistry(std::vector<RegisteredCalendar> calendars, std::vector<Override> overrides)
      : calendars_(std::move(calendars)), overrides_(std::move(overrides)) {}

  const RegisteredCalendar* Find(std::string_view id) const;
  // One calendar's events in `range`, shift and overrides applied, unsorted.
  Status AppendCalendarEvents(const RegisteredCalendar& entry, const TimeRange& range,
                              std::size_t max_events, std::vector<Event>& out) const;

  std::vector<RegisteredCalendar> calendars_;
  std::vector<Override> overrides_;
};

}  // namespace patchcast::calendars
